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

    /// Reads a script file, or standard input for "-".
    public static func read(_ path: String) throws -> String {
        if path == "-" {
            var text = ""
            while let line = readLine(strippingNewline: false) { text += line }
            return text
        }
        var st = stat()
        guard stat(path, &st) == 0 else { throw AioctlError(.noInput, "script '\(path)': \(Errno.current.name)") }
        guard (st.st_mode & S_IFMT) != S_IFDIR else { throw AioctlError(.noInput, "script '\(path)' is a directory") }
        guard let text = SystemInfo.readFile(path) else {
            throw AioctlError(.noInput, "script '\(path)': cannot read (\(Errno.current.name))")
        }
        return text
    }
}
