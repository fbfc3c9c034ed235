import AIODocuments
import AIOKernel
/// Runs `--count` probes and collects the report. Each run has its own
/// --timeout: one deadline for the whole job stopped `--count 2000` after a
/// few hundred runs and still exited 0.
public struct CancelSession {
    public let options: CancelOptions

    public init(options: CancelOptions) { self.options = options }

    /// Every run kept in memory: for one run, and for tests.
    public func run() throws -> CancelReport {
        var runs: [CancelRun] = []
        _ = try run { _, run in runs.append(run) }
        return CancelReport(options: options, runs: runs)
    }

    /// Hands each run to `each` as it finishes and keeps only the counts, so
    /// memory stays flat however large --count is. Stops early only on
    /// SIGINT or SIGTERM (the tally says so); a run cut short by --timeout is
    /// reported as such and the next one starts.
    public func run(each: (Int, CancelRun) throws -> Void) throws -> CancelTally {
        var tally = CancelTally(expect: options.expect)
        for sequence in 0..<options.count {
            if Interrupts.pending != nil, sequence > 0 { break }
            let run = try CancelProbe(options: options, deadline: Monotonic.now() + options.timeoutNs)
                .run(sequence: sequence)
            tally.add(run)
            try each(sequence, run)
            if run.interruptedBy != nil { break }
        }
        return tally
    }
}
