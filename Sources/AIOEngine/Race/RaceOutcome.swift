import AIODocuments
import AIOKernel
import SystemPackage

/// What one iteration ended with: io_cancel's return and the iocb's event.
public struct RaceOutcome: Hashable, Sendable {
    /// io_cancel's return in libaio's convention: 0, or the negated errno.
    public var cancelReturn: Int32
    /// The res of the iocb's first event; nil when none arrived.
    public var eventRes: Int64?
    /// How many events carried this iteration's aio_data. One is the contract.
    public var eventCount: Int

    public init(cancelReturn: Int32, eventRes: Int64?, eventCount: Int) {
        self.cancelReturn = cancelReturn
        self.eventRes = eventRes
        self.eventCount = eventCount
    }

    public enum Category: String, CaseIterable, Sendable {
        /// io_cancel -EINPROGRESS and an event with res 0: the cancel won.
        case cancelled
        /// io_cancel -EINVAL and an event carrying poll bits: readiness won.
        case completedFirst = "completed_first"
        /// Exactly one event, but any other pairing (e.g. -EINPROGRESS with poll bits).
        case other
        /// Zero events or more than one for the iocb: a kernel bug.
        case lostOrDuplicated = "lost_or_duplicated"
    }

    public var category: Category {
        guard eventCount == 1, let res = eventRes else { return .lostOrDuplicated }
        if cancelReturn == -Errno.nowInProgress.rawValue, res == 0 { return .cancelled }
        if cancelReturn == -Errno.invalidArgument.rawValue, res > 0 { return .completedFirst }
        return .other
    }

    /// "io_cancel -EINPROGRESS, event res 0x41 (in|rdnorm)", for reports.
    public var summary: String {
        let cancel = cancelReturn == 0 ? "0" : "-\(Errno(rawValue: -cancelReturn).name)"
        let event: String
        switch eventRes {
        case nil: event = "no event"
        case let res? where res < 0: event = "event res -\(Errno(rawValue: Int32(truncatingIfNeeded: -res)).name)"
        case let res?: event = "event res \(res == 0 ? "0" : PollEvents(rawValue: UInt32(truncatingIfNeeded: res)).description)"
        }
        let count = eventCount == 1 ? "" : ", \(eventCount) events"
        return "io_cancel \(cancel), \(event)\(count)"
    }
}
