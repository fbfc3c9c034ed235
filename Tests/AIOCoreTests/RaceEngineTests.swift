@testable import AIOEngine
@testable import AIODocuments
@testable import AIOKernel
import Foundation
import XCTest

/// Short race runs against the real kernel, in process.
final class RaceEngineTests: XCTestCase {
    /// Contexts this process holds: each maps its ring as "[aio]" (or
    /// "/[aio] (deleted)"). Unlike aio-nr, other processes cannot move it.
    static func contextMappings() -> Int {
        let maps = (try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)) ?? ""
        return maps.split(separator: "\n").filter { $0.contains("[aio]") }.count
    }

    func testEveryIterationOnEveryTargetIsClassifiedWithOneEvent() throws {
        let before = Self.contextMappings()
        for target in RaceOptions.targets {
            var options = RaceOptions()
            options.target = target
            options.stop = .iterations(300)
            options.cancelAfterNs = 10_000
            options.readyAfter = .nanoseconds(10_000)
            let report = try RaceEngine(options: options).run()
            XCTAssertNil(report.stoppedBecause, "\(target)")
            XCTAssertEqual(report.iterations, 300, "\(target)")
            let tally = try XCTUnwrap(report.tallies.first)
            let classified = RaceOutcome.Category.allCases.reduce(0) { $0 + tally.count(of: $1) }
            XCTAssertEqual(classified, 300, "\(target): every iteration lands in one category")
            XCTAssertEqual(tally.outcomes.values.reduce(0, +), 300, "\(target)")
            for outcome in tally.outcomes.keys {
                XCTAssertEqual(outcome.eventCount, 1, "\(target): \(outcome.summary)")
            }
            XCTAssertEqual(report.lostOrDuplicated, 0, "\(target)")
            XCTAssertEqual(tally.submitLatency.count, 300)
            XCTAssertEqual(tally.cancelLatency.count, 300)
            XCTAssertEqual(tally.cancelledArrival.count, UInt64(tally.count(of: .cancelled)))
            XCTAssertEqual(tally.measuredOffsetCount, 300, "\(target): every write was timed")
            XCTAssertEqual(report.exitStatus, .agrees)
        }
        XCTAssertEqual(Self.contextMappings(), before, "every context destroyed")
    }

    /// Without a readiness thread nothing can make the poll fire, so no event
    /// may carry poll bits, whatever io_cancel returns.
    func testWithoutReadinessNoEventCarriesPollBits() throws {
        var options = RaceOptions()
        options.readyAfter = .never
        options.cancelAfterNs = 0
        options.stop = .iterations(500)
        let report = try RaceEngine(options: options).run()
        let tally = try XCTUnwrap(report.tallies.first)
        XCTAssertEqual(tally.iterations, 500)
        XCTAssertEqual(tally.count(of: .completedFirst), 0)
        for outcome in tally.outcomes.keys { XCTAssertLessThanOrEqual(outcome.eventRes ?? 0, 0, outcome.summary) }
        XCTAssertEqual(tally.measuredOffsetCount, 0, "no readiness, no offsets")
        XCTAssertNil(tally.setting.offsetNs)
    }

    func testSweepRunsOneTallyPerOffsetAndDrawsThem() throws {
        var options = RaceOptions()
        options.cancelAfterNs = 10_000
        options.sweep = try SweepSpec(parsing: "-4us..4us/4us")
        options.stop = .iterations(100)
        let report = try RaceEngine(options: options).run()
        XCTAssertEqual(report.tallies.map(\.setting.offsetNs), [-4_000, 0, 4_000])
        XCTAssertEqual(report.iterations, 300)
        let svg = RacePlot(report: report).svg
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertGreaterThanOrEqual(svg.components(separatedBy: "<circle").count - 1, 3 * 2, "cancelled and completed-first points at least")
        XCTAssertTrue(report.renderText(style: TextStyle(color: false)).contains("-4us"))
    }

    func testDurationStopsEachSetting() throws {
        var options = RaceOptions()
        options.stop = .duration(nanoseconds: 50_000_000)
        options.readyAfter = .never
        let start = Monotonic.now()
        let report = try RaceEngine(options: options).run()
        XCTAssertGreaterThan(report.iterations, 0)
        XCTAssertGreaterThanOrEqual(Monotonic.now() - start, 50_000_000)
    }
}
