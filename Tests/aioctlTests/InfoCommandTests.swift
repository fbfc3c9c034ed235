import Foundation
import XCTest

final class InfoCommandTests: XCTestCase {
    func testInfoReportsTheProbeContextFaithfully() throws {
        let before = AioNr.read()
        let result = try AioctlProcess.run(["info", "--json", "--nr-events", "64"])
        let doc = try AioctlProcess.json(result)
        XCTAssertEqual(AioNr.read(), before, "the probe context must be destroyed")
        let available = try XCTUnwrap(doc["aio_available"] as? Bool)
        XCTAssertEqual(result.status, available ? 0 : 4)
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: &names.release) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        XCTAssertEqual(doc["kernel"] as? String, release)
        XCTAssertEqual(doc["cpus"] as? Int, ProcessInfo.processInfo.activeProcessorCount)
        XCTAssertEqual(doc["aio_max_nr"] as? Int,
                       Int((try String(contentsOfFile: "/proc/sys/fs/aio-max-nr", encoding: .utf8))
                           .trimmingCharacters(in: .whitespacesAndNewlines)))
        if available {
            // The kernel never maps a ring smaller than asked.
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(doc["ring_events"] as? Int), 64)
            XCTAssertNotNil(doc["libaio"] as? String)
        }
    }

    func testTextNamesEachFact() throws {
        let result = try AioctlProcess.run(["info"])
        for label in ["kernel", "AIO", "aio-nr", "aio-max-nr", "ring for nr_events=128", "libaio", "seccomp", "cpus"] {
            XCTAssertTrue(result.stdout.contains(label), label)
        }
    }

    /// The pace check's bounds scale by: measured (at least 1), or AIOCTL_PACE
    /// when it is a number from 1 to 1000; check's KTAP header says which.
    func testPaceIsMeasuredOrTakenFromTheEnvironment() throws {
        let measured = try AioctlProcess.json(try AioctlProcess.run(["info", "--json"], environment: ["AIOCTL_PACE": ""]))
        XCTAssertEqual(measured["pace_from"] as? String, "measured")
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(measured["pace"] as? Double), 1)
        let given = try AioctlProcess.json(try AioctlProcess.run(["info", "--json"], environment: ["AIOCTL_PACE": "7.5"]))
        XCTAssertEqual(given["pace"] as? Double, 7.5)
        XCTAssertEqual(given["pace_from"] as? String, "environment")
        for bad in ["0.5", "abc", "1e9", "nan"] {
            let doc = try AioctlProcess.json(try AioctlProcess.run(["info", "--json"], environment: ["AIOCTL_PACE": bad]))
            XCTAssertEqual(doc["pace_from"] as? String, "measured", bad)
        }
        let ktap = try AioctlProcess.run(["check", "--filter", "io_destroy.ctx-zero", "--format", "ktap"],
                                         environment: ["AIOCTL_PACE": "3"])
        XCTAssertTrue(ktap.stdout.contains("\n# pace 3.0x the development machine (AIOCTL_PACE)"), ktap.stdout)
    }

    func testBadNrEventsIsAUsageError() throws {
        let result = try AioctlProcess.run(["info", "--nr-events", "0"])
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stderr, "aioctl: --nr-events must be between 1 and 16777216\n")
    }
}
