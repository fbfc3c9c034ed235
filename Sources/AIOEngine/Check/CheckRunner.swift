import AIODocuments
import AIOKernel
import CAio
import Glibc
import SystemPackage

/// One (scenario, via) pair of a check run: a numbered test in KTAP.
public struct PlannedRun: Sendable {
    public var scenario: Scenario
    public var via: Via
    public var label: String { "\(scenario.name) \(via.rawValue)" }
}

/// Runs a plan of scenarios: most on a pool of threads so that the ~30 ms
/// io_destroy teardowns overlap (each scenario's own calls stay in order on
/// one thread), crash-prone ones in child processes, and the few that need
/// system-wide aio-nr to themselves alone, before the rest.
public struct CheckRunner {
    public var workers: Int
    public var executable: String
    /// How long an isolated child may be silent; nil: CheckLimits.childSilenceNs.
    public var isolationLimitMs: Int?
    /// The source whose claims the call listings star (every source is judged).
    public var expect: Source
    /// The share of aio-max-nr check may hold, shared by all its runs.
    public var budget: AioBudget
    /// What each result keeps of its calls (isolated children's keep all).
    public var detail: CallDetail

    public init(workers: Int = 24, executable: String = "/proc/self/exe", isolationLimitMs: Int? = nil,
                expect: Source = .kapi, budget: AioBudget = AioBudget(), detail: CallDetail = .all) {
        self.workers = workers
        self.executable = executable
        self.isolationLimitMs = isolationLimitMs
        self.expect = expect
        self.budget = budget
        self.detail = detail
    }

    /// Scenarios whose name or syscall matches the glob (all when nil).
    public static func select(filter: String?) -> [Scenario] {
        guard let filter else { return Scenarios.all }
        return Scenarios.all.filter { fnmatch(filter, $0.name, 0) == 0 || fnmatch(filter, $0.syscall.rawValue, 0) == 0 }
    }

    public static func plan(_ scenarios: [Scenario], vias: [Via]) -> [PlannedRun] {
        scenarios.flatMap { s in vias.map { PlannedRun(scenario: s, via: $0) } }
    }

    /// Runs the plan; results come back in plan order. Without an
    /// interruption every run has its result; after SIGINT/SIGTERM those
    /// not made, or ended by the signal, are skips that say so.
    public func run(_ plan: [PlannedRun]) -> [ScenarioResult] {
        let outcome = run(plan) { _, _ in }
        return plan.indices.map { outcome.results[$0] ?? outcome.notMade(plan[$0]) }
    }

    /// What a run of the plan came to: a result per planned run, or nil for
    /// one the interruption left unmade or ended before its end.
    public struct Outcome {
        public var results: [ScenarioResult?]
        public var interruptedBy: Int32?

        /// The skip that stands for a run the interruption took.
        public func notMade(_ planned: PlannedRun) -> ScenarioResult {
            let signal = interruptedBy.map(SignalNames.name) ?? "a signal"
            return CheckRunner.skip(planned, "interrupted by \(signal) before this run ended")
        }
    }

