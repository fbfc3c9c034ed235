import AIODocuments
import AIOKernel
/// One completion event as reaped.
public struct ObservedEvent: Sendable {
    public var data: UInt64
    public var obj: UInt64
    public var res: Int64
    public var res2: Int64
    public var objMatches: Bool
    public var dataMatches: Bool
    /// When io_getevents returned it, from io_submit's call.
    public var afterNs: UInt64
    public var isPoll: Bool

    public var resErrno: String? {
        guard res < 0, res >= -4095 else { return nil }
        return Errno(rawValue: Int32(-res)).name
    }

    /// res as a reader wants it: poll bits, an errno name, or a byte count.
    public var resText: String {
        if let name = resErrno { return "\(res) (-\(name))" }
        if isPoll { return res == 0 ? "0 (no poll bits)" : "\(res) (\(PollEvents(rawValue: UInt32(truncatingIfNeeded: res))))" }
        return "\(res)"
    }
}

import SystemPackage

/// Everything one probe observed: the calls in order, the events, the timing.
public struct CancelRun: Sendable {
    public var calls: [JudgedCall] = []
    public var events: [ObservedEvent] = []
    public var requestedDelayNs: UInt64?
    public var actualDelayNs: UInt64?
    /// What --ready did, if asked.
    public var readyAction: String?
    /// Whether io_cancel was called while io_submit had not yet returned.
    public var cancelledDuringSubmit = false
    public var submitElapsedNs: UInt64 = 0
    public var unblockAction: String?
    public var unblockAfterNs: UInt64?
    public var expectedEvents = 0
    public var timedOut = false
    public var interruptedBy: Int32?
    public var notes: [String] = []

    public var missingEvents: Int { max(0, expectedEvents - events.count) }
    public var extraEvents: Int { max(0, events.count - expectedEvents) }

    public var cancelCall: JudgedCall? { calls.first { $0.syscall == .io_cancel } }

    /// Whether every call that `source` documents went as it says.
    public func agrees(with source: Source) -> Bool {
        calls.allSatisfy { $0.judgement(by: source)?.agrees ?? true }
    }
}
