import Foundation
import XCTest

/// scripts/matrix for real: Debian's 6.1 kernel booted with virtme-ng and QEMU,
/// one scenario, against the running kernel, and the diff it makes.
final class MatrixTests: XCTestCase {
    static let repository = Subprocess.repository
    static let scenario = "io_submit.nowait-empty-pipe"

    /// The 6.1 kernel image, or a skip that says what to install.
    func requirements() throws -> String {
        var missing: [String] = []
        if Subprocess.find("qemu-system-x86_64") == nil { missing.append("QEMU (qemu-system-x86_64)") }
        let vng = Self.repository.appendingPathComponent(".venv-matrix/bin/vng").path
        if !FileManager.default.isExecutableFile(atPath: vng) && Subprocess.find("vng") == nil {
            missing.append("virtme-ng (.venv-matrix/bin/vng)")
        }
        let images = ((try? FileManager.default.contentsOfDirectory(atPath: "/boot")) ?? [])
            .filter { $0.hasPrefix("vmlinuz-6.1.") }.sorted()
        if images.isEmpty { missing.append("a Debian 6.1 kernel (/boot/vmlinuz-6.1.*)") }
        guard missing.isEmpty, let image = images.last else {
            let message = "the kernel matrix needs " + missing.joined(separator: ", ")
                + "; scripts/bootstrap --matrix installs them"
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                throw Subprocess.ToolMissing(description: message + " (.ci/run runs it first)")
            }
            throw XCTSkip(message)
        }
        return "/boot/" + image
    }

    func testTheMatrixReportsThatNowaitOnAPipeChangedAfter6_1() throws {
        let image = try requirements()
        var u = utsname()
        uname(&u)
        let running = withUnsafeBytes(of: &u.release) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        let version = running.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard version.lexicographicallyPrecedes([6, 4]) == false else {
            throw XCTSkip("the running kernel \(running) is older than 6.4 and answers NOWAIT on a pipe as 6.1 does")
        }
        let release = String(image.dropFirst("/boot/vmlinuz-".count))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("aioctl-matrix-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: out) }

        // Under TCG the boot alone takes 15-60 s on a loaded machine.
        let result = try Subprocess.run("bash", ["scripts/matrix", "--kernel", image, "--filter", Self.scenario,
                                                 "--runs", "1", "--out", out.path, "--format", "json",
                                                 "--aioctl", AioctlProcess.binary.path], limit: 600)
        XCTAssertEqual(result.status, 1, "the kernels differ, so exit 1:\n\(result.stdout)\n\(result.stderr)")
        XCTAssertTrue(result.stdout.contains("VM, TCG") || result.stdout.contains("VM, KVM"),
                      "the output says how the VM ran:\n\(result.stdout)")

        // Each kernel's files, KTAP among them, as KernelCI would take them.
        let guest = out.appendingPathComponent(release)
        let ktap = try String(contentsOf: guest.appendingPathComponent("check.ktap"), encoding: .utf8)
        XCTAssertTrue(ktap.hasPrefix("KTAP version 1\n1..2\n"), ktap)
        let info = try JSONSerialization.jsonObject(with: Data(contentsOf: guest.appendingPathComponent("info.json")))
        XCTAssertEqual((info as? [String: Any])?["kernel"] as? String, release, "info ran inside the 6.1 guest")

        let diff = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: out.appendingPathComponent("diff.json"))) as? [String: Any])
        let differences = try XCTUnwrap(diff["differences"] as? [[String: Any]])
        // Where each source is right, per kernel: both conventions' stable answers on each.
        let tallies = try XCTUnwrap(diff["sources_by_kernel"] as? [[String: Any]])
        XCTAssertEqual(Set(tallies.compactMap { $0["kernel"] as? String }), [release, running])
        XCTAssertEqual(tallies.map { $0["stable_results"] as? Int }, [2, 2])
        let nowait = try XCTUnwrap(differences.first { $0["name"] as? String == Self.scenario },
                                   "the diff reports \(Self.scenario): \(differences)")
        XCTAssertEqual(nowait["differing_via"] as? [String], ["libaio", "syscall"])
        let rows = try XCTUnwrap(nowait["rows"] as? [[String: Any]])
        func row(_ kernel: String, _ via: String) throws -> [String: Any] {
            try XCTUnwrap(rows.first { $0["kernel"] as? String == kernel && $0["via"] as? String == via },
                          "no row for \(kernel) \(via): \(rows)")
        }

        // 6.1 refuses RWF_NOWAIT on a pipe at submission.
        XCTAssertEqual(try row(release, "libaio")["observed"] as? String, "-EOPNOTSUPP (-95)")
        XCTAssertEqual(try row(release, "syscall")["observed"] as? String, "-1 errno=EOPNOTSUPP")
        XCTAssertEqual(try row(release, "syscall")["events"] as? [String], [])

        // The running kernel's rows are what check says here, directly.
        let here = try AioctlProcess.run(["check", "--filter", Self.scenario, "--format", "json"])
        let direct = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(here.stdout.utf8)) as? [[String: Any]])
        for run in direct {
            let via = try XCTUnwrap(run["via"] as? String)
            XCTAssertEqual(try row(running, via)["observed"] as? String, run["observed"] as? String)
            XCTAssertEqual(try row(running, via)["events"] as? [String], run["events"] as? [String])
        }
        // Pipes can do NOWAIT since 6.4: the request is queued and its event says -EAGAIN.
        XCTAssertEqual(try row(running, "syscall")["observed"] as? String, "1")
        XCTAssertEqual(try row(running, "syscall")["events"] as? [String], ["iocb r: res=-EAGAIN (-11) res2=0"])
    }
}
