import AIOEngine
import AIOKernel
import CAio
import Foundation
import XCTest

/// check's share of aio-max-nr. The budget's arithmetic is tested against
/// limits the test sets; the real thing against the kernel: four checks side
/// by side while this process holds half of aio-max-nr and keeps making
/// io_setup calls of its own. This is the one test that reads the
/// machine-wide aio-nr, since the budget is about it; other AIO users on the
/// machine can only make it skip, not pass wrongly.
final class CheckBudgetTests: XCTestCase {
    func testARunFitsWithinAQuarterOfWhatIsFreeOrWaitsAndIsSkipped() {
        let limits = Locked((maxNr: 1000, aioNr: 500))
        let budget = AioBudget(waitNs: 20_000_000, limits: { limits.value })
        XCTAssertNil(budget.acquire(100, stop: { false }), "100 of a quarter of 500 free fits")
        let refused = budget.acquire(50, stop: { false })
        XCTAssertTrue(refused?.hasPrefix("waited ") ?? false, "150 held would pass 125: \(refused ?? "granted")")
        XCTAssertTrue(refused?.contains("aio-max-nr 1000, aio-nr 500") ?? false, refused ?? "")
        budget.release(100)
        XCTAssertNil(budget.acquire(50, stop: { false }), "back under the quarter")
        XCTAssertEqual(budget.holding, 50)
        let tooBig = budget.acquire(251, stop: { false })
        XCTAssertTrue(tooBig?.contains("more than a quarter of aio-max-nr (1000)") ?? false, tooBig ?? "granted")
        XCTAssertNil(budget.acquire(0, stop: { false }), "a run that sets up nothing needs nothing")
    }

    func testAWaitingRunStartsWhenHeadroomComes() {
        let limits = Locked((maxNr: 1000, aioNr: 1000))
        let budget = AioBudget(waitNs: 60_000_000_000, limits: { limits.value })
        let freer = WorkerThread {
            Monotonic.sleep(until: Monotonic.now() + 20_000_000)
            limits.withLock { $0.aioNr = 0 }
        }
        XCTAssertNil(budget.acquire(8, stop: { false }), "granted once aio-nr went down")
        freer.join()
        let stopped = AioBudget(waitNs: 60_000_000_000, limits: { (1000, 1000) })
        XCTAssertNotNil(stopped.acquire(8, stop: { true }), "an interrupted check stops waiting")
    }

    func testFootprintCountsTheSetupsThatCanSucceed() throws {
        func events(_ name: String) throws -> Int {
            AioBudget.footprint(of: try XCTUnwrap(Scenarios.named(name), name), maxNr: 65536)
        }
        XCTAssertEqual(try events("io_setup.nr-1"), 1)
        XCTAssertEqual(try events("io_setup.nr-0"), 0)
        XCTAssertEqual(try events("io_setup.nr-negative"), 0)
        XCTAssertEqual(try events("io_setup.nr-int-max"), 0)
        XCTAssertEqual(try events("io_setup.nr-aio-max-nr"), 65536)
        XCTAssertEqual(try events("io_setup.nr-aio-max-nr-plus-1"), 0)
        XCTAssertEqual(try events("io_destroy.valid"), 8)
    }

    func testFourChecksBesideAHolderOfHalfAioMaxNrNeverMakeItsSetupFail() throws {
        guard let maxNr = AioLimits.aioMaxNr, let before = AioLimits.aioNr else {
            throw XCTSkip("no /proc/sys/fs/aio-max-nr")
        }
        let half = maxNr / 2
        guard before + half <= maxNr - maxNr / 8 else {
            throw XCTSkip("other processes hold \(before) of \(maxNr) events: half cannot be held beside them")
        }
        var hold: caio_context_t = 0
        let held = AIO.setup(nrEvents: half, ctxp: &hold, via: .syscall)
        guard held.outcome == .value(0) else { throw XCTSkip("io_setup(\(half)) was refused here: \(held.resultText)") }
        defer { _ = AIO.destroy(hold, via: .syscall) }
        // What this process may still want: a quarter of what is free now. The
        // four checks together may take at most 1 - (3/4)^4 (68%) of it.
        let probe = max(1, (maxNr - (AioLimits.aioNr ?? maxNr)) / 4)

        let results = Locked<[AioctlProcess.Result]>([])
        let group = DispatchGroup()
        for _ in 0..<4 {
            group.enter()
            DispatchQueue.global().async {
                if let result = try? AioctlProcess.run(["check", "--format", "ktap"], limit: 120) {
                    results.withLock { $0.append(result) }
                }
                group.leave()
            }
        }
        var probes = 0
        var refusals: [String] = []
        repeat {
            var ctx: caio_context_t = 0
            let call = AIO.setup(nrEvents: probe, ctxp: &ctx, via: .syscall)
            probes += 1
            if call.outcome == .value(0) {
                _ = AIO.destroy(ctx, via: .syscall)
            } else {
                refusals.append("\(call.resultText) with aio-nr \(AioLimits.aioNr ?? -1) of \(maxNr)")
            }
        } while group.wait(timeout: .now() + .milliseconds(5)) == .timedOut

        XCTAssertEqual(refusals, [], "io_setup(\(probe)) of the holder failed while the checks ran")
        XCTAssertGreaterThan(probes, 0)
        let finished = results.value
        XCTAssertEqual(finished.count, 4, "every check ended")
        for result in finished {
            XCTAssertTrue([0, 1].contains(result.status), "a check exited \(result.status): \(result.stderr)")
            let summary = KTAP.validate(result.stdout)
            XCTAssertEqual(summary.plan, Scenarios.all.count * 2)
            XCTAssertTrue(result.stdout.contains(" io_setup.nr-aio-max-nr libaio # SKIP\n# skipped: needs "),
                          "the scenario that would take all of aio-max-nr is skipped")
        }
    }
}
