import AIOKernel
import Glibc
import XCTest

/// The reaper's pool: every teardown runs before drain returns, on no more
/// threads than it may start, and the reaper works again after a drain.
final class ReaperTests: XCTestCase {
    func testEveryTeardownRunsOnAtMostMaxThreadsAndDrainWaitsForThemAll() {
        let reaper = Reaper(maxThreads: 3)
        let seen = Locked<(runs: Int, threads: Set<pthread_t>)>((0, []))
        for round in 0..<2 {
            for _ in 0..<40 {
                reaper.later {
                    // Long enough that the queue fills while the threads are busy.
                    Monotonic.sleep(until: Monotonic.now() + 500_000)
                    seen.withLock { $0.runs += 1; $0.threads.insert(pthread_self()) }
                }
            }
            reaper.drain()
            let now = seen.withLock { $0 }
            XCTAssertEqual(now.runs, 40 * (round + 1), "drain returned before every teardown ran")
            XCTAssertLessThanOrEqual(now.threads.count, 3 * (round + 1))
            XCTAssertFalse(now.threads.contains(pthread_self()), "threads could be had: nothing runs on the caller")
        }
    }
}
