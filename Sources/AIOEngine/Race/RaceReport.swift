import AIODocuments
import AIOKernel
/// The result of `aioctl race`: one tally per setting run, and why it stopped.
public struct RaceReport: Sendable {
    public let options: RaceOptions
    public let tallies: [RaceTally]
    public let elapsedNs: UInt64
    public let interruptedBy: Int32?
    public let stoppedBecause: String?
    /// Iterations whose event came only after --reap-timeout (waited for up
    /// to RaceEngine.reapGraceNs more): late, not lost.
    public var lateEvents = 0

    public var iterations: Int { tallies.reduce(0) { $0 + $1.iterations } }

    /// Lost or duplicated completions across the run: each is a kernel bug.
    public var lostOrDuplicated: Int { tallies.reduce(0) { $0 + $1.lostOrDuplicatedEvents } }

    /// 1 for lost or duplicated completions (or a failed call), 130/143 on a signal.
    public var exitStatus: ExitStatus {
        switch interruptedBy {
        case 2?: return .interrupted
        case _?: return .terminated
        case nil: break
        }
        if lostOrDuplicated > 0 { return .differs }
        return stoppedBecause == nil ? .agrees : .software
    }

    /// Share each outcome needs in a setting (or an offset bin) for it to
    /// count as inside the window: preemption puts a fraction of a percent
    /// of iterations on the wrong side at every offset.
    public static let windowMinShare = 0.01

    /// The span of requested offsets where both the cancel and the
    /// completion won at least `minShare` of a setting's clean iterations
    /// (write and io_cancel both quick, so neither thread was preempted).
    public func window(minShare: Double = RaceReport.windowMinShare) -> (fromNs: Int64, toNs: Int64)? {
        let both = tallies.filter {
            ($0.cleanShare(of: .cancelled) ?? 0) >= minShare && ($0.cleanShare(of: .completedFirst) ?? 0) >= minShare
        }.compactMap(\.setting.offsetNs)
        guard let low = both.min(), let high = both.max() else { return nil }
        return (low, high)
    }

    /// All settings' iterations binned by measured offset.
    public var offsetBins: OffsetBins {
        var bins = OffsetBins()
        for tally in tallies where tally.measuredOffsetCount > 0 { bins.add(tally.offsetBins) }
        return bins
    }

    /// The window in measured offsets (readiness write start minus io_cancel
    /// call), 100ns bins, each outcome at least `minShare` of a bin.
    public func measuredWindow(minShare: Double = RaceReport.windowMinShare) -> (fromNs: Int64, toNs: Int64)? {
        offsetBins.window(minShare: minShare)
    }
}
