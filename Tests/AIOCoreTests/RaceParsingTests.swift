@testable import AIOEngine
@testable import AIODocuments
@testable import AIOKernel
import Glibc
import XCTest

/// Sweeps, outcome classification and the window, as tables of cases.
final class RaceParsingTests: XCTestCase {
    func testSweepsParse() throws {
        let cases: [(String, from: Int64, to: Int64, step: Int64, count: Int)] = [
            ("-20us..20us/2us", -20_000, 20_000, 2_000, 21),
            ("0..50us/5us", 0, 50_000, 5_000, 11),
            ("-1.5us..-500ns/250ns", -1_500, -500, 250, 5),
            ("+1us..3us/1us", 1_000, 3_000, 1_000, 3),
            ("0..10us/3us", 0, 10_000, 3_000, 4),  // the step does not land on 10us
            ("5us..5us/1us", 5_000, 5_000, 1_000, 1),
        ]
        for c in cases {
            let sweep = try SweepSpec(parsing: c.0)
            XCTAssertEqual(sweep.fromNs, c.from, c.0)
            XCTAssertEqual(sweep.toNs, c.to, c.0)
            XCTAssertEqual(sweep.stepNs, c.step, c.0)
            XCTAssertEqual(sweep.offsets.count, c.count, c.0)
            XCTAssertEqual(sweep.offsets.first, c.from, c.0)
        }
    }

    func testBadSweepsAreUsageErrors() {
        for text in ["1us..0/1us", "0..10us", "0..10us/0", "a..b/c", "0..10/1us", "0..1s/1ns", "-..1us/1us"] {
            XCTAssertThrowsError(try SweepSpec(parsing: text), text) { error in
                XCTAssertEqual((error as? AioctlError)?.status, .usage, text)
            }
        }
    }

    func testSweepBeforeSubmitIsRefused() {
        var options = RaceOptions()
        options.cancelAfterNs = 10_000
        options.sweep = try? SweepSpec(parsing: "-20us..0/5us")
        XCTAssertThrowsError(try options.validate())
        options.cancelAfterNs = 20_000
        XCTAssertNoThrow(try options.validate())
        XCTAssertEqual(options.settings.map(\.readyAfterNs), [0, 5_000, 10_000, 15_000, 20_000])
        XCTAssertEqual(options.settings.map(\.offsetNs), [-20_000, -15_000, -10_000, -5_000, 0])
    }

    func testOutcomesAreClassified() {
        let einprogress = -Int32(EINPROGRESS), einval = -Int32(EINVAL)
        let cases: [(RaceOutcome, RaceOutcome.Category)] = [
            (RaceOutcome(cancelReturn: einprogress, eventRes: 0, eventCount: 1), .cancelled),
            (RaceOutcome(cancelReturn: einval, eventRes: 1, eventCount: 1), .completedFirst),
            (RaceOutcome(cancelReturn: einval, eventRes: 0x41, eventCount: 1), .completedFirst),
            (RaceOutcome(cancelReturn: einprogress, eventRes: 1, eventCount: 1), .other),
            (RaceOutcome(cancelReturn: einval, eventRes: 0, eventCount: 1), .other),
            (RaceOutcome(cancelReturn: 0, eventRes: 0, eventCount: 1), .other),
            (RaceOutcome(cancelReturn: einval, eventRes: -Int64(ECANCELED), eventCount: 1), .other),
            (RaceOutcome(cancelReturn: einval, eventRes: nil, eventCount: 0), .lostOrDuplicated),
            (RaceOutcome(cancelReturn: einprogress, eventRes: 0, eventCount: 2), .lostOrDuplicated),
        ]
        for (outcome, category) in cases {
            XCTAssertEqual(outcome.category, category, outcome.summary)
        }
        XCTAssertEqual(RaceOutcome(cancelReturn: einprogress, eventRes: 0, eventCount: 1).summary,
                       "io_cancel -EINPROGRESS, event res 0")
    }

    func testOffsetBinsWindowIgnoresRareStragglers() {
        var bins = OffsetBins()
        // Completion wins below -500ns, the cancel above; both in [-500, 0).
        for offset in stride(from: -3_000 as Int64, to: 3_000, by: 10) {
            for k in 0..<10 {
                let cancelWins = offset >= 0 || (offset >= -500 && k % 2 == 0)
                bins.record(offset, cancelWins ? .cancelled : .completedFirst)
            }
        }
        bins.record(-2_950, .cancelled)  // one straggler far out: under 1% of its bin
        let window = try? XCTUnwrap(bins.window(minShare: 0.01))
        XCTAssertEqual(window?.fromNs, -500)
        XCTAssertEqual(window?.toNs, 0)
    }

    func testLatencyPercentiles() {
        var recorder = LatencyRecorder()
        for ns in 1...1000 as ClosedRange<UInt64> { recorder.record(ns * 1000) }
        let summary = recorder.summary
        XCTAssertEqual(summary.count, 1000)
        XCTAssertEqual(Double(summary.value(at: 50)!), 500_000, accuracy: 1_000)
        XCTAssertEqual(Double(summary.value(at: 99.9)!), 999_000, accuracy: 1_000)
        XCTAssertEqual(Double(summary.max), 1_000_000, accuracy: 1_000)
        XCTAssertEqual(LatencySummary().text, "no samples")
    }
}
