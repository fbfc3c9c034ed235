import CAio
import Glibc
import SystemPackage

/// Pages the kernel must refuse, mapped once per process and never unmapped,
/// so their addresses stay bad for as long as anyone may pass them.
public enum BadMemory {
    /// Mapped PROT_NONE: neither readable nor writable (and never anything else).
    public static let noAccess: UnsafeMutableRawPointer = map(PROT_NONE)
    /// Readable zeros that cannot be written.
    public static let readOnly: UnsafeMutableRawPointer = map(PROT_READ)

    private static func map(_ protection: Int32) -> UnsafeMutableRawPointer {
        let page = mmap(nil, 4096, protection, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let page, page != MAP_FAILED else { preconditionFailure("mmap of one page failed") }
        return page
    }

    public static var noAccessAddress: UInt64 { UInt64(UInt(bitPattern: noAccess)) }
    public static var readOnlyAddress: UInt64 { UInt64(UInt(bitPattern: readOnly)) }
}

/// The regular file the scenarios read and write: 4096 bytes in /tmp, made
/// once per process, read once so its pages are cached, removed by `remove()`.
public enum ScratchFile {
    public static let size = 4096
    private static let made = Locked<String?>(nil)

    public static var path: String {
        made.withLock { path in
            if let path { return path }
            var template = Array("/tmp/aioctl-check-XXXXXX".utf8CString)
            let fd = mkstemp(&template)
            precondition(fd >= 0, "mkstemp failed: \(errno)")
            let bytes = [UInt8](repeating: 0x41, count: size)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, size) }
            var back = [UInt8](repeating: 0, count: size)
            _ = back.withUnsafeMutableBytes { pread(fd, $0.baseAddress, size, 0) }
            close(fd)
            let name = String(cString: template)
            path = name
            return name
        }
    }

    /// Removes the file if this process made it.
    public static func remove() {
        made.withLock { path in
            if let p = path { unlink(p) }
            path = nil
        }
    }
}

/// An opened fixture: the descriptor iocbs name, and whatever makes it ready.
final class FixtureInstance {
    let fd: Int32
    private let target: OpenTarget?
    private var ownedFD: Int32?

    init(_ fixture: Fixture) throws {
        switch fixture {
        case .pipe, .socketpair, .eventfd:
            let spec: TargetSpec = fixture.isPipe ? .pipe : (fixture.isSocket ? .socketpair : .eventfd)
            let t = try OpenTarget(spec)
            (target, fd, ownedFD) = (t, t.readFD, nil)
        case .cachedFile:
            let d = open(ScratchFile.path, O_RDONLY | O_CLOEXEC)
            guard d >= 0 else { throw AioctlError(.software, "open \(ScratchFile.path): \(Errno.current.name)") }
            (target, fd, ownedFD) = (nil, d, d)
        case .writeOnlyFile:
            let d = open(ScratchFile.path, O_WRONLY | O_CLOEXEC)
            guard d >= 0 else { throw AioctlError(.software, "open \(ScratchFile.path): \(Errno.current.name)") }
            (target, fd, ownedFD) = (nil, d, d)
        case .directory:
            let d = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard d >= 0 else { throw AioctlError(.software, "open /tmp: \(Errno.current.name)") }
            (target, fd, ownedFD) = (nil, d, d)
        case .closedFD:
            // Far above the descriptors anything else here opens, so no other
            // thread is handed this number again while the scenario runs.
            let d = open("/dev/null", O_RDONLY | O_CLOEXEC)
            let high = fcntl(d, F_DUPFD_CLOEXEC, 4000)
            Glibc.close(d)
            if high >= 0 { Glibc.close(high) }
            (target, fd, ownedFD) = (nil, high >= 0 ? high : d, nil)
        }
    }

    /// Makes the fixture readable; regular files and directories already are.
    func makeReady() throws -> String {
        guard let target else { return "nothing to do" }
        return try target.makeReady()
    }

    /// Frees a read blocked on this fixture.
    func forceUnblock() -> String { target?.forceUnblock() ?? "nothing to unblock" }

    func close() {
        target?.close()
        if let d = ownedFD { Glibc.close(d) }
        ownedFD = nil
    }
}

extension Fixture {
    var isPipe: Bool { if case .pipe = self { return true }; return false }
    var isSocket: Bool { if case .socketpair = self { return true }; return false }
}

/// SIGUSR1 with a handler that does nothing and no SA_RESTART, so a wait the
/// signal lands in returns EINTR: how the engine interrupts io_getevents.
enum WakeSignal {
    static let installed: Bool = {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        return sigaction(SIGUSR1, &action, nil) == 0
    }()

    /// Sends SIGUSR1 to `thread` after `ms` milliseconds, from a thread of its own.
    static func send(to thread: pthread_t, afterMs ms: Int) -> WorkerThread {
        _ = installed
        let at = Monotonic.now() + UInt64(ms) * 1_000_000
        return WorkerThread {
            Monotonic.sleep(until: at)
            pthread_kill(thread, SIGUSR1)
        }
    }
}

/// /proc/sys/fs files, read as integers.
public enum AioLimits {
    public static func read(_ name: String) -> Int? {
        let fd = open("/proc/sys/fs/\(name)", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 63) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self)
        return Int(text.filter { $0.isNumber || $0 == "-" })
    }

    public static var aioNr: Int? { read("aio-nr") }
    public static var aioMaxNr: Int? { read("aio-max-nr") }

    /// nr_events above which io_setup fails with EINVAL: the kernel doubles
    /// nr_events (after raising it to 4 per CPU) and refuses more than
    /// 0x10000000 / sizeof(struct io_event) of the result.
    public static let internalLimit = 0x1000_0000 / 32 / 2
}
