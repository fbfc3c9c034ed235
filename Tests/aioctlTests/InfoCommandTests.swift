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

    func testBadNrEventsIsAUsageError() throws {
        let result = try AioctlProcess.run(["info", "--nr-events", "0"])
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stderr, "aioctl: --nr-events must be between 1 and 16777216\n")
    }
}
