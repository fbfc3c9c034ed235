import CAio
import Glibc
import SystemPackage

/// What a request is aimed at, as written on the command line.
public enum TargetSpec: Equatable, Sendable, CustomStringConvertible {
    case pipe, socketpair, eventfd, fifo
    case path(String)
    case fd(Int32)

    public static let builtinNames = ["pipe", "socketpair", "eventfd", "fifo"]

    /// `pipe`, `socketpair`, `eventfd`, `fifo`, `file:PATH`, `fd:N`, or a path.
    /// A bare word that is not a built-in and names nothing on disk is a typo,
    /// not a missing file, so it is a usage error.
    public init(parsing text: String) throws {
        switch text {
        case "pipe": self = .pipe
        case "socketpair": self = .socketpair
        case "eventfd": self = .eventfd
        case "fifo": self = .fifo
        default:
            if text.hasPrefix("file:") {
                let path = String(text.dropFirst(5))
                guard !path.isEmpty else { throw UsageError("target 'file:' needs a path after the colon") }
                self = .path(path)
            } else if text.hasPrefix("fd:") {
                guard let n = Int32(text.dropFirst(3)), n >= 0 else {
                    throw UsageError("target '\(text)': fd: takes a descriptor number, e.g. fd:3")
                }
                self = .fd(n)
            } else if text.contains("/") || access(RawArgument.bytes(of: text), F_OK) == 0 {
                self = .path(text)
            } else {
                throw UsageError("unknown target '\(text)' (pipe, socketpair, eventfd, fifo, file:PATH, fd:N, or a path)")
            }
        }
    }

    public var description: String {
        switch self {
        case .pipe: return "pipe"
        case .socketpair: return "socketpair"
        case .eventfd: return "eventfd"
        case .fifo: return "fifo"
        case .path(let p): return "file:\(p)"
        case .fd(let n): return "fd:\(n)"
        }
    }
}

/// How to free a read blocked inside io_submit.
public enum UnblockMode: String, CaseIterable, Sendable {
    /// One byte (an eventfd count of 1) into the write end.
    case write
    /// Close the write end, so the read sees end of file.
    case close
    /// Do nothing; only --timeout frees the read.
    case none
}

/// The kind of file behind a descriptor, from fstat.
public enum FileKind: String, Sendable {
    case pipe, fifo, socket, eventfd, regular, directory, characterDevice = "character-device",
         blockDevice = "block-device", other
}

/// An opened target: the descriptor requests read from, and, where one
/// exists, a write end that can make it ready or unblock a read.
public final class OpenTarget {
    public let spec: TargetSpec
    public let kind: FileKind
    public let readFD: Int32
    public private(set) var writeFD: Int32?
    private let ownsReadFD: Bool
    private var tempDirectory: String?
    private var closed = false

