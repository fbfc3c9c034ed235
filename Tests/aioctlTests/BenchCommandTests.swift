import Foundation
import XCTest

/// `aioctl bench` as a script runs it.
final class BenchCommandTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("aioctl-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func testSmallRunReportsIOPSUnderFioNames() throws {
        let path = directory.appendingPathComponent("data").path
        let result = try AioctlProcess.run(["bench", "--file", path, "--size", "1m", "--ios", "500", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        let json = try AioctlProcess.json(result)
        let jobs = try XCTUnwrap(json["jobs"] as? [[String: Any]])
        let read = try XCTUnwrap(jobs.first?["read"] as? [String: Any])
        XCTAssertGreaterThan(read["iops"] as? Double ?? 0, 0)
        XCTAssertGreaterThan(read["bw_bytes"] as? Int ?? 0, 0)
        XCTAssertEqual(read["total_ios"] as? Int, 500)
        XCTAssertEqual(read["io_bytes"] as? Int, 500 * 4096)
        for key in ["io_kbytes", "bw", "runtime", "short_ios", "slat_ns", "clat_ns", "lat_ns"] {
            XCTAssertTrue(read.keys.contains(key), key)
        }
        let clat = try XCTUnwrap(read["clat_ns"] as? [String: Any])
        for key in ["min", "max", "mean", "stddev", "N"] { XCTAssertTrue(clat.keys.contains(key), key) }
        let percentiles = try XCTUnwrap(clat["percentile"] as? [String: Int])
        for key in ["50.000000", "99.000000", "99.900000"] { XCTAssertNotNil(percentiles[key], key) }
        let options = try XCTUnwrap(jobs.first?["job options"] as? [String: String])
        XCTAssertEqual(options["rw"], "randread")
        XCTAssertEqual(options["iodepth"], "32")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, 1 << 20)
    }

    func testTextNamesTheDirection() throws {
        let path = directory.appendingPathComponent("w").path
        let result = try AioctlProcess.run(["bench", "--file", path, "--size", "256k", "--rw", "write", "--bs", "8k",
                                            "--iodepth", "4", "--runtime", "50ms"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("write: IOPS="), result.stdout)
        XCTAssertTrue(result.stdout.contains("clat"), result.stdout)
    }

    func testBadInputsGiveOneLineAndAStatus() throws {
        let existing = directory.appendingPathComponent("e").path
        _ = try AioctlProcess.run(["bench", "--file", existing, "--size", "64k", "--ios", "1"])
        let cases: [([String], Int32)] = [
            (["bench", "--file", "/nonexistent-\(UUID().uuidString)/f"], 66),
            (["bench", "--file", directory.path], 66),
            (["bench", "--file", existing, "--size", "100"], 64),
            (["bench", "--file", existing, "--bs", "128k"], 64),  // the 64k file is below one block
            (["bench", "--file", existing, "--iodepth", "0"], 64),
            (["bench", "--file", existing, "--iodepth", "2000000000", "--bs", "512"], 64),
            (["bench", "--file", existing, "--runtime", "1s", "--ios", "5"], 64),
            (["bench", "--file", existing, "--rw", "trim"], 64),
            (["bench", "--file", existing, "--bs", "4q"], 64),
            (["bench", "--file", existing, "--batch-submit", "99"], 64),
            (["bench"], 64),
        ]
        try assertRejected(cases.map { ($0.0, $0.1, "") })
    }

    func testSIGINTPrintsPartialResultsAndExits130() throws {
        let path = directory.appendingPathComponent("int").path
        _ = try AioctlProcess.run(["bench", "--file", path, "--size", "1m", "--ios", "1"])
        let result = try AioctlProcess.runInterrupted(["bench", "--file", path, "--runtime", "20s"], after: 0.5)
        XCTAssertEqual(result.status, 130, result.stderr)
        XCTAssertTrue(result.stdout.contains("interrupted by SIGINT"), result.stdout)
        XCTAssertTrue(result.stdout.contains("IOPS="), result.stdout)
    }
}
