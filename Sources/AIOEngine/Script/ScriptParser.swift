import AIODocuments
import AIOKernel
import CAio

/// Parses the step language into statements; a script with any error runs nothing.
public enum ScriptParser {
    /// Parses a whole script. Blank lines and comments yield nothing.
    public static func parse(_ source: String) throws -> [ScriptLine] {
        var lines: [ScriptLine] = []
        for (index, raw) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let line = try parseLine(String(raw), number: index + 1) { lines.append(line) }
        }
        return lines
    }

    /// Parses one line; nil for a blank line or a comment.
    public static func parseLine(_ text: String, number: Int) throws -> ScriptLine? {
        let tokens = try ScriptLexer.tokens(of: text, lineNumber: number)
        guard !tokens.isEmpty else { return nil }
        var cursor = Cursor(tokens: tokens, line: number, lineLength: text.count)
        let statement = try parseStatement(&cursor)
        try cursor.expectEnd()
        return ScriptLine(number: number, text: text, statement: statement)
    }

    static func parseStatement(_ c: inout Cursor) throws -> Statement {
        let keyword = try c.word("a statement")
        switch keyword.text {
        case "ctx": return try parseSetup(&c)
        case "pipe", "socketpair", "eventfd", "fifo", "tmpfile":
            return .descriptor(DescriptorKind(rawValue: keyword.text)!, name: try c.name("a name for the \(keyword.text)"))
        case "open":
            let name = try c.name("a name for the descriptor")
            let path = try c.word("a path").text
            var flags: [OpenFlag] = []
            while let t = c.next() {
                guard let flag = OpenFlag(rawValue: t.text) else {
                    throw c.error(at: t, "unknown open flag '\(t.text)' (\(OpenFlag.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                flags.append(flag)
            }
            return .open(name: name, path: path, flags: flags)
        case "close": return .close(try c.descriptor())
        case "write": return .write(try c.descriptor(), bytes: Int(try c.integer("a byte count", min: 0, max: 1 << 20)))
        case "read": return .read(try c.descriptor(), bytes: Int(try c.integer("a byte count", min: 1, max: 1 << 20)))
        case "iocb": return try parseIocb(&c)
        case "submit": return try parseSubmit(&c)
        case "cancel":
            let ctx = try c.context()
            let item = try c.submitItem()
            let options = try c.options(["result", "via"])
            return .cancel(ctx, item, result: try options.pointer("result") ?? .valid, via: try options.via())
        case "getevents", "pgetevents": return try parseGetevents(&c, withMask: keyword.text == "pgetevents")
        case "destroy":
            let ctx = try c.context()
            let options = try c.options(["via"])
            return .destroy(ctx, via: try options.via())
        case "after":
            let delay = try c.duration()
            let inner = try parseStatement(&c)
            if case .after = inner { throw c.error(at: keyword, "'after' cannot hold another 'after'") }
            guard inner.syscall != nil || isTimedAction(inner) else {
                throw c.error(at: keyword, "'after' runs a call or a write/close/signal, not a declaration")
            }
            return .after(delay, inner)
        case "sleep": return .sleep(try c.duration())
        case "wait": return .wait(c.peek() == nil ? 2_000_000_000 : try c.duration())
        case "reap":
            let ctx = try c.context()
            let o = try c.options(["count", "within"])
            let count = try o.integer("count") ?? 1
            guard count >= 1, count <= 65536 else { throw o.error("count", "count must be between 1 and 65536") }
            let within = try o.raw("within").map { try Cursor.duration($0, c) } ?? 1_000_000_000
            return .reap(ctx, count: count, within: within)
        case "fork":
            let inner = try parseStatement(&c)
            switch inner {
            case .destroy, .cancel, .submit: return .fork(inner)
            default: throw c.error(at: keyword, "fork makes one destroy, one cancel or a submit of one iocb")
            }
        case "without":
            let list = try c.word("capabilities, e.g. CAP_SYS_ADMIN,CAP_SYS_NICE")
            let caps = try list.text.split(separator: ",").map { name -> CapabilityName in
                let upper = name.uppercased()
                guard let cap = CapabilityName(rawValue: upper.hasPrefix("CAP_") ? upper : "CAP_" + upper) else {
                    throw c.error(at: list, "unknown capability '\(name)' (\(CapabilityName.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                return cap
            }
            let inner = try parseStatement(&c)
            guard inner.syscall != nil, !isWrapper(inner) else {
                throw c.error(at: keyword, "'without' makes one call: setup, submit, cancel, getevents or destroy")
            }
            return .without(caps, inner)
        case "set": return try parseSet(&c)
        case "fadvise":
            let fd = try c.descriptor()
            let advice = try c.word("an advice (\(FadviseAdvice.allCases.map(\.rawValue).joined(separator: ", ")))")
            guard let a = FadviseAdvice(rawValue: advice.text.lowercased()) else {
                throw c.error(at: advice, "unknown advice '\(advice.text)' (\(FadviseAdvice.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let o = try c.options(["off", "len"])
            return .fadvise(fd, a, offset: try o.integer("off") ?? 0, length: try o.integer("len") ?? 0)
        case "stop":
            let resume = try c.duration()
            guard resume <= 10_000_000_000 else { throw c.error(at: keyword, "stop resumes within 10s at most") }
            return .stop(resumeAfter: resume)
        case "aionr":
            guard let next = c.peek() else { return .aioNr }
            guard next.text == "back" else { throw c.error(at: next, "aionr takes nothing, or 'back within=DURATION'") }
            c.advance()
            let o = try c.options(["within"])
            return .aioNrBack(within: try o.raw("within").map { try Cursor.duration($0, c) } ?? 1_000_000_000)
        case "await":
            let name = try c.name("an iocb name")
            let o = try c.options(["within"])
            return .awaitSleep(name, within: try o.raw("within").map { try Cursor.duration($0, c) } ?? 2_000_000_000)
        case "signal": return try parseSignal(&c)
        case "show":
            let what = try c.word("an iocb name, 'ring CTX' or 'handles'")
            switch what.text {
            case "ring": return .show(.ring(try c.context()))
            case "handles": return .show(.handles)
            case "timeout": return .show(.timeout)
            default: return .show(.iocb(try Cursor.validName(what, c)))
            }
        case "via":
            let mode = try c.word("libaio or syscall")
            guard let via = Via(rawValue: mode.text) else { throw c.error(at: mode, "via takes libaio or syscall") }
            return .via(via)
        case "help": return .help
        default:
            throw c.error(at: keyword, "unknown statement '\(keyword.text)' (try 'help')")
        }
    }

    static func isTimedAction(_ s: Statement) -> Bool {
        switch s {
        case .write, .close, .signal, .read, .fork, .stop, .set, .fadvise, .without: return true
        default: return false
        }
    }

    /// Statements that hold another: `without` takes a plain call.
    static func isWrapper(_ s: Statement) -> Bool {
        switch s {
        case .after, .fork, .without: return true
        default: return false
        }
    }

    /// `set IOCB FIELD=VALUE...`: raw values written into the iocb's memory.
    static func parseSet(_ c: inout Cursor) throws -> Statement {
        let name = try c.name("an iocb name")
        let o = try c.options(IocbField.allCases.map(\.rawValue))
        guard !o.values.isEmpty else { throw c.missing("FIELD=VALUE (\(IocbField.allCases.map(\.rawValue).joined(separator: ", ")))") }
        var values: [IocbFieldValue] = []
        for field in IocbField.allCases {
            guard let t = o.raw(field.rawValue) else { continue }
            guard let v = Cursor.unsigned(t.text) else {
                throw c.error(at: t, "\(field.rawValue) takes a number (decimal, -N or 0xHEX), found '\(t.text)'")
            }
            values.append(IocbFieldValue(field, v))
        }
        return .set(name, values)
    }

    static func parseSetup(_ c: inout Cursor) throws -> Statement {
        let name = try c.name("a name for the context")
        try c.literal("=")
        try c.literal("setup")
        let nr = try c.integer("nr_events", min: Int64(Int32.min), max: Int64(UInt32.max))
        let options = try c.options(["ctxp", "preset", "via"])
        return .setup(name: name, nrEvents: nr, ctxp: try options.pointer("ctxp") ?? .valid,
                      preset: UInt64(bitPattern: try options.integer("preset") ?? 0), via: try options.via())
    }

    static let opcodes: [String: UInt16] = [
        "pread": 0, "pwrite": 1, "fsync": 2, "fdsync": 3, "poll": 5, "noop": 6, "preadv": 7, "pwritev": 8,
    ]

    static func parseIocb(_ c: inout Cursor) throws -> Statement {
        let (name, count) = try c.declaredName("a name for the iocb (or name[COUNT])")
        try c.literal("=")
        let op = try c.word("an operation (\(opcodes.keys.sorted().joined(separator: ", ")), or opcode N)")
        var decl: IocbDecl
        if op.text == "opcode" {
            let n = try c.integer("an opcode number", min: 0, max: Int64(UInt16.max))
            decl = IocbDecl(opcode: UInt16(n), opcodeName: "opcode \(n)")
        } else if let code = opcodes[op.text] {
            decl = IocbDecl(opcode: code, opcodeName: op.text)
        } else {
            throw c.error(at: op, "unknown operation '\(op.text)' (\(opcodes.keys.sorted().joined(separator: ", ")), or opcode N)")
        }
        if let next = c.peek(), !next.text.contains("=") {
            decl.fd = try c.descriptor()
        } else if decl.opcodeName != "noop" && op.text != "opcode" {
            let message = "\(op.text) needs a descriptor, e.g. p.read"
            throw c.peek().map { c.error(at: $0, message) }
                ?? ScriptParseError(line: c.line, column: c.lineLength + 1, message: message)
        }
        if decl.opcodeName == "poll", let bits = c.peek(), !bits.text.contains("=") {
            c.advance()
            decl.pollEvents = try pollBits(bits, c)
        }
        let o = try c.options(["len", "off", "buf", "bufsize", "events", "rwflags", "reserved2", "flags",
                               "resfd", "rawresfd", "ioprio", "reqprio", "data", "key", "iovcnt", "page"])
        if let len = o.raw("len") {
            // The whole of aio_nbytes, up to 2^64-1: the buffer stays at most
            // 1 GiB (one page past that) with a guard page after it.
            guard !len.text.hasPrefix("-") else { throw o.error("len", "len cannot be negative (aio_nbytes: 0 to 2^64-1)") }
            guard let v = Cursor.unsigned(len.text) else {
                throw o.error("len", "len takes 0 to 18446744073709551615 (or 0xHEX)")
            }
            decl.length = v
        }
        if let page = o.raw("page") {
            guard let p = IocbPage(rawValue: page.text) else { throw c.error(at: page, "page takes own or readonly") }
            decl.page = p
        }
        decl.offset = try o.integer("off") ?? 0
        if let events = o.raw("events") { decl.pollEvents = try pollBits(events, c) }
        if let buf = o.raw("buf") {
            switch buf.text {
            case "own": decl.buffer = .own(size: nil)
            case "null": decl.buffer = .null
            case "unmapped": decl.buffer = .unmapped
            case "readonly": decl.buffer = .readOnly
            default:
                guard let v = Cursor.number(buf.text) else {
                    throw c.error(at: buf, "buf takes own, null, unmapped, readonly or an address")
                }
                decl.buffer = .value(UInt64(bitPattern: v))
            }
        }
        if let size = try o.integer("bufsize") {
            guard size > 0, size <= 1 << 30, case .own = decl.buffer else {
                throw o.error("bufsize", "bufsize needs buf=own and a size from 1 byte to 1 GiB")
            }
            decl.buffer = .own(size: Int(size))
        }
        if let flags = o.raw("rwflags") { decl.rwFlags = Int32(truncatingIfNeeded: try rwFlags(flags, c)) }
        decl.reserved2 = UInt64(bitPattern: try o.integer("reserved2") ?? 0)
        decl.aioFlags = UInt32(truncatingIfNeeded: try o.integer("flags") ?? 0)
        if let resfd = o.raw("resfd") {
            decl.resfd = try Cursor.descriptor(resfd, c)
            decl.aioFlags |= UInt32(CAIO_FLAG_RESFD)
        }
        if let raw = o.raw("rawresfd") {
            guard decl.resfd == nil else { throw o.error("rawresfd", "give resfd= or rawresfd=, not both") }
            decl.resfd = try Cursor.descriptor(raw, c)
            decl.resfdSetsFlag = false
        }
        if let prio = o.raw("ioprio") {
            decl.reqprio = try ioprio(prio, c)
            decl.aioFlags |= UInt32(CAIO_FLAG_IOPRIO)
        }
        if let raw = try o.integer("reqprio") { decl.reqprio = Int16(truncatingIfNeeded: raw) }
        decl.data = try o.integer("data").map { UInt64(bitPattern: $0) }
        decl.key = UInt32(truncatingIfNeeded: try o.integer("key") ?? 0)
        if let n = try o.integer("iovcnt") {
            guard n >= 1, n <= 65536 else { throw o.error("iovcnt", "iovcnt must be between 1 and 65536") }
            decl.iovecs = Int(n)
        }
        decl.count = count
        return .iocb(name: name, decl)
    }

    static func pollBits(_ t: ScriptToken, _ c: Cursor) throws -> UInt32 {
        do { return try PollEvents(parsing: t.text).rawValue } catch let e as AioctlError {
            throw c.error(at: t, e.message)
        }
    }

    static let rwFlagNames: [String: Int64] = [
        "hipri": 0x1, "dsync": 0x2, "sync": 0x4, "nowait": 0x8, "append": 0x10, "noappend": 0x20, "atomic": 0x40,
    ]

    static func rwFlags(_ t: ScriptToken, _ c: Cursor) throws -> Int64 {
        var bits: Int64 = 0
        for part in t.text.split(whereSeparator: { $0 == "," || $0 == "|" }) {
            if let bit = rwFlagNames[String(part)] { bits |= bit }
            else if let n = Cursor.number(String(part)) { bits |= n }
            else {
                throw c.error(at: t, "unknown rw flag '\(part)' (\(rwFlagNames.keys.sorted().joined(separator: ", ")), or a number)")
            }
        }
        return bits
    }

    static let ioprioClasses: [String: Int16] = ["none": 0, "rt": 1, "be": 2, "idle": 3]

    /// CLASS:LEVEL, e.g. be:4, rt:0, or a class number 0-7.
    static func ioprio(_ t: ScriptToken, _ c: Cursor) throws -> Int16 {
        let parts = t.text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let level = Int16(parts[1]), level >= 0, level < 8192 else {
            throw c.error(at: t, "ioprio takes CLASS:LEVEL, e.g. be:4 (classes: none, rt, be, idle, or 0-7)")
        }
        guard let cls = ioprioClasses[String(parts[0])] ?? Int16(parts[0]), cls >= 0, cls < 8 else {
            throw c.error(at: t, "unknown I/O priority class '\(parts[0])' (none, rt, be, idle, or 0-7)")
        }
        // The class sits in the top 3 bits of the 16: classes 4-7 set the sign bit.
        return Int16(bitPattern: UInt16(cls) << 13 | UInt16(level))
    }

    static func parseSubmit(_ c: inout Cursor) throws -> Statement {
        let ctx = try c.context()
        var items: [SubmitItem] = []
        while let t = c.peek(), !t.text.contains("=") {
            items.append(try c.submitItem())
        }
        let o = try c.options(["nr", "iocbpp", "via"])
        let iocbpp = try o.pointer("iocbpp") ?? .valid
        let nr = try o.integer("nr")
        // nr above the list's length would make the kernel read past our array.
        if iocbpp == .valid, let nr, nr > Int64(items.count) {
            throw o.error("nr", "nr=\(nr) is more than the \(items.count) iocb(s) listed")
        }
        return .submit(ctx, items: items, iocbpp: iocbpp, nr: nr, via: try o.via())
    }

    static func parseSignal(_ c: inout Cursor) throws -> Statement {
        let nameToken = try c.word("a signal name, e.g. SIGUSR1")
        guard let sig = SignalNames.number(nameToken.text) else {
            throw c.error(at: nameToken, "unknown signal '\(nameToken.text)' (\(SignalNames.all.map(\.0).joined(separator: ", ")))")
        }
        var after: UInt64?
        var handler = true
        var restart = false
        while let t = c.next() {
            switch t.text {
            case "after": after = try c.duration()
            case "handler": handler = true
            case "nohandler": handler = false
            case "restart": (handler, restart) = (true, true)
            default: throw c.error(at: t, "signal takes 'after DURATION' and 'handler', 'restart' (a handler with SA_RESTART) or 'nohandler'")
            }
        }
        return .signal(sig, afterNs: after, handler: handler, restart: restart)
    }
}

/// The signals a script may name.
public enum SignalNames {
    public static let all: [(String, Int32)] = [
        ("SIGUSR1", 10), ("SIGUSR2", 12), ("SIGALRM", 14), ("SIGCHLD", 17), ("SIGCONT", 18), ("SIGWINCH", 28),
        ("SIGHUP", 1), ("SIGINT", 2), ("SIGTERM", 15),
    ]

    public static func number(_ name: String) -> Int32? {
        let upper = name.uppercased()
        let full = upper.hasPrefix("SIG") ? upper : "SIG" + upper
        return all.first { $0.0 == full }?.1
    }

    /// Signals that end a process, named in reports of a killed child.
    static let fatal: [(String, Int32)] = [("SIGSEGV", 11), ("SIGBUS", 7), ("SIGABRT", 6), ("SIGKILL", 9), ("SIGILL", 4), ("SIGFPE", 8)]

    public static func name(_ number: Int32) -> String {
        (all + fatal).first { $0.1 == number }?.0 ?? "signal \(number)"
    }
}
