import AIODocuments
import AIOKernel
import Glibc

/// The stale-handle scenarios of one convention, run side by side in one
/// child process. Each may reuse a handle it destroyed; the address stays
/// free because every run makes its io_setup calls before any run destroys:
/// all wait at a barrier before their first io_destroy.
public enum StaleHandleBatch {
    /// Runs the scenarios concurrently and hands each result over as it is ready.
    public static func run(_ scenarios: [Scenario], via: Via, expect: Source = .kapi, detail: CallDetail = .all,
                           emit: @escaping (ScenarioResult) -> Void) {
        let barrier = Barrier(count: scenarios.count)
        let threads = scenarios.map { scenario in
            WorkerThread {
                let run = ScenarioRun(scenario, via: via, expect: expect, detail: detail)
                let arrived = Locked(false)
                // Every destroy of this run waits (io_destroy.concurrent has
                // two on two threads); the run arrives once.
                run.beforeDestroy = {
                    if !arrived.withLock({ a in defer { a = true }; return a }) { barrier.arrive() }
                    barrier.wait(until: Monotonic.now() + CheckLimits.within(milliseconds: 2000))
                }
                let result = run.run()
                // The run ends with no destroy of its own: it must not hold the others.
                if !arrived.withLock({ a in defer { a = true }; return a }) { barrier.arrive() }
                emit(result)
            }
        }
        threads.forEach { $0.join() }
    }
}

/// A one-shot barrier for `count` threads, bounded so a stuck run cannot hold the others.
final class Barrier {
    private let remaining: Locked<Int>
    private let open = Latch()

    init(count: Int) {
        remaining = Locked(count)
        if count <= 0 { open.set() }
    }

    func arrive() {
        let last = remaining.withLock { n -> Bool in
            n -= 1
            return n <= 0
        }
        if last { open.set() }
    }

    func wait(until deadline: UInt64) {
        open.wait(until: deadline)
    }
}