    /// Runs the plan, handing each result to `onResult` (on the thread that
    /// made it, one at a time) as it is ready. The few scenarios that need
    /// system-wide aio-nr to themselves go first, one after the other; each
    /// lets the next start as soon as its quiet part is over (its destroy has
    /// given the events back), so their grace periods overlap with what
    /// follows. Then the rest share the pool, their teardowns deferred to a
    /// reaper that is drained before returning. Every run takes its events
    /// from the budget first.
    ///
    /// The calling thread waits, watching for SIGINT/SIGTERM (Interrupts):
    /// then no run starts, the runs in flight are ended (their blocking
    /// calls woken by the session's wake signal, their children killed, their
    /// contexts destroyed) and their results dropped, and this returns.
    public func run(_ plan: [PlannedRun], onResult: @escaping (Int, ScenarioResult) -> Void) -> Outcome {
        // The wake signal must be caught before any thread is sent it.
        caio_install_counting_handler(ScriptSession.wakeSignal)
        let state = RunState(count: plan.count, onResult: onResult)
        let probe = plan.isEmpty ? (unavailable: nil, context: nil) : AioBudget.probe()
        if let reason = probe.unavailable {
            state.skipAll(plan.indices.map { ($0, plan[$0]) }, reason)
            return Outcome(results: state.results, interruptedBy: nil)
        }
        let budget = self.budget
        var previous: Latch?
        var threads: [WorkerThread] = []
        for index in plan.indices where plan[index].scenario.exclusive {
            let waitFor = previous
            let quiet = Latch()
            previous = quiet
            let started = WorkerThread.start { [expect, detail] in
                waitFor?.wait(until: UInt64.max / 2)
                defer { quiet.set() }
                state.make(index, plan[index], budget: budget) {
                    let run = ScenarioRun(plan[index].scenario, via: plan[index].via, expect: expect, detail: detail)
                    run.onQuietEnd = { quiet.set() }
                    return run.run()
                }
            }
            switch started {
            case .success(let thread): threads.append(thread)
            case .failure(let e):
                state.notStarted([(index, plan[index])], e)
                quiet.set()
            }
        }
        let quietOver = previous
        // The probe's context holds one event, the same before and after
        // each aio-nr reading; it goes once those are over.
        if let ctx = probe.context, case .success(let t) = WorkerThread.start({
            quietOver?.wait(until: UInt64.max / 2)
            _ = AIO.destroy(ctx, via: .syscall)
        }) {
            threads.append(t)
        } else if let ctx = probe.context {
            _ = AIO.destroy(ctx, via: .syscall)
        }

        let reaper = Reaper()
        // Children and pool start when the aio-nr scenarios' quiet parts are over.
        threads += childJobs(plan, state: state, after: quietOver)
        // Longest first, so that sleeps and timeouts do not start last.
        let ordered = plan.indices
            .filter { !plan[$0].scenario.exclusive && !plan[$0].scenario.isolate.applies(to: plan[$0].via) }
            .sorted { plan[$0].scenario.expectedMs > plan[$1].scenario.expectedMs }
        let next = Locked(0)
        var pool: [WorkerThread] = []
        var noThread: Errno?
        for _ in 0..<max(1, min(workers, ordered.count)) {
            let started = WorkerThread.start {
                quietOver?.wait(until: UInt64.max / 2)
                while true {
                    let slot: Int? = next.withLock { n in
                        defer { n += 1 }
                        return n < ordered.count ? ordered[n] : nil
                    }
                    guard let index = slot, !state.stopped else { return }
                    state.make(index, plan[index], budget: budget) { runOne(plan[index], reaper: reaper) }
                }
            }
            switch started {
            case .success(let thread): pool.append(thread)
            case .failure(let e): noThread = e
            }
        }
        // Fewer threads than asked is only slower; none at all leaves the pool's runs undone, said so.
        if pool.isEmpty, let e = noThread { state.notStarted(ordered.map { ($0, plan[$0]) }, e) }
        threads += pool
        let interruptedBy = state.waitForAll()
        if interruptedBy != nil {
            // Threads still inside a call the signal cannot end are left to exit with us.
            if state.endRunsInFlight(within: 3_000_000_000) { threads.forEach { $0.join() } }
        } else {
            threads.forEach { $0.join() }
        }
        reaper.drain()
        return Outcome(results: state.results, interruptedBy: interruptedBy)
    }

    /// One thread per child process, started at once so that process
    /// starts overlap the pool: a batch per convention for the stale-handle
    /// scenarios, and a child of its own for each run that needs one.
    private func childJobs(_ plan: [PlannedRun], state: RunState, after quietOver: Latch?) -> [WorkerThread] {
        var jobs: [WorkerThread] = []
        let budget = self.budget
        for via in Via.allCases {
            let batch = plan.indices.filter { plan[$0].via == via && plan[$0].scenario.isolate == .staleHandle }
            guard !batch.isEmpty else { continue }
            let started = WorkerThread.start { [executable, isolationLimitMs, expect, detail] in
                quietOver?.wait(until: UInt64.max / 2)
                state.makeBatch(batch.map { ($0, plan[$0]) }, budget: budget) {
                    ChildRun.runBatch(batch.map { plan[$0].scenario }, via: via, executable: executable,
                                      limitMs: isolationLimitMs, expect: expect, detail: detail)
                }
            }
            switch started {
            case .success(let thread): jobs.append(thread)
            case .failure(let e): state.notStarted(batch.map { ($0, plan[$0]) }, e)
            }
        }
        for index in plan.indices where plan[index].scenario.isolate == .alone {
            let started = WorkerThread.start {
                quietOver?.wait(until: UInt64.max / 2)
                state.make(index, plan[index], budget: budget) { runOne(plan[index]) }
            }
            switch started {
            case .success(let thread): jobs.append(thread)
            case .failure(let e): state.notStarted([(index, plan[index])], e)
            }
        }
        return jobs
    }

    public func runOne(_ planned: PlannedRun, reaper: Reaper? = nil) -> ScenarioResult {
        if planned.scenario.isolate.applies(to: planned.via) {
            return ChildRun.run(planned.scenario, via: planned.via, executable: executable,
                                limitMs: isolationLimitMs, expect: expect, detail: detail)
        }
        return ScenarioRun(planned.scenario, via: planned.via, expect: expect, detail: detail).run(reaper: reaper)
    }
}

extension CheckRunner {
    /// A run that was not made, as a skip with the reason.
    static func skip(_ planned: PlannedRun, _ reason: String) -> ScenarioResult {
        let s = planned.scenario
        return ScenarioResult(name: s.name, syscall: s.syscall, situation: s.situation, via: planned.via,
                              status: .skipped, skipReason: reason, observed: "", observedReturn: nil,
                              observedErrno: nil, events: [], verdicts: [], calls: [], callLines: [], notes: [],
                              isolated: false, elapsedNs: 0)
    }
}
