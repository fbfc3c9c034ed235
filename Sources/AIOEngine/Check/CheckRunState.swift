import AIOKernel
import Glibc
import Synchronization
import SystemPackage

/// What the threads of one check run share: the results so far, which runs
/// are in flight on which thread, and whether SIGINT/SIGTERM stopped the
/// run. Once stopped no run starts, and a result that comes in afterwards is
/// dropped: the signal may have ended that run early (a wait woken, a child
/// killed), so what it observed is not the kernel's whole answer.
final class RunState: @unchecked Sendable {
    private struct Shared {
        var results: [ScenarioResult?]
        var settled = 0
        /// The thread making each run in flight, by the run's first plan index.
        var inFlight: [Int: pthread_t] = [:]
    }

    private let shared: Locked<Shared>
    /// Whether SIGINT/SIGTERM stopped the run. Set inside the lock, so what
    /// is decided under the lock sees it; read without it by the pool before
    /// every run and by the budget while it waits (24 threads taking the
    /// lock for it kept each other spinning: Mutex spins before it sleeps).
    private let stopFlag = Atomic<Bool>(false)
    private let onResult: (Int, ScenarioResult) -> Void
    private let allSettled = Latch()
    private let count: Int

    init(count: Int, onResult: @escaping (Int, ScenarioResult) -> Void) {
        self.count = count
        self.onResult = onResult
        shared = Locked(Shared(results: Array(repeating: nil, count: count)))
        if count == 0 { allSettled.set() }
    }

    var stopped: Bool { stopFlag.load(ordering: .acquiring) }
    var results: [ScenarioResult?] { shared.withLock { $0.results } }

    /// Makes one run unless the check was stopped: its events from the
    /// budget first (a skip when they cannot be had), then `body`.
    func make(_ index: Int, _ planned: PlannedRun, budget: AioBudget, _ body: () -> ScenarioResult) {
        makeBatch([(index, planned)], budget: budget) { [body()] }
    }

    /// Makes several runs in one go (a stale-handle child), each with its
    /// plan index; `body` returns their results in the same order.
    func makeBatch(_ runs: [(index: Int, planned: PlannedRun)], budget: AioBudget, _ body: () -> [ScenarioResult]) {
        let indices = runs.map(\.index), planned = runs.map(\.planned)
        let token = indices[0]
        let started = shared.withLock { s -> Bool in
            guard !stopped else { return false }
            s.inFlight[token] = pthread_self()
            return true
        }
        guard started else { return settle(token, indices.map { ($0, nil) }) }
        let events = planned.map { AioBudget.footprint(of: $0.scenario) }.reduce(0, +)
        if let reason = budget.acquire(events, stop: { self.stopped }) {
            return settle(token, zip(indices, planned).map { ($0, CheckRunner.skip($1, reason)) })
        }
        let results = body()
        budget.release(events)
        settle(token, Array(zip(indices, results.map(Optional.some))))
    }

    /// Runs for which no thread could be started: skips that say why.
    func notStarted(_ runs: [(index: Int, planned: PlannedRun)], _ error: Errno) {
        skipAll(runs, "no thread could be started for this run (pthread_create: \(error.name)): "
            + "a memory or process limit")
    }

    /// Runs that will not be made, each a skip with `reason`.
    func skipAll(_ runs: [(index: Int, planned: PlannedRun)], _ reason: String) {
        settle(runs[0].index, runs.map { ($0.index, CheckRunner.skip($0.planned, reason)) })
    }

    /// Records results (nil: not made), then hands each kept one on outside
    /// the lock: rendering and writing it there held up every other thread
    /// (the receiver keeps its own order, and drops what comes after its end).
    /// A result is kept only if the run settled before a stop.
    private func settle(_ token: Int, _ entries: [(Int, ScenarioResult?)]) {
        let (kept, last) = shared.withLock { s -> ([(Int, ScenarioResult)], Bool) in
            s.inFlight[token] = nil
            var kept: [(Int, ScenarioResult)] = []
            for (index, result) in entries {
                if !stopped, let result {
                    s.results[index] = result
                    kept.append((index, result))
                }
                s.settled += 1
            }
            return (kept, s.settled >= count)
        }
        for (index, result) in kept { onResult(index, result) }
        // After the hand-over: once waitForAll returns, every result is out.
        if last { allSettled.set() }
    }

    /// Waits until every run has settled, or until SIGINT/SIGTERM: then
    /// stops the run and returns the signal.
    func waitForAll() -> Int32? {
        while !allSettled.wait(until: Monotonic.now() + 10_000_000) {
            if let signal = Interrupts.pending {
                shared.withLock { _ in stopFlag.store(true, ordering: .releasing) }
                return signal
            }
        }
        return nil
    }

    /// After a stop: wakes the threads of the runs in flight out of any
    /// blocking call with the session's wake signal (a run checks for the
    /// interruption between its lines, and its teardown destroys what it
    /// set up), again and again, until none is left or `withinNs` passes.
    /// True when none is left.
    func endRunsInFlight(within withinNs: UInt64) -> Bool {
        let deadline = Monotonic.now() + withinNs
        while true {
            // In the lock: a thread leaves the table before it can exit.
            let left = shared.withLock { s -> Int in
                for thread in s.inFlight.values { pthread_kill(thread, ScriptSession.wakeSignal) }
                return s.inFlight.count
            }
            if left == 0 { return true }
            if Monotonic.now() >= deadline { return false }
            Monotonic.sleep(until: Monotonic.now() + 10_000_000)
        }
    }
}
