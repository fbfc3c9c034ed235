import AIODocuments
import AIOKernel
import Glibc
import SystemPackage

/// `aioctl run`: parse and check a whole script, then execute it line by line.
public struct ScriptRun {
    public var source: String
    public var name: String
    public var via: Via = .libaio
    public var expect: Source = .kapi
    public var keepGoing = false
    public var timeoutNs: UInt64 = 60_000_000_000

    public init(source: String, name: String) {
        self.source = source
        self.name = name
    }

    public struct Outcome {
        public var records: [ScriptStepRecord]
        public var stoppedBy: ScriptRuntimeError?
        public var timedOut: Bool
        public var interruptedBy: Int32?
        public var agrees: Bool
        public var aioUnavailable: Bool

        public var exitStatus: ExitStatus {
            switch interruptedBy {
            case 2?: return .interrupted
            case 15?: return .terminated
            default: break
            }
            if stoppedBy != nil { return .usage }
            if aioUnavailable { return .unavailable }
            return agrees ? .agrees : .differs
        }
    }

    /// Parses and checks everything first: a script with an error runs nothing.
    public func prepare() throws -> [ScriptLine] {
        do {
            let lines = try ScriptParser.parse(source)
            var checker = ScriptChecker()
            for line in lines { try checker.check(line) }
            return lines
        } catch let e as ScriptParseError {
            throw UsageError("\(name):\(e.line):\(e.column): \(e.message)")
        }
    }

    public func execute(_ lines: [ScriptLine], onStep: @escaping (ScriptStepRecord) -> Void) -> Outcome {
        let session = ScriptSession(via: via, expect: expect, timeoutNs: timeoutNs, onStep: onStep)
        var stopped: ScriptRuntimeError?
        for line in lines {
            if Interrupts.pending != nil || session.timedOut { break }
            do { try session.execute(line) } catch let e as ScriptRuntimeError {
                if !keepGoing { stopped = e; break }
            } catch {
                stopped = ScriptRuntimeError(line: line.number, message: "\(error)")
                break
            }
        }
        let records = session.finish()
        // AIO is unavailable when io_setup is refused for want of AIO itself:
        // ENOSYS, EPERM (seccomp), or EAGAIN for a size that alone fits
        // aio-max-nr (the machine's events are taken) - as cancel says it.
        let maxNr = AioLimits.aioMaxNr ?? Int.max
        let unavailable = records.flatMap(\.calls).contains {
            $0.syscall == .io_setup && ($0.outcome == .error(.noFunction) || $0.outcome == .error(.notPermitted)
                || ($0.outcome == .error(.resourceTemporarilyUnavailable)
                    && ($0.argumentValue("nr_events") ?? Int.max) <= maxNr))
        }
        return Outcome(records: records, stoppedBy: stopped, timedOut: session.timedOut,
                       interruptedBy: Interrupts.pending, agrees: session.agrees, aioUnavailable: unavailable)
    }

    public func json(_ outcome: Outcome) -> JSON {
        .object([
            ("command", .string("run")),
            ("script", .string(name)),
            ("via", .string(via.rawValue)),
            ("expect", .string(expect.rawValue)),
            ("steps", .array(outcome.records.map(\.json))),
            ("stopped", .optional(outcome.stoppedBy.map { "line \($0.line): \($0.message)" })),
            ("timed_out", .bool(outcome.timedOut)),
            ("interrupted_by", .optional(outcome.interruptedBy.map(SignalNames.name))),
            ("verdict", .string(outcome.agrees ? "agrees" : "differs")),
        ])
    }

    /// The largest script `run` reads: far past any hand-written one, and a
    /// bound for `aioctl run /dev/zero`.
    public static let maxScriptBytes = 1 << 20

    /// Reads a script file, or standard input for "-", at most
    /// `maxScriptBytes`. Never waits forever: a FIFO is opened without
    /// blocking, and a file or pipe that gives no byte for `waitNs` (a FIFO
    /// nobody writes to) ends the read with a message.
    public static func read(_ path: String, waitNs: UInt64 = 60_000_000_000) throws -> String {
        let name = path == "-" ? "standard input" : "script '\(path)'"
        let fd: Int32
        if path == "-" {
            fd = 0
        } else {
            let bytes = RawArgument.bytes(of: path)
            var st = stat()
            guard stat(bytes, &st) == 0 else { throw AioctlError(.noInput, "\(name): \(Errno.current.name)") }
            guard (st.st_mode & S_IFMT) != S_IFDIR else { throw AioctlError(.noInput, "\(name) is a directory") }
            fd = open(bytes, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
            guard fd >= 0 else { throw AioctlError(.noInput, "\(name): cannot open (\(Errno.current.name))") }
        }
        defer { if fd != 0 { close(fd) } }
        var st = stat()
        // A FIFO with no writer yet reads as empty: wait for one first.
        var waitForBytes = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO && path != "-"
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        let deadline = Monotonic.now() &+ waitNs
        while true {
            if waitForBytes {
                try waitReadable(fd, until: deadline, waitNs: waitNs, name: name)
                waitForBytes = false
            }
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n > 0 {
                data += chunk[0..<n]
                guard data.count <= maxScriptBytes else {
                    throw AioctlError(.noInput, "\(name) is larger than \(maxScriptBytes / 1024) KiB, the most aioctl reads")
                }
                continue
            }
            let e = Glibc.errno
            if e == EINTR { try checkInterrupt(name); continue }
            guard e == EAGAIN else { throw AioctlError(.noInput, "\(name): cannot read (\(Errno(rawValue: e).name))") }
            waitForBytes = true
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func checkInterrupt(_ name: String) throws {
        guard let sig = Interrupts.pending else { return }
        throw AioctlError(sig == SIGINT ? .interrupted : .terminated, "interrupted while reading \(name)")
    }

    /// Waits until `fd` has bytes or hung up, or throws at the deadline or on SIGINT/SIGTERM.
    private static func waitReadable(_ fd: Int32, until deadline: UInt64, waitNs: UInt64, name: String) throws {
        while true {
            try checkInterrupt(name)
            let now = Monotonic.now()
            guard now < deadline else {
                throw AioctlError(.noInput, "\(name): nothing to read within \(formatDuration(waitNs)) (a FIFO with no writer?)")
            }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, Int32(min((deadline - now) / 1_000_000 + 1, 100))) == 1 { return }
        }
    }
}
