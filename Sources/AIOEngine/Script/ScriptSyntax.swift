import AIODocuments
import AIOKernel
/// The step language of `aioctl run` and `aioctl shell`: one statement a line.
///
///     ctx a = setup 8
///     pipe p
///     iocb req1 = poll p.read in
///     submit a req1
///     after 10ms cancel a req1
///     getevents a min=1 max=1 timeout=100ms
///     destroy a
///
/// The grammar, every statement and every option is in `ScriptHelp.text`.

/// A context argument: a name from `ctx NAME = setup`, or a literal handle.
public enum ContextRef: Equatable, Sendable, CustomStringConvertible {
    case named(String)
    case zero
    /// An address that is mapped but holds no ring.
    case garbage
    /// A page mapped with no access.
    case unmapped
    /// A read-only page whose first bytes are a ring header (AIO_RING_MAGIC,
    /// head == tail): what libaio checks in user space, and no context.
    case fakeRing
    case literal(UInt64)

    public var description: String {
        switch self {
        case .named(let n): return n
        case .zero: return "0"
        case .garbage: return "garbage"
        case .unmapped: return "unmapped"
        case .fakeRing: return "fakering"
        case .literal(let v): return hex(v)
        }
    }
}

/// A descriptor: `p.read`, `p.write`, `s.0`, `s.1`, `e`, `f`, or a number.
public struct DescriptorRef: Equatable, Sendable, CustomStringConvertible {
    public var name: String?
    public var end: String?
    public var number: Int32?

    public static func named(_ name: String, end: String? = nil) -> DescriptorRef {
        DescriptorRef(name: name, end: end, number: nil)
    }

    public static func raw(_ n: Int32) -> DescriptorRef { DescriptorRef(name: nil, end: nil, number: n) }

    public var description: String {
        if let number { return "\(number)" }
        return (name ?? "?") + (end.map { "." + $0 } ?? "")
    }
}

public enum DescriptorKind: String, Sendable, CaseIterable {
    case pipe, socketpair, eventfd, fifo
    /// A scratch regular file in $TMPDIR, filled, read once so its pages are
    /// cached, and unlinked at once: `f.read` (O_RDONLY) and `f.write` (O_WRONLY).
    case tmpfile
}

/// Flags of `open NAME PATH FLAGS...`.
public enum OpenFlag: String, Sendable, CaseIterable {
    case rdonly, wronly, rdwr, direct, nonblock, create, append, sync
}

/// aio_buf: a buffer of our own, or a pointer the kernel must refuse.
public enum BufferChoice: Equatable, Sendable {
    case own(size: Int?)
    case null
    case unmapped
    case readOnly
    case value(UInt64)
}

/// Where an iocb lives: an ordinary page of aioctl's, or a page the kernel
/// can read but not write (io_submit writes aio_key, so it must fault).
public enum IocbPage: String, Equatable, Sendable {
    case own
    case readOnly = "readonly"
}

/// Every field of an iocb the script can set; unset fields are zero.
public struct IocbDecl: Equatable, Sendable {
    public var opcode: UInt16
    public var opcodeName: String
    public var fd: DescriptorRef?
    public var buffer: BufferChoice = .own(size: nil)
    public var length: UInt64?
    public var offset: Int64 = 0
    public var pollEvents: UInt32?
    public var rwFlags: Int32 = 0
    public var reserved2: UInt64 = 0
    public var aioFlags: UInt32 = 0
    public var resfd: DescriptorRef?
    /// `resfd=` sets IOCB_FLAG_RESFD too; `rawresfd=` sets only the field.
    public var resfdSetsFlag = true
    public var page: IocbPage = .own
    public var reqprio: Int16 = 0
    public var data: UInt64?
    public var key: UInt32 = 0
    /// Number of iovecs for preadv/pwritev (the length is split across them),
    /// up to 65536: past UIO_MAXIOV (1024) the kernel must refuse.
    public var iovecs: Int = 1
    /// `iocb q[N] = ...` declares N alike iocbs, q[0] to q[N-1].
    public var count: Int?
}

/// One element of io_submit's array.
public enum SubmitItem: Equatable, Sendable {
    case iocb(String)
    /// `q[*]` (every element of an iocb array) or `q[2..5]`.
    case iocbRange(String, ClosedRange<Int>?)
    case null
    case unmapped
    /// BadMemory.kernelAddress: refused by access_ok before it is read.
    case kernel
}

/// What `show` dumps.
public enum ShowTarget: Equatable, Sendable {
    case iocb(String)
    case ring(ContextRef)
    case handles
    /// The last getevents' timespec: what it held before the call, and now.
    case timeout
}

/// getevents/pgetevents choices beyond the common ones.
public struct WaitExtras: Equatable, Sendable {
    /// `events=straddle:K`: K slots fit before an unmapped page.
    public var straddle: Int?
    /// `usig=`: io_pgetevents' pointer to {sigmask, sigsetsize} (syscall only).
    public var usig: PointerArg?
    /// `sigsetsize=`: the size io_pgetevents is told (the kernel wants 8).
    public var sigsetsize: UInt64?

    public init(straddle: Int? = nil, usig: PointerArg? = nil, sigsetsize: UInt64? = nil) {
        self.straddle = straddle
        self.usig = usig
        self.sigsetsize = sigsetsize
    }

