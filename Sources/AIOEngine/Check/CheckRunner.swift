import AIODocuments
import AIOKernel
import Glibc

/// One (scenario, via) pair of a check run: a numbered test in KTAP.
public struct PlannedRun: Sendable {
    public var scenario: Scenario
    public var via: Via
    public var label: String { "\(scenario.name) \(via.rawValue)" }
}

/// Runs a plan of scenarios: most on a pool of threads so that the ~30 ms
/// io_destroy teardowns overlap (each scenario's own calls stay in order on
/// one thread), crash-prone ones in child processes, and the few that need
/// system-wide aio-nr to themselves alone, after the rest.
public struct CheckRunner {
    public var workers: Int
    public var executable: String
    public var isolationLimitMs: Int
    /// The source whose claims the call listings star (every source is judged).
    public var expect: Source

    public init(workers: Int = 24, executable: String = "/proc/self/exe", isolationLimitMs: Int = 5000,
                expect: Source = .kapi) {
        self.workers = workers
        self.executable = executable
        self.isolationLimitMs = isolationLimitMs
        self.expect = expect
    }

    /// Scenarios whose name or syscall matches the glob (all when nil).
    public static func select(filter: String?) -> [Scenario] {
        guard let filter else { return Scenarios.all }
        return Scenarios.all.filter { fnmatch(filter, $0.name, 0) == 0 || fnmatch(filter, $0.syscall.rawValue, 0) == 0 }
    }

    public static func plan(_ scenarios: [Scenario], vias: [Via]) -> [PlannedRun] {
        scenarios.flatMap { s in vias.map { PlannedRun(scenario: s, via: $0) } }
    }

    /// Runs the plan; results come back in plan order. The few scenarios
    /// that need system-wide aio-nr to themselves go first, one after the
    /// other; each lets the next start as soon as its quiet part is over (its
    /// destroy has given the events back), so their grace periods overlap with
    /// what follows. Then the rest share the pool, their teardowns deferred to
    /// a reaper that is drained before returning.
    public func run(_ plan: [PlannedRun]) -> [ScenarioResult] {
        let results = Locked<[Int: ScenarioResult]>([:])
        var previous: Latch?
        var alone: [WorkerThread] = []
        for index in plan.indices where plan[index].scenario.exclusive {
            let waitFor = previous
            let quiet = Latch()
            previous = quiet
            alone.append(WorkerThread {
                waitFor?.wait(until: UInt64.max / 2)
                let run = ScenarioRun(plan[index].scenario, via: plan[index].via, expect: expect)
                run.onQuietEnd = { quiet.set() }
                let result = run.run()
                results.withLock { $0[index] = result }
            })
        }
        previous?.wait(until: UInt64.max / 2)

        let reaper = Reaper()
        let children = childJobs(plan, results: results)
        // Longest first, so that sleeps and timeouts do not start last.
        let ordered = plan.indices
            .filter { !plan[$0].scenario.exclusive && !plan[$0].scenario.isolate.applies(to: plan[$0].via) }
            .sorted { plan[$0].scenario.expectedMs > plan[$1].scenario.expectedMs }
        let next = Locked(0)
        let threads = (0..<max(1, min(workers, ordered.count))).map { _ in
            WorkerThread {
                while true {
                    let slot: Int? = next.withLock { n in
                        defer { n += 1 }
                        return n < ordered.count ? ordered[n] : nil
                    }
                    guard let index = slot else { return }
                    let result = runOne(plan[index], reaper: reaper)
                    results.withLock { $0[index] = result }
                }
            }
        }
        children.forEach { $0.join() }
        threads.forEach { $0.join() }
        alone.forEach { $0.join() }
        reaper.drain()
        let all = results.value
        return plan.indices.map { all[$0]! }
    }

    /// One thread per child process, started at once so that process
    /// starts overlap the pool: a batch per convention for the stale-handle
    /// scenarios (the only runs that need a process of their own).
    private func childJobs(_ plan: [PlannedRun], results: Locked<[Int: ScenarioResult]>) -> [WorkerThread] {
        Via.allCases.compactMap { via in
            let batch = plan.indices.filter { plan[$0].via == via && plan[$0].scenario.isolate == .staleHandle }
            guard !batch.isEmpty else { return nil }
            return WorkerThread { [executable, isolationLimitMs, expect] in
                let found = ChildRun.runBatch(batch.map { plan[$0].scenario }, via: via, executable: executable,
                                              limitMs: isolationLimitMs, expect: expect)
                results.withLock { all in for (i, r) in zip(batch, found) { all[i] = r } }
            }
        }
    }

    public func runOne(_ planned: PlannedRun, reaper: Reaper? = nil) -> ScenarioResult {
        if planned.scenario.isolate.applies(to: planned.via) {
            return ChildRun.run(planned.scenario, via: planned.via, executable: executable,
                                limitMs: isolationLimitMs, expect: expect)
        }
        return ScenarioRun(planned.scenario, via: planned.via, expect: expect).run(reaper: reaper)
    }
}
