import AIODocuments
import AIOKernel
/// Runs `--count` probes under one deadline and collects the report.
public struct CancelSession {
    public let options: CancelOptions

    public init(options: CancelOptions) { self.options = options }

    public func run() throws -> CancelReport {
        let deadline = Monotonic.now() + options.timeoutNs
        var runs: [CancelRun] = []
        for sequence in 0..<options.count {
            let run = try CancelProbe(options: options, deadline: deadline).run(sequence: sequence)
            runs.append(run)
            if run.interruptedBy != nil || run.timedOut || Monotonic.now() >= deadline { break }
        }
        return CancelReport(options: options, runs: runs)
    }
}
