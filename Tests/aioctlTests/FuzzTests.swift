import Foundation
import XCTest

/// The seeded fuzz batch (Tests/fuzz/fuzz.py): random and grammar-valid
/// scripts and hostile command lines against the built binary, about a
/// minute. Any crash, hang past --timeout, undocumented exit status, invalid
/// --json or output lost to a full disk fails the test, except cases of the
/// known-open list (Tests/fuzz/known_open.txt) that wait for an engine fix.
/// Failing cases are kept under $TMPDIR/aioctl-fuzz-test-* with their command.
final class FuzzTests: XCTestCase {
    func testSeededBatchFindsNothingNew() throws {
        let python = try Subprocess.require("python3")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("aioctl-fuzz-test-\(getpid())")
        let script = Subprocess.repository.appendingPathComponent("Tests/fuzz/fuzz.py").path
        let result = try Subprocess.run(python, [
            script, "--binary", AioctlProcess.binary.path, "--seed", "11",
            "--random", "40", "--grammar", "40", "--cmdline", "30", "--budget", "90",
            "--out", out.path, "--quiet",
        ], limit: 240)
        let summary = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(summary.hasPrefix("fuzz: "), "no summary: \(result.stdout) \(result.stderr)")
        XCTAssertEqual(result.status, 0, "new fuzz findings (kept in \(out.path)):\n\(result.stdout)\(result.stderr)")
        if result.status == 0 { try? FileManager.default.removeItem(at: out) }
    }
}