    public init(_ spec: TargetSpec) throws {
        self.spec = spec
        switch spec {
        case .pipe:
            var fds: [Int32] = [0, 0]
            guard caio_pipe2(&fds, O_CLOEXEC) == 0 else { throw AioctlError(.software, "pipe2: \(Errno.current.name)") }
            (readFD, writeFD, kind, ownsReadFD) = (fds[0], fds[1], .pipe, true)
        case .socketpair:
            var fds: [Int32] = [0, 0]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
                throw AioctlError(.software, "socketpair: \(Errno.current.name)")
            }
            (readFD, writeFD, kind, ownsReadFD) = (fds[0], fds[1], .socket, true)
        case .eventfd:
            let fd = caio_eventfd(0, Int32(O_CLOEXEC))
            guard fd >= 0 else { throw AioctlError(.software, "eventfd: \(Errno.current.name)") }
            (readFD, writeFD, kind, ownsReadFD) = (fd, fd, .eventfd, true)
        case .fifo:
            let (dir, reader, writer) = try OpenTarget.makeFifo()
            (readFD, writeFD, kind, ownsReadFD) = (reader, writer, .fifo, true)
            tempDirectory = dir
        case .path(let path):
            let fd = try OpenTarget.openPath(path)
            let k = OpenTarget.kind(of: fd)
            (readFD, kind, ownsReadFD) = (fd, k, true)
            writeFD = (k == .fifo) ? OpenTarget.openWriteEnd(of: fd) : nil
        case .fd(let n):
            guard fcntl(n, F_GETFD) >= 0 else {
                throw AioctlError(.noInput, "target fd:\(n): descriptor \(n) is not open")
            }
            let k = OpenTarget.kind(of: n)
            (readFD, kind, ownsReadFD) = (n, k, false)
            // A pipe passed in has a write end we can reach through /proc.
            switch k {
            case .fifo, .pipe: writeFD = OpenTarget.openWriteEnd(of: n)
            case .eventfd: writeFD = n  // the same descriptor counts up; never closed by us
            default: writeFD = nil
            }
        }
    }

    /// A FIFO in a fresh temporary directory under $TMPDIR (or /tmp), opened
    /// without blocking on the missing peer, then made blocking so reads
    /// behave as on a pipe. Once both ends are open the FIFO and its
    /// directory are removed: the descriptors keep it alive, and nothing is
    /// left behind even if aioctl is killed. Returns the directory's
    /// (former) path, the read end, the write end.
    public static func makeFifo() throws -> (String, Int32, Int32) {
        let tmpdir = ProcessEnvironment.tmpdir
        var template = Array("\(tmpdir)/aioctl-fifo-XXXXXX".utf8CString)
        guard let dirPointer = mkdtemp(&template) else {
            throw AioctlError(.noInput, "cannot make a FIFO in \(tmpdir) (TMPDIR): \(Errno.current.name)")
        }
        let dir = String(cString: dirPointer)
        let path = dir + "/fifo"
        defer {
            unlink(path)
            rmdir(dir)
        }
        guard mkfifo(path, 0o600) == 0 else {
            throw AioctlError(.noInput, "mkfifo \(path): \(Errno.current.name)")
        }
        let reader = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        let writer = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard reader >= 0, writer >= 0 else {
            let e = Errno.current
            if reader >= 0 { Glibc.close(reader) }
            throw AioctlError(.noInput, "open fifo \(path): \(e.name)")
        }
        setBlocking(reader)
        setBlocking(writer)
        return (dir, reader, writer)
    }

    private static func openPath(_ path: String) throws -> Int32 {
        try openPath(path, write: false).fd
    }

    /// Opens PATH (byte for byte as given on the command line, UTF-8 or not)
    /// for reading or writing without ever waiting: a FIFO is opened
    /// non-blocking, so a missing peer is an answer, not a hang. Anything
    /// that cannot be opened is EX_NOINPUT, before anything runs.
    /// Returns the descriptor (blocking again, close-on-exec) and whether it
    /// is a FIFO.
    public static func openPath(_ path: String, write: Bool) throws -> (fd: Int32, isFifo: Bool) {
        let bytes = RawArgument.bytes(of: path)
        var st = stat()
        guard stat(bytes, &st) == 0 else {
            throw AioctlError(.noInput, "target '\(path)': \(describeOpenError(Errno.current))")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw AioctlError(.noInput, "target '\(path)' is a directory; aioctl needs a file, device, FIFO or socket")
        }
        // A FIFO opened without O_NONBLOCK would wait for its peer forever.
        let isFifo = (st.st_mode & S_IFMT) == S_IFIFO
        let fd = open(bytes, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC | (isFifo ? O_NONBLOCK : 0))
        guard fd >= 0 else {
            let e = Errno.current
            if isFifo && write && e == .noSuchAddressOrDevice {
                throw AioctlError(.noInput, "target '\(path)' is a FIFO with no reader; writing to it would wait forever (ENXIO)")
            }
            throw AioctlError(.noInput, "target '\(path)': \(describeOpenError(e))")
        }
        if isFifo { setBlocking(fd) }
        return (fd, isFifo)
    }

    private static func describeOpenError(_ e: Errno) -> String {
        switch e {
        case .noSuchFileOrDirectory: return "no such file or directory (ENOENT)"
        case .permissionDenied: return "permission denied (EACCES)"
        default: return "cannot open (\(e.name))"
        }
    }

    /// A write end for the pipe or FIFO behind `fd`, reached through
    /// /proc/self/fd, which opens the same pipe rather than a copy.
    private static func openWriteEnd(of fd: Int32) -> Int32? {
        let w = open("/proc/self/fd/\(fd)", O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard w >= 0 else { return nil }
        setBlocking(w)
        return w
    }

    private static func setBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
    }

    public static func kind(of fd: Int32) -> FileKind {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .other }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        case S_IFSOCK: return .socket
        case S_IFIFO:
            // Anonymous pipes have no name on disk; /proc shows "pipe:[inode]".
            return linkTarget(fd).hasPrefix("pipe:") ? .pipe : .fifo
        default:
            return linkTarget(fd) == "anon_inode:[eventfd]" ? .eventfd : .other
        }
    }

    private static func linkTarget(_ fd: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let n = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard n > 0 else { return "" }
        return String(nulTerminated: Array(buffer[..<n]))
    }

    /// Whether this target can be made readable or a read on it unblocked by us.
    public var canWrite: Bool { writeFD != nil }

    /// Makes the target readable: one byte, or an eventfd count of 1.
    /// Returns what was done, for the report.
    public func makeReady() throws -> String {
        switch kind {
        case .regular, .characterDevice, .blockDevice:
            return "nothing to do: a \(kind.rawValue) file is always readable"
        default:
            guard let w = writeFD else {
                throw AioctlError(.usage, "--ready: aioctl has no write end for \(spec) (\(kind.rawValue))")
            }
            return try writeOne(to: w)
        }
    }

    private func writeOne(to fd: Int32) throws -> String {
        if kind == .eventfd {
            var one: UInt64 = 1
            guard write(fd, &one, 8) == 8 else {
                throw AioctlError(.software, "write to eventfd: \(Errno.current.name)")
            }
            return "wrote an eventfd count of 1"
        }
        var byte: UInt8 = 0x2A
        guard write(fd, &byte, 1) == 1 else {
            throw AioctlError(.software, "write to \(spec): \(Errno.current.name)")
        }
        return "wrote 1 byte to the write end"
    }

    /// Whether `mode` can free a read blocked on this target; nil if it can,
    /// otherwise the reason it cannot.
    public func unblockProblem(_ mode: UnblockMode) -> String? {
        switch mode {
        case .none: return nil
        case .write: return writeFD == nil ? "aioctl has no write end for \(spec)" : nil
        case .close:
            if kind == .eventfd { return "an eventfd has no separate write end to close" }
            return writeFD == nil ? "aioctl has no write end for \(spec)" : nil
        }
    }

    /// Frees a blocked read as `mode` says; returns what was done.
    public func unblock(_ mode: UnblockMode) -> String {
        switch mode {
        case .none: return "left blocked (--unblock none)"
        case .write:
            guard let w = writeFD else { return "no write end" }
            return (try? writeOne(to: w)) ?? "write failed: \(Errno.current.name)"
        case .close:
            guard let w = writeFD, kind != .eventfd else { return "no write end to close" }
            Glibc.close(w)
            writeFD = nil
            return "closed the write end"
        }
    }

    /// The last resort of --timeout and signals: whatever frees a read here.
    public func forceUnblock() -> String {
        if writeFD != nil { return unblock(.write) }
        if kind == .socket, shutdown(readFD, Int32(SHUT_RDWR)) == 0 { return "shut the socket down" }
        return "nothing can unblock \(spec)"
    }

    public func close() {
        guard !closed else { return }
        closed = true
        if let w = writeFD, w != readFD { Glibc.close(w) }
        writeFD = nil
        if ownsReadFD { Glibc.close(readFD) }
        if let dir = tempDirectory {
            unlink(dir + "/fifo")
            rmdir(dir)
        }
    }

    deinit { close() }
}

