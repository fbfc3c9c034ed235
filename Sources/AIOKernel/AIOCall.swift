import CAio
import Glibc

/// io_getevents' timeout argument.
public enum Timeout: Equatable, Sendable {
    /// NULL: wait for min_nr events, however long.
    case none
    case duration(UInt64)
    /// A pointer to a page that cannot be read.
    case unmapped
    /// {0, -1}: a tv_nsec out of range, which io_getevents(3) says is EINVAL.
    case outOfRange
    /// Any {tv_sec, tv_nsec} pair, written as it is: {0, 1000000000}, {-1, 0}.
    case raw(sec: Int64, nsec: Int64)
    /// A kernel address (BadMemory.kernelAddress): refused before it is read.
    case kernel

    /// Whether a timespec64 check (timespec64_valid) would accept the value.
    public var inRange: Bool {
        switch self {
        case .outOfRange: return false
        case .raw(let sec, let nsec): return sec >= 0 && nsec >= 0 && nsec < 1_000_000_000
        default: return true
        }
    }

    /// Whether the kernel can read the timespec (NULL is no timespec at all).
    public var readable: Bool { self != .unmapped && self != .kernel }

    public static func after(milliseconds ms: Int) -> Timeout { .duration(UInt64(ms) * 1_000_000) }
}

/// io_pgetevents' sigmask argument.
public enum SigmaskArg: Equatable, Sendable {
    case null
    /// A mask with these signals blocked during the wait (none: every signal gets through).
    case signals([Int32])
    /// A pointer to a page that cannot be read.
    case unmapped

    public static let blockingUSR1 = SigmaskArg.signals([SIGUSR1])
    public static let empty = SigmaskArg.signals([])
}

/// io_submit's iocbpp, as the fronts choose it.
public enum IocbppArg: Sendable {
    /// Our array of the iocbs given.
    case array
    case null
    case unmapped
    /// A readable page of zeros: an array of NULL pointers we cannot be blamed for.
    case readOnly
    /// (void *)-1, LTP's invalid iocbpp: a kernel address.
    case allOnes
    /// BadMemory.kernelAddress: an aligned kernel address.
    case kernel

    public init(_ choice: PointerArg) {
        switch choice {
        case .valid: self = .array
        case .null: self = .null
        case .unmapped: self = .unmapped
        case .readOnly: self = .readOnly
        case .allOnes: self = .allOnes
        case .kernel: self = .kernel
        }
    }
}

/// The engine's five calls, with their arguments as the fronts (check's
/// scenarios, the step language) name them: pointer choices, a timeout, a
/// mask. Each builds what the kernel reads and writes in `memory`, makes the
/// call through `via`, and returns the record with what it observed. It
/// never reads through a pointer the caller made bad.
public struct AIOCall {
    public let via: Via
    public let memory: KernelMemory

    public init(via: Via, memory: KernelMemory) {
        self.via = via
        self.memory = memory
    }

    /// io_setup with `preset` stored in *ctxp first; the handle when one was
    /// returned. A read-only ctxp holds the preset too: io_setup reads *ctxp
    /// (and refuses a non-zero one with EINVAL) before it writes the handle.
    public func setup(nrEvents: Int, ctxp: PointerArg, preset: UInt64) -> (CallRecord, caio_context_t?) {
        let slot = memory.keep(caio_context_t.self, count: 1)
        slot.pointee = caio_context_t(preset)
        var pointer = ctxp.resolve(slot)
        if ctxp == .readOnly {
            pointer = memory.keepReadOnly(bytes: MemoryLayout<caio_context_t>.size) {
                $0.storeBytes(of: caio_context_t(preset), as: caio_context_t.self)
            }.assumingMemoryBound(to: caio_context_t.self)
        }
        var record = AIO.setup(nrEvents: nrEvents, ctxp: pointer, via: via, preset: preset)
        let made = ctxp == .valid && record.outcome == .value(0) && slot.pointee != 0
        // Only our own slot is read back: a bad ctxp is never read through.
        if ctxp == .valid { record.observations[ObservationKey.ctxpWritten] = slot.pointee != caio_context_t(preset) }
        if made { record.observations[ObservationKey.ringMapped] = RingMappings.ring(at: UInt64(slot.pointee)) != nil }
        return (record, made ? slot.pointee : nil)
    }

