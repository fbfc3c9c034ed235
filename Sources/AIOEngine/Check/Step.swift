import AIODocuments
import AIOKernel
import CAio

/// A context argument: a handle the scenario set up, or a value no io_setup returned.
public enum CtxRef: Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The handle the setup step of that name stored (still valid or already destroyed).
    case named(String)
    case zero
    /// The address of a page mapped with no access: not a ring, and unreadable.
    case unmapped
    /// The address of a readable page of zeros: not a ring, but readable.
    case readable
    /// All bits set (LTP's memset(&ctx, 0xff, ...)): a kernel address.
    case allOnes

    public init(stringLiteral value: String) { self = .named(value) }

    public var description: String {
        switch self {
        case .named(let n): return n
        case .zero: return "0"
        case .unmapped: return "an unmapped page"
        case .readable: return "a readable non-ring page"
        case .allOnes: return "0xffffffffffffffff"
        }
    }
}

/// A pointer argument the kernel writes or reads: ours, or one it must refuse.
/// An iocb argument of io_cancel, or one element of io_submit's array.
public enum IocbRef: Sendable, ExpressibleByStringLiteral {
    case named(String)
    case null
    case unmapped

    public init(stringLiteral value: String) { self = .named(value) }
}

/// io_submit's iocbpp: our array of the listed iocbs, or a bad pointer.
public enum IocbArray: Sendable, ExpressibleByArrayLiteral {
    case list([IocbRef])
    case null
    case unmapped
    /// (void *)-1, LTP's invalid iocbpp: a kernel address.
    case allOnes

    public init(arrayLiteral elements: IocbRef...) { self = .list(elements) }
}

/// Something a scenario needs open while it runs, named so iocbs can refer to it.
public enum Fixture: Sendable {
    case pipe, socketpair, eventfd
    /// A regular file of 4096 bytes, read once so its pages are cached, opened read-only.
    case cachedFile
    /// The same file opened write-only.
    case writeOnlyFile
    /// A directory opened read-only.
    case directory
    /// A descriptor number that was open and has been closed.
    case closedFD
}

/// A descriptor field of an iocb (aio_fildes, aio_resfd).
public enum FDRef: Sendable, ExpressibleByStringLiteral {
    case fixture(String)
    case raw(Int32)

    public init(stringLiteral value: String) { self = .fixture(value) }
}

/// aio_buf of an iocb.
public enum BufferRef: Sendable {
    /// A page-aligned buffer of our own, aio_nbytes long (at least one byte).
    case own
    case null
    case unmapped
    /// A literal value (POLL keeps its event mask here).
    case value(UInt64)
}

/// Every field of one iocb, so a scenario can set any of them.
public struct IocbSpec: Sendable {
    public var opcode: UInt16
    public var fd: FDRef
    public var buffer: BufferRef
    public var nbytes: UInt64 = 0
    public var offset: Int64 = 0
    public var rwFlags: Int32 = 0
    public var reqprio: Int16 = 0
    public var flags: UInt32 = 0
    public var resfd: FDRef?
    public var reserved2: UInt64 = 0
    public var key: UInt32 = 0

    public init(opcode: UInt16, fd: FDRef, buffer: BufferRef) {
        self.opcode = opcode
        self.fd = fd
        self.buffer = buffer
    }

    /// IOCB_CMD_POLL for POLLIN.
    public static func poll(_ fd: FDRef) -> IocbSpec {
        IocbSpec(opcode: UInt16(CAIO_CMD_POLL), fd: fd, buffer: .value(UInt64(PollEvents.in.rawValue)))
    }

    public static func pread(_ fd: FDRef, length: UInt64 = 4096, buffer: BufferRef = .own) -> IocbSpec {
        var spec = IocbSpec(opcode: UInt16(CAIO_CMD_PREAD), fd: fd, buffer: buffer)
        spec.nbytes = length
        return spec
    }

    public static func pwrite(_ fd: FDRef, length: UInt64 = 16) -> IocbSpec {
        var spec = IocbSpec(opcode: UInt16(CAIO_CMD_PWRITE), fd: fd, buffer: .own)
        spec.nbytes = length
        return spec
    }

    /// A copy with some fields changed: `.poll("p").with { $0.offset = 1 }`.
    public func with(_ change: (inout IocbSpec) -> Void) -> IocbSpec {
        var copy = self
        change(&copy)
        return copy
    }
}

/// nr_events for io_setup, some of it only known on the machine at run time.
public enum NrEvents: Sendable {
    case count(Int)
    /// /proc/sys/fs/aio-max-nr plus a delta.
    case aioMaxNr(plus: Int)
}

/// One action of a scenario. Calls are made through the run's `Via`.
public indirect enum Step: Sendable {
    case setup(String, nrEvents: NrEvents = .count(8), ctxp: PointerArg = .valid, preset: UInt64 = 0)
    /// io_submit of the listed iocbs; nr defaults to the list's length.
    case submit(CtxRef, IocbArray, nr: Int? = nil)
    /// A helper io_submit that accepts any count: fills the ring with what fits.
    case fill(CtxRef, IocbArray)
    case cancel(CtxRef, IocbRef, result: PointerArg = .valid)
    case getevents(CtxRef, minNr: Int, nr: Int, events: PointerArg = .valid, timeout: Timeout = .after(milliseconds: 0),
                   signalAfterMs: Int? = nil)
    case pgetevents(CtxRef, minNr: Int, nr: Int, events: PointerArg = .valid, timeout: Timeout, sigmask: SigmaskArg,
                    signalAfterMs: Int? = nil)
    /// A helper io_getevents that waits up to the bound for `count` events and keeps them.
    case reap(CtxRef, count: Int, withinMs: Int)
    case destroy(CtxRef)
    /// Makes a fixture readable: one byte, or an eventfd count of 1.
    case ready(String)
    case sleep(milliseconds: Int)
    /// Until the kernel says the named iocb's io_submit, or the named
    /// context's io_destroy, sleeps (made on another thread).
    case awaitSleeping(String)
    /// Reads /proc/sys/fs/aio-nr, to compare around the subject.
    case readAioNr
    /// Waits, within the bound, until aio-nr is back at the run's first reading
    /// (io_destroy gives the events back as it starts, before its grace period).
    case awaitAioNrBack(withinMs: Int)
    /// The part that needs aio-nr to itself is over: the next scenario may start.
    case endOfQuiet
    /// The call the scenario is about: judged against its situation.
    case subject(Step)
    /// Runs on a thread of its own (a call that blocks); `join` waits for it.
    case background(Step)
    /// A destroy, submit or cancel made by a forked child of aioctl, on the
    /// parent's context: "a context from another process".
    case inForkedChild(Step)
    /// Waits for every background step; frees blocked reads if they outlive the bound.
    case join(withinMs: Int)
}