extension Errno {
    public static var current: Errno { Errno(rawValue: Glibc.errno) }
}

/// A command-line argument as the bytes the kernel handed over. Swift's
/// CommandLine.arguments repair invalid UTF-8 with U+FFFD, which turns a
/// file named in Latin-1 into a name that does not exist.
public enum RawArgument {
    /// The NUL-terminated bytes behind `text`: its own UTF-8 when it holds
    /// no replacement character, else those of the argument it came from
    /// (the argument itself, or its tail after an ASCII prefix such as
    /// `file:` or `--file=`).
    public static func bytes(of text: String) -> [CChar] {
        guard text.unicodeScalars.contains("\u{FFFD}") else { return Array(text.utf8CString) }
        for index in 0..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let raw = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer)))
            let decoded = String(decoding: raw.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard decoded.hasSuffix(text) else { continue }
            let prefix = decoded.unicodeScalars.dropLast(text.unicodeScalars.count)
            guard prefix.allSatisfy(\.isASCII) else { continue }
            return Array(raw.dropFirst(prefix.count)) + [0]
        }
        return Array(text.utf8CString)
    }

    /// Whether `text` came from bytes that are not UTF-8.
    public static func isMangled(_ text: String) -> Bool { text.unicodeScalars.contains("\u{FFFD}") }
}
