import AIODocuments
import AIOKernel
import SystemPackage

/// The single-call subcommands (`aioctl setup`, `submit`, `getevents`,
/// `destroy`) as programs of the step language: each sets up what it needs
/// around one interesting call, which the command prints in detail.
///
/// The program is built as data (Statement values), never by pasting option
/// values into script text: `--events $'in\nctx b = setup 8'` is a bad poll
/// mask, not a second statement. Each line's text is written from the parsed
/// values, for `--print-script` and the report.
public struct SingleCall: Sendable {
    public private(set) var program: [ScriptLine] = []
    /// The 1-based line of the interesting call.
    public var subjectLine = 0

    public init() {}

    /// The program as a script `aioctl run` would take.
    public var source: String { program.map(\.text).joined(separator: "\n") + "\n" }

    public var lines: [String] { program.map(\.text) }

    mutating func add(_ text: String, _ statement: Statement) {
        program.append(ScriptLine(number: program.count + 1, text: text, statement: statement))
    }

    mutating func subject(_ text: String, _ statement: Statement) {
        add(text, statement)
        subjectLine = program.count
    }

    /// Whether there is AIO to test here, from the io_setups the program
    /// made: ENOSYS or EPERM (a seccomp filter) from any of them, or EAGAIN
    /// from one whose nr_events fits in aio-max-nr on its own (the kernel
    /// reserves about twice nr_events), which means other contexts hold the
    /// capacity. EAGAIN for an nr too large by itself is the answer a probe
    /// asked for. Returns that answer ("-EAGAIN"), or nil.
    public func setupFailure(in records: [ScriptStepRecord]) -> String? {
        let maxNr = SystemInfo.readFile("/proc/sys/fs/aio-max-nr").flatMap { UInt64($0.trimmingWhitespace()) }
        for record in records {
            for call in record.calls where call.syscall == .io_setup {
                guard case .error(let e) = call.outcome else { continue }
                if e == .noFunction || e == .notPermitted { return "-\(e.name)" }
                guard e == .resourceTemporarilyUnavailable else { continue }
                let line = program.first { $0.number == record.line }
                if case .setup(_, let nr, _, _, _)? = line?.statement, nr >= 0, let maxNr,
                   UInt64(nr) * 2 <= maxNr {
                    return "-\(e.name) (aio-max-nr \(maxNr) is taken by other contexts)"
                }
            }
        }
        return nil
    }

    /// io_setup's nr_events as the step language takes it (an int, or an
    /// unsigned one that the kernel sees as negative).
    public static let nrEventsRange = Int64(Int32.min)...Int64(UInt32.max)
    /// The largest buffer a single call allocates for aio_nbytes (as `cancel --length`).
    public static let maxLength = Int64(RequestSpec.maxReadLength)

    /// Declares TARGET as `t` and returns the descriptor requests use, and
    /// the one that makes it ready (nil for a file or a descriptor number).
    mutating func declareTarget(_ target: TargetSpec, write: Bool = false) throws -> (DescriptorRef, DescriptorRef?) {
        switch target {
        case .pipe:
            add("pipe t", .descriptor(.pipe, name: "t"))
            return (.named("t", end: write ? "write" : "read"), .named("t", end: "write"))
        case .fifo:
            add("fifo t", .descriptor(.fifo, name: "t"))
            return (.named("t", end: write ? "write" : "read"), .named("t", end: "write"))
        case .socketpair:
            add("socketpair t", .descriptor(.socketpair, name: "t"))
            return (.named("t", end: "0"), .named("t", end: "1"))
        case .eventfd:
            add("eventfd t", .descriptor(.eventfd, name: "t"))
            return (.named("t"), .named("t"))
        case .path(let path):
            let flag: OpenFlag = write ? .wronly : .rdonly
            add("open t \(SingleCall.quoted(path)) \(flag.rawValue)", .open(name: "t", path: path, flags: [flag]))
            return (.named("t"), nil)
        case .fd(let n):
            return (.raw(n), nil)
        }
    }