    /// io_submit of `iocbs` (named `names` in the record), nr defaulting to their count.
    public func submit(_ ctx: caio_context_t, iocbs: [IOCBPointer?], names: [String], nr: Int? = nil,
                       iocbpp: IocbppArg = .array) -> CallRecord {
        let array = memory.keep(IOCBPointer?.self, count: iocbs.count)
        for (i, iocb) in iocbs.enumerated() { array[i] = iocb }
        let pointer: UnsafeMutablePointer<IOCBPointer?>?
        switch iocbpp {
        case .array: pointer = array
        case .null: pointer = nil
        case .unmapped: pointer = BadMemory.noAccess.assumingMemoryBound(to: IOCBPointer?.self)
        case .readOnly where iocbs.isEmpty:
            pointer = BadMemory.readOnly.assumingMemoryBound(to: IOCBPointer?.self)
        case .readOnly:
            // The listed iocbs, in a page the kernel can read but not write:
            // io_submit only reads iocbpp, so this is an ordinary array to it.
            pointer = memory.keepReadOnly(bytes: iocbs.count * MemoryLayout<IOCBPointer?>.stride) { raw in
                let list = raw.assumingMemoryBound(to: IOCBPointer?.self)
                for (i, iocb) in iocbs.enumerated() { list[i] = iocb }
            }.assumingMemoryBound(to: IOCBPointer?.self)
        case .allOnes: pointer = UnsafeMutablePointer(bitPattern: UInt.max)
        case .kernel: pointer = UnsafeMutablePointer(bitPattern: UInt(BadMemory.kernelAddress))
        }
        var description = hex(UnsafeRawPointer(pointer))
        if case .array = iocbpp, names.count == iocbs.count, names.count <= 8 {
            description = "[" + names.joined(separator: ", ") + "]"
        } else if case .readOnly = iocbpp, !iocbs.isEmpty, names.count <= 8 {
            description = "[" + names.joined(separator: ", ") + "] in a read-only page at " + description
        }
        return AIO.submit(ctx, nr: nr ?? iocbs.count, iocbpp: pointer, via: via, arrayDescription: description)
    }

    /// io_cancel; with a valid result pointer, observes whether the kernel wrote *result.
    public func cancel(_ ctx: caio_context_t, iocb: IOCBPointer?, result: PointerArg) -> CallRecord {
        cancel(ctx, iocb: iocb, prepared: prepareCancel(result: result))
    }

    /// io_cancel's *result, built before the call: a cancel on a timer then
    /// spends its moment on the syscall, not on memory (whose first use also
    /// has the runtime set up the pool's types, ~0.2 ms).
    public struct PreparedCancel: @unchecked Sendable {
        let slot: UnsafeMutablePointer<caio_event>
        let sentinel: caio_event
        let result: PointerArg
    }

    public func prepareCancel(result: PointerArg) -> PreparedCancel {
        let slot = memory.keep(caio_event.self, count: 1)
        memset(slot, 0xA5, MemoryLayout<caio_event>.size)
        return PreparedCancel(slot: slot, sentinel: slot.pointee, result: result)
    }

    public func cancel(_ ctx: caio_context_t, iocb: IOCBPointer?, prepared: PreparedCancel) -> CallRecord {
        var record = AIO.cancel(ctx, iocb: iocb, result: prepared.result.resolve(prepared.slot), via: via)
        if prepared.result == .valid {
            record.observations[ObservationKey.resultWritten] = !prepared.slot.pointee.sameFields(as: prepared.sentinel)
        }
        return record
    }

