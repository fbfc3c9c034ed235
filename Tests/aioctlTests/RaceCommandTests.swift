import Foundation
import FoundationXML
import XCTest

/// `aioctl race` as a script runs it.
final class RaceCommandTests: XCTestCase {
    func testJSONCarriesTheDocumentedFields() throws {
        let result = try AioctlProcess.run(["race", "--iterations", "300", "--cancel-after", "10us", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "", "no progress bar on a pipe")
        let json = try AioctlProcess.json(result)
        XCTAssertEqual(json["command"] as? String, "race")
        XCTAssertEqual(json["target"] as? String, "pipe")
        XCTAssertEqual(json["iterations"] as? Int, 300)
        XCTAssertEqual(json["lost_or_duplicated"] as? Int, 0)
        XCTAssertEqual(json["exit_status"] as? Int, 0)
        for key in ["cancel_after_ns", "ready_after_ns", "sweep", "window", "measured_window", "settings", "elapsed_ns"] {
            XCTAssertTrue(json.keys.contains(key), key)
        }
        let settings = try XCTUnwrap(json["settings"] as? [[String: Any]])
        XCTAssertEqual(settings.count, 1)
        let outcomes = try XCTUnwrap(settings[0]["outcomes"] as? [String: Int])
        let categories = ["cancelled", "completed_first", "other", "lost_or_duplicated"]
        XCTAssertEqual(categories.reduce(0) { $0 + (outcomes[$1] ?? -1_000_000) }, 300)
        XCTAssertEqual(outcomes["total"], 300)
        let latency = try XCTUnwrap(settings[0]["latency_ns"] as? [String: [String: Any]])
        for call in ["io_submit", "io_cancel", "cancelled_event_after_cancel"] {
            let summary = try XCTUnwrap(latency[call], call)
            for key in ["count", "p50", "p90", "p99", "p99_9", "max"] { XCTAssertTrue(summary.keys.contains(key), "\(call).\(key)") }
        }
        XCTAssertEqual(latency["io_submit"]?["count"] as? Int, 300)
    }

    func testSweepTextAndPlot() throws {
        let plot = FileManager.default.temporaryDirectory.appendingPathComponent("race-\(UUID().uuidString).svg")
        defer { try? FileManager.default.removeItem(at: plot) }
        let result = try AioctlProcess.run(["race", "--target", "eventfd", "--sweep", "-6us..6us/3us",
                                            "--iterations", "100", "--plot", plot.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        for offset in ["-6us", "-3us", "0", "3us", "6us"] {
            XCTAssertTrue(result.stdout.contains("\n" + offset + " "), "row for \(offset):\n\(result.stdout)")
        }
        XCTAssertTrue(result.stdout.contains("io_cancel"))
        let svg = try String(contentsOf: plot, encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse(), "the plot is well-formed XML")
    }

    func testSocketpairSweepWithNegativeOffsetsInJSON() throws {
        let result = try AioctlProcess.run(["race", "--target", "socketpair", "--sweep=-2us..2us/2us",
                                            "--iterations", "100", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try AioctlProcess.json(result)
        let settings = try XCTUnwrap(json["settings"] as? [[String: Any]])
        XCTAssertEqual(settings.compactMap { $0["offset_ns"] as? Int }, [-2_000, 0, 2_000])
        XCTAssertEqual(settings.compactMap { $0["iterations"] as? Int }, [100, 100, 100])
    }

    func testBadInputsGiveOneLineAndAStatus() throws {
        let plotDir = "/nonexistent-\(UUID().uuidString)/plot.svg"
        let cases: [([String], Int32)] = [
            (["race", "--target", "fifo"], 64),
            (["race", "--target", "nonsense"], 64),
            (["race", "--iterations", "0"], 64),
            (["race", "--iterations", "5", "--duration", "1s"], 64),
            (["race", "--sweep", "1us..0/1us"], 64),
            (["race", "--sweep", "0..10us"], 64),
            (["race", "--sweep", "-30us..0/1us"], 64),
            (["race", "--sweep", "0..1us/1us", "--ready-after", "5us"], 64),
            (["race", "--cancel-after", "never"], 64),
            (["race", "--ready-after", "soon"], 64),
            (["race", "--plot", "/tmp/x.svg"], 64),
            (["race", "--sweep", "0..1us/1us", "--plot", plotDir], 66),
        ]
        try assertRejected(cases.map { ($0.0, $0.1, "") })
    }

    func testSIGINTPrintsPartialResultsAndExits130() throws {
        let result = try AioctlProcess.runInterrupted(["race", "--duration", "20s", "--ready-after", "30us"], after: 0.5)
        XCTAssertEqual(result.status, 130, result.stderr)
        XCTAssertTrue(result.stdout.contains("interrupted by SIGINT"), result.stdout)
        XCTAssertTrue(result.stdout.contains("cancelled"), "the partial table is printed")
    }
}