    /// A path as the lexer reads it back: quoted when it holds anything but
    /// plain characters. Display only: the statement holds the path itself.
    static func quoted(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7f && $0 != "\"" && $0 != "#" }
        if plain && !path.isEmpty { return "\"\(path)\"" }
        return "\"" + Escapes.stepLanguage.apply(path) + "\""
    }

    public static func setup(nrEvents: Int64, ctxp: String, preset: UInt64) throws -> SingleCall {
        guard nrEventsRange.contains(nrEvents) else {
            throw UsageError("nr \(nrEvents) is out of range (\(nrEventsRange.lowerBound) to \(nrEventsRange.upperBound))")
        }
        guard let pointer = PointerArg(rawValue: ctxp) else {
            throw UsageError("--ctxp takes valid, null, unmapped or readonly")
        }
        var s = SingleCall()
        s.subject("ctx a = setup \(nrEvents) ctxp=\(ctxp)" + (preset != 0 ? " preset=\(hex(preset))" : ""),
                  .setup(name: "a", nrEvents: nrEvents, ctxp: pointer, preset: preset, via: nil))
        if pointer == .valid && preset == 0 { s.add("show ring a", .show(.ring(.named("a")))) }
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

    /// `nowait,hipri` or a number, as the step language's rwflags= takes it.
    static func parseRWFlags(_ text: String) throws -> Int32 {
        var bits: Int64 = 0
        let parts = text.split(whereSeparator: { $0 == "," || $0 == "|" })
        guard !parts.isEmpty else { throw UsageError("--rw-flags needs a flag name or a number") }
        for part in parts {
            if let bit = ScriptParser.rwFlagNames[String(part)] { bits |= bit }
            else if let n = Cursor.number(String(part)), n >= 0, n <= Int64(UInt32.max) { bits |= n }
            else {
                throw UsageError("unknown --rw-flags value '\(part)' (\(ScriptParser.rwFlagNames.keys.sorted().joined(separator: ", ")), or a number)")
            }
        }
        return Int32(truncatingIfNeeded: bits)
    }

    static let opcodes: [String: UInt16] = ScriptParser.opcodes

    public static func submit(_ r: SubmitRequest) throws -> SingleCall {
        guard r.copies >= 1, r.copies <= 65536 else { throw UsageError("--copies must be between 1 and 65536") }
        var decl: IocbDecl
        if r.operation.hasPrefix("opcode ") {
            guard let n = UInt16(r.operation.dropFirst(7)) else {
                throw UsageError("--op opcode N takes N from 0 to \(UInt16.max)")
            }
            decl = IocbDecl(opcode: n, opcodeName: "opcode \(n)")
        } else if let code = opcodes[r.operation] {
            decl = IocbDecl(opcode: code, opcodeName: r.operation)
        } else {
            throw UsageError("--op takes \(opcodes.keys.sorted().joined(separator: ", ")), or an opcode number")
        }
        var s = SingleCall()
        let nrEvents = Int64(Swift.max(8, r.copies))
        s.add("ctx a = setup \(nrEvents)", .setup(name: "a", nrEvents: nrEvents, ctxp: .valid, preset: 0, via: nil))
        let writes = ["pwrite", "pwritev"].contains(r.operation)
        let (fd, readyEnd) = try s.declareTarget(r.target, write: writes)
        decl.fd = fd
        var text = "iocb r\(r.copies > 1 ? "[\(r.copies)]" : "") = \(decl.opcodeName) \(fd)"
        if r.operation == "poll" {
            let events: PollEvents
            do { events = try PollEvents(parsing: r.events) } catch let e as AioctlError {
                throw UsageError("--events: \(e.message)")
            }
            decl.pollEvents = events.rawValue
            text += " \(events)"
        }
        if let length = r.length {
            guard length >= 0, length <= maxLength else {
                throw UsageError("--length \(length) is outside 0 to \(maxLength) (1 GiB): aioctl allocates a buffer that large")
            }
            decl.length = UInt64(length)
            text += " len=\(length)"
        }
        if r.offset != 0 {
            decl.offset = r.offset
            text += " off=\(r.offset)"
        }
        if let flags = r.rwFlags {
            decl.rwFlags = try parseRWFlags(flags)
            text += " rwflags=\(hex(UInt32(bitPattern: decl.rwFlags)))"
        }
        if r.reserved2 != 0 {
            decl.reserved2 = r.reserved2
            text += " reserved2=\(r.reserved2)"
        }
        decl.count = r.copies > 1 ? r.copies : nil
        s.add(text, .iocb(name: "r", decl))
        if r.ready, let end = readyEnd { s.add("write \(end) 1", .write(end, bytes: 1)) }
        let item: SubmitItem = r.copies > 1 ? .iocbRange("r", nil) : .iocb("r")
        if let nr = r.nr, nr > Int64(r.copies) {
            // More than the array holds would make the kernel read past it.
            throw UsageError("--nr \(nr) is more than the \(r.copies) iocb(s) submitted")
        }
        s.subject("submit a \(r.copies > 1 ? "r[*]" : "r")" + (r.nr.map { " nr=\($0)" } ?? ""),
                  .submit(.named("a"), items: [item], iocbpp: .valid, nr: r.nr, via: nil))
        let reap = try DelaySpec(parsing: r.reapTimeout, allowNever: false).nanoseconds ?? 0
        s.add("getevents a min=0 max=\(nrEvents) timeout=\(formatDuration(reap))",
              .getevents(.named("a"), min: 0, max: nrEvents, timeout: .duration(reap), events: .valid, mask: nil,
                         via: nil))
        return s
    }

    public static func getevents(min: Int64, max: Int64, timeout: String, events: String, pending: Int,
                                 ready: Int) throws -> SingleCall {
        guard ready >= 0, pending >= 0, ready <= 1000, pending <= 1000, ready + pending <= 1000 else {
            throw UsageError("--ready and --pending must be between 0 and 1000 together")
        }
        guard let eventsPointer = PointerArg(rawValue: events) else {
            throw UsageError("--events-pointer takes valid, null, unmapped or readonly")
        }
        let wait: Timeout
        switch timeout {
        case "none": wait = .none
        case "invalid": wait = .outOfRange
        case "unmapped": wait = .unmapped
        default: wait = .duration(try DelaySpec(parsing: timeout, allowNever: false).nanoseconds ?? 0)
        }
        var s = SingleCall()
        let nrEvents = Int64(Swift.max(8, pending + ready))
        s.add("ctx a = setup \(nrEvents)", .setup(name: "a", nrEvents: nrEvents, ctxp: .valid, preset: 0, via: nil))
        s.add("pipe p", .descriptor(.pipe, name: "p"))
        var poll = IocbDecl(opcode: 5, opcodeName: "poll")
        poll.pollEvents = PollEvents.in.rawValue
        if pending + ready > 0 {
            var q = poll
            q.fd = .named("p", end: "read")
            q.count = pending + ready
            s.add("iocb q[\(pending + ready)] = poll p.read in", .iocb(name: "q", q))
        }
        if ready > 0 {
            s.add("pipe ready", .descriptor(.pipe, name: "ready"))
            s.add("write ready.write 1", .write(.named("ready", end: "write"), bytes: 1))
            // Polls on a readable pipe complete at once; these are the ready ones.
            var done = poll
            done.fd = .named("ready", end: "read")
            done.count = ready
            s.add("iocb done[\(ready)] = poll ready.read in", .iocb(name: "done", done))
            s.add("submit a done[*]", .submit(.named("a"), items: [.iocbRange("done", nil)], iocbpp: .valid, nr: nil,
                                              via: nil))
        }
        if pending > 0 {
            s.add("submit a q[0..\(pending - 1)]", .submit(.named("a"), items: [.iocbRange("q", 0...(pending - 1))],
                                                          iocbpp: .valid, nr: nil, via: nil))
        }
        let timeoutText: String
        switch wait {
        case .duration(let ns): timeoutText = formatDuration(ns)
        default: timeoutText = timeout
        }
        s.subject("getevents a min=\(min) max=\(max) timeout=\(timeoutText) events=\(events)",
                  .getevents(.named("a"), min: min, max: max, timeout: wait, events: eventsPointer, mask: nil,
                             via: nil))
        return s
    }

    public static func destroy(context: String, pendingPoll: Bool) throws -> SingleCall {
        let ref: ContextRef
        switch context {
        case "valid", "destroyed": ref = .named("a")
        case "0": ref = .zero
        case "garbage": ref = .garbage
        case "unmapped": ref = .unmapped
        default: throw UsageError("--ctx takes valid, destroyed, 0, garbage or unmapped")
        }
        var s = SingleCall()
        s.add("ctx a = setup 8", .setup(name: "a", nrEvents: 8, ctxp: .valid, preset: 0, via: nil))
        if pendingPoll {
            s.add("pipe p", .descriptor(.pipe, name: "p"))
            var poll = IocbDecl(opcode: 5, opcodeName: "poll")
            poll.pollEvents = PollEvents.in.rawValue
            poll.fd = .named("p", end: "read")
            s.add("iocb r = poll p.read in", .iocb(name: "r", poll))
            s.add("submit a r", .submit(.named("a"), items: [.iocb("r")], iocbpp: .valid, nr: nil, via: nil))
        }
        if context == "destroyed" { s.add("destroy a", .destroy(.named("a"), via: nil)) }
        s.subject("destroy \(ref)", .destroy(ref, via: nil))
        return s
    }
}