    /// What io_getevents and io_pgetevents are handed, built in `memory`.
    public struct WaitArguments {
        public var events: EventPointer?
        /// Our own array, whatever `events` points at.
        public var buffer: EventPointer
        public var timeout: UnsafeMutablePointer<timespec>?
        public var timeoutText: String
        public var sigmask: UnsafePointer<sigset_t>?
    }

    public func waitArguments(events: PointerArg, timeout: Timeout, sigmask: SigmaskArg?,
                              capacity: Int) -> WaitArguments {
        let buffer = memory.keep(caio_event.self, count: capacity)
        var args = WaitArguments(events: events.resolve(buffer), buffer: buffer, timeout: nil, timeoutText: "NULL",
                                 sigmask: nil)
        switch timeout {
        case .none: break
        case .unmapped:
            (args.timeout, args.timeoutText) = (BadMemory.noAccess.assumingMemoryBound(to: timespec.self), "unmapped")
        case .outOfRange:
            args.timeout = memory.keep(timespec.self, count: 1)
            args.timeout!.pointee = timespec(tv_sec: 0, tv_nsec: -1)
            args.timeoutText = "{0, -1}"
        case .kernel:
            (args.timeout, args.timeoutText) = (UnsafeMutablePointer(bitPattern: UInt(BadMemory.kernelAddress)),
                                                hex(BadMemory.kernelAddress))
        case .raw(let sec, let nsec):
            args.timeout = memory.keep(timespec.self, count: 1)
            args.timeout!.pointee = timespec(tv_sec: Int(sec), tv_nsec: Int(nsec))
            args.timeoutText = "{\(sec), \(nsec)}"
        case .duration(let ns):
            args.timeout = memory.keep(timespec.self, count: 1)
            args.timeout!.pointee = Monotonic.timespecFor(nanoseconds: ns)
            args.timeoutText = formatDuration(ns)
        }
        switch sigmask {
        case nil, .null?: break
        case .unmapped?: args.sigmask = UnsafePointer(BadMemory.noAccess.assumingMemoryBound(to: sigset_t.self))
        case .signals(let list)?:
            let set = memory.keep(sigset_t.self, count: 1)
            sigemptyset(set)
            for s in list { sigaddset(set, s) }
            args.sigmask = UnsafePointer(set)
        }
        return args
    }

    /// io_getevents, or io_pgetevents when a sigmask is given; returns the
    /// events the kernel wrote into our array (at most `capacity`).
    public func getevents(_ ctx: caio_context_t, minNr: Int, nr: Int, events: PointerArg = .valid,
                          timeout: Timeout, sigmask: SigmaskArg? = nil,
                          capacity: Int = 64) -> (CallRecord, [caio_event]) {
        let a = waitArguments(events: events, timeout: timeout, sigmask: sigmask, capacity: capacity)
        let record = sigmask == nil
            ? AIO.getevents(ctx, minNr: minNr, nr: nr, events: a.events, timeout: a.timeout, via: via,
                            timeoutDescription: a.timeoutText)
            : AIO.pgetevents(ctx, minNr: minNr, nr: nr, events: a.events, timeout: a.timeout, sigmask: a.sigmask,
                             via: via, timeoutDescription: a.timeoutText)
        guard case .value(let n) = record.outcome, n > 0, events == .valid else { return (record, []) }
        return (record, Array(UnsafeBufferPointer(start: a.buffer, count: min(n, capacity))))
    }

    /// io_destroy; when a ring was mapped at the handle, observes whether that
    /// very mapping (by inode: another thread may map a new ring at the same
    /// address) is gone once the call has returned 0. A teardown nobody
    /// records passes `observe: false` and skips the two reads of /proc/self/maps.
    public func destroy(_ ctx: caio_context_t, observe: Bool = true) -> CallRecord {
        let ring = observe ? RingMappings.ring(at: UInt64(ctx)) : nil
        var record = AIO.destroy(ctx, via: via)
        if let ring, record.outcome == .value(0) {
            record.observations[ObservationKey.ringUnmapped] = !RingMappings.isMapped(ring)
        }
        return record
    }
}