    /// The usig struct is built by aioctl, not by libaio.
    public var needsRawUsig: Bool { usig != nil || sigsetsize != nil }
}

/// An iocb field `set` can change after the declaration (after a submit too).
public enum IocbField: String, Equatable, Sendable, CaseIterable {
    case data, key, rwflags, opcode, reqprio, fd, buf, len, off, reserved2, flags, resfd
}

public struct IocbFieldValue: Equatable, Sendable {
    public var field: IocbField
    public var value: UInt64
    public init(_ field: IocbField, _ value: UInt64) {
        self.field = field
        self.value = value
    }
}

/// posix_fadvise advice.
public enum FadviseAdvice: String, Equatable, Sendable, CaseIterable {
    case normal, random, sequential, willneed, dontneed, noreuse

    public var value: Int32 {
        switch self {
        case .normal: return 0
        case .random: return 1
        case .sequential: return 2
        case .willneed: return 3
        case .dontneed: return 4
        case .noreuse: return 5
        }
    }
}

/// Capabilities `without` can drop for one call.
public enum CapabilityName: String, Equatable, Sendable, CaseIterable {
    case sysAdmin = "CAP_SYS_ADMIN"
    case sysNice = "CAP_SYS_NICE"
    case sysResource = "CAP_SYS_RESOURCE"
    case ipcLock = "CAP_IPC_LOCK"

    public var bit: Int {
        switch self {
        case .sysAdmin: return 21
        case .sysNice: return 23
        case .sysResource: return 24
        case .ipcLock: return 14
        }
    }
}

public indirect enum Statement: Equatable, Sendable {
    case setup(name: String, nrEvents: Int64, ctxp: PointerArg, preset: UInt64, via: Via?)
    case descriptor(DescriptorKind, name: String)
    case open(name: String, path: String, flags: [OpenFlag])
    case close(DescriptorRef)
    case write(DescriptorRef, bytes: Int)
    case read(DescriptorRef, bytes: Int)
    case iocb(name: String, IocbDecl)
    case submit(ContextRef, items: [SubmitItem], iocbpp: PointerArg, nr: Int64?, via: Via?)
    case cancel(ContextRef, SubmitItem, result: PointerArg, via: Via?)
    case getevents(ContextRef, min: Int64, max: Int64, timeout: Timeout, events: PointerArg,
                   mask: SigmaskArg?, via: Via?, extras: WaitExtras = WaitExtras())
    case destroy(ContextRef, via: Via?)
    case after(UInt64, Statement)
    /// Waits for every `after` timer to finish, up to the bound; past it,
    /// frees every read a byte can free and waits once more.
    case wait(UInt64)
    /// io_getevents until `count` events (no more than are outstanding) have
    /// arrived or the bound passed: a helper that never waits for a request
    /// the kernel refused.
    case reap(ContextRef, count: Int64, within: UInt64)
    /// Makes one destroy, one-iocb submit or cancel in a forked child of
    /// aioctl, on this process's context and memory.
    case fork(Statement)
    /// Waits, within the bound, until the kernel says a call sleeps: the
    /// named iocb's io_submit, or the named context's io_destroy (made on
    /// another thread). A happens-before fact to order what follows after,
    /// instead of a guessed sleep.
    case awaitSleep(String, within: UInt64)
    /// Reads /proc/sys/fs/aio-nr; the readings around a setup and a destroy
    /// become that call's observations.
    case aioNr
    /// Waits, within the bound, until /proc/sys/fs/aio-nr is back at the
    /// session's first reading (io_destroy gives the events back as it starts,
    /// before its grace period): `aionr back within=DUR`.
    case aioNrBack(within: UInt64)
    case sleep(UInt64)
    /// `restart`: the handler is installed with SA_RESTART.
    case signal(Int32, afterNs: UInt64?, handler: Bool, restart: Bool = false)
    /// Writes iocb fields in place, after the declaration or a submit: is
    /// cancel matched by the iocb's address or by its content?
    case set(String, [IocbFieldValue])
    /// posix_fadvise on a descriptor (DONTNEED: the next read goes to the device).
    case fadvise(DescriptorRef, FadviseAdvice, offset: Int64, length: Int64)
    /// SIGSTOP to the whole process; a forked child sends SIGCONT after the duration.
    case stop(resumeAfter: UInt64)
    /// One call made with these capabilities dropped from the calling
    /// thread's effective set, restored after it.
    case without([CapabilityName], Statement)
    case show(ShowTarget)
    case via(Via)
    case help

    /// The syscall this statement makes, if it makes one.
    public var syscall: AIOSyscall? {
        switch self {
        case .setup: return .io_setup
        case .submit: return .io_submit
        case .cancel: return .io_cancel
        case .getevents(_, _, _, _, _, let mask, _, _): return mask == nil ? .io_getevents : .io_pgetevents
        case .destroy: return .io_destroy
        case .after(_, let inner), .fork(let inner), .without(_, let inner): return inner.syscall
        case .reap: return .io_getevents
        default: return nil
        }
    }
}

/// A statement with where it came from, for messages.
public struct ScriptLine: Equatable, Sendable {
    public var number: Int
    public var text: String
    public var statement: Statement
}

/// A syntax error: the script runs nothing.
public struct ScriptParseError: Error, Equatable, CustomStringConvertible, Sendable {
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "line \(line), column \(column): \(message)" }
}
