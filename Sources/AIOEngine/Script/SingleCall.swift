import AIODocuments
import AIOKernel
/// The single-call subcommands (`aioctl setup`, `submit`, `getevents`,
/// `destroy`) as scripts of the step language: each sets up what it needs
/// around one interesting call, which the command prints in detail.
public struct SingleCall: Sendable {
    public var lines: [String] = []
    /// The 1-based line of the interesting call.
    public var subjectLine = 0

    public init() {}

    public var source: String { lines.joined(separator: "\n") + "\n" }

    mutating func add(_ line: String) { lines.append(line) }

    mutating func subject(_ line: String) {
        lines.append(line)
        subjectLine = lines.count
    }

    /// Declares TARGET as `t` and returns the descriptor requests read from,
    /// and the one that makes it ready (nil for a file).
    mutating func declareTarget(_ target: TargetSpec, write: Bool = false) throws -> (String, String?) {
        switch target {
        case .pipe: add("pipe t"); return (write ? "t.write" : "t.read", "t.write")
        case .fifo: add("fifo t"); return (write ? "t.write" : "t.read", "t.write")
        case .socketpair: add("socketpair t"); return ("t.0", "t.1")
        case .eventfd: add("eventfd t"); return ("t", "t")
        case .path(let path):
            add("open t \"\(path)\" \(write ? "wronly" : "rdonly")")
            return ("t", nil)
        case .fd(let n): return ("\(n)", nil)
        }
    }

    public static func setup(nrEvents: Int64, ctxp: String, preset: UInt64) -> SingleCall {
        var s = SingleCall()
        s.subject("ctx a = setup \(nrEvents) ctxp=\(ctxp)" + (preset != 0 ? " preset=\(hex(preset))" : ""))
        if ctxp == "valid" && preset == 0 { s.add("show ring a") }
        return s
    }

    public struct SubmitRequest: Sendable {
        public var operation = "poll"
        public var target: TargetSpec = .pipe
        public var events = "in"
        public var length: Int64?
        public var offset: Int64 = 0
        public var rwFlags: String?
        public var reserved2: UInt64 = 0
        public var ready = false
        public var nr: Int64?
        public var copies = 1
        public var reapTimeout = "100ms"
        public init() {}
    }

    public static func submit(_ r: SubmitRequest) throws -> SingleCall {
        var s = SingleCall()
        s.add("ctx a = setup \(max(8, r.copies))")
        let writes = ["pwrite", "pwritev"].contains(r.operation)
        let (fd, readyEnd) = try s.declareTarget(r.target, write: writes)
        var iocb = "iocb r\(r.copies > 1 ? "[\(r.copies)]" : "") = \(r.operation) \(fd)"
        if r.operation == "poll" { iocb += " \(r.events)" }
        if let length = r.length { iocb += " len=\(length)" }
        if r.offset != 0 { iocb += " off=\(r.offset)" }
        if let flags = r.rwFlags { iocb += " rwflags=\(flags)" }
        if r.reserved2 != 0 { iocb += " reserved2=\(r.reserved2)" }
        s.add(iocb)
        if r.ready, let end = readyEnd { s.add("write \(end) 1") }
        s.subject("submit a \(r.copies > 1 ? "r[*]" : "r")" + (r.nr.map { " nr=\($0)" } ?? ""))
        s.add("getevents a min=0 max=\(max(8, r.copies)) timeout=\(r.reapTimeout)")
        return s
    }

    public static func getevents(min: Int64, max: Int64, timeout: String, events: String, pending: Int,
                                 ready: Int) -> SingleCall {
        var s = SingleCall()
        s.add("ctx a = setup \(Swift.max(8, pending + ready))")
        s.add("pipe p")
        if pending + ready > 0 { s.add("iocb q[\(pending + ready)] = poll p.read in") }
        if ready > 0 {
            s.add("pipe ready")
            s.add("write ready.write 1")
            // Polls on a readable pipe complete at once; these are the ready ones.
            s.add("iocb done[\(ready)] = poll ready.read in")
            s.add("submit a done[*]")
        }
        if pending > 0 { s.add("submit a q[0..\(pending - 1)]") }
        s.subject("getevents a min=\(min) max=\(max) timeout=\(timeout) events=\(events)")
        return s
    }

    public static func destroy(context: String, pendingPoll: Bool) -> SingleCall {
        var s = SingleCall()
        s.add("ctx a = setup 8")
        if pendingPoll {
            s.add("pipe p")
            s.add("iocb r = poll p.read in")
            s.add("submit a r")
        }
        switch context {
        case "destroyed":
            s.add("destroy a")
            s.subject("destroy a")
        case "valid": s.subject("destroy a")
        default: s.subject("destroy \(context)")
        }
        return s
    }
}
