import AIODocuments
import AIOKernel
/// What a name stands for in a script.
public enum Declared: Equatable, Sendable {
    case context
    /// A pipe, socketpair, eventfd or fifo; nil for a file from `open`.
    case descriptor(DescriptorKind?)
    case iocb
    /// `iocb q[N]`: the elements are declared as q[0] to q[N-1].
    case iocbArray(Int)

    var kindName: String {
        switch self {
        case .context: return "context"
        case .descriptor: return "descriptor"
        case .iocb: return "iocb"
        case .iocbArray: return "iocb array"
        }
    }

    var detail: String {
        switch self {
        case .context: return "a context"
        case .descriptor(nil): return "an opened file"
        case .descriptor(.eventfd?): return "an eventfd"
        case .descriptor(let k?): return "a \(k.rawValue)"
        case .iocb: return "an iocb"
        case .iocbArray(let n): return "an array of \(n) iocbs"
        }
    }

    /// The ends a descriptor declaration provides (`p.read`); empty: the name itself.
    var ends: [String] {
        switch self {
        case .descriptor(.pipe?), .descriptor(.fifo?), .descriptor(.tmpfile?): return ["read", "write"]
        case .descriptor(.socketpair?): return ["0", "1"]
        default: return []
        }
    }
}

/// Checks a script's names before anything runs: every name used is
/// declared earlier, of the right kind, and declared once. `aioctl shell`
/// feeds it one line at a time and keeps it between lines.
public struct ScriptChecker: Sendable {
    public private(set) var names: [String: Declared] = [:]

    public init() {}

    /// Records the line's declarations, or throws naming the problem and line.
    public mutating func check(_ line: ScriptLine) throws {
        var copy = self
        try copy.check(line.statement, line: line.number)
        self = copy
    }

    private mutating func check(_ s: Statement, line: Int) throws {
        func fail(_ message: String) -> ScriptParseError {
            ScriptParseError(line: line, column: 1, message: message)
        }
        func declare(_ name: String, _ what: Declared) throws {
            if let old = names[name] { throw fail("'\(name)' is already declared as \(old.detail)") }
            names[name] = what
        }
        func use(_ name: String, as kind: String) throws -> Declared {
            guard let found = names[name] else { throw fail("no \(kind) named '\(name)' is declared before this line") }
            guard found.kindName == kind else { throw fail("'\(name)' is \(found.detail), not a \(kind)") }
            return found
        }
        func use(_ ctx: ContextRef) throws { if case .named(let n) = ctx { _ = try use(n, as: "context") } }
        func use(_ fd: DescriptorRef?) throws {
            guard let fd, let name = fd.name else { return }
            let found = try use(name, as: "descriptor")
            let ends = found.ends
            if let end = fd.end, !ends.contains(end) {
                throw fail("'\(name)' has no end '.\(end)'"
                           + (ends.isEmpty ? " (write '\(name)' alone)" : " (ends: \(ends.map { name + "." + $0 }.joined(separator: ", ")))"))
            }
            if fd.end == nil, !ends.isEmpty {
                throw fail("'\(name)' has two ends; name one (\(ends.map { name + "." + $0 }.joined(separator: " or ")))")
            }
        }
        func use(_ item: SubmitItem) throws {
            switch item {
            case .iocb(let n): _ = try use(n, as: "iocb")
            case .iocbRange(let n, let range):
                guard case .iocbArray(let count)? = names[n] else {
                    throw fail("'\(n)' is not an iocb array (declare one with iocb \(n)[COUNT] = ...)")
                }
                if let range, range.upperBound >= count {
                    throw fail("\(n)[\(range.lowerBound)..\(range.upperBound)] is past the end of \(n)[\(count)]")
                }
            case .null, .unmapped, .kernel: break
            }
        }

        switch s {
        case .setup(let name, _, _, _, _): try declare(name, .context)
        case .descriptor(let kind, let name): try declare(name, .descriptor(kind))
        case .open(let name, _, _): try declare(name, .descriptor(nil))
        case .close(let fd), .write(let fd, _), .read(let fd, _): try use(fd)
        case .iocb(let name, let decl):
            try use(decl.fd)
            try use(decl.resfd)
            if let count = decl.count {
                try declare(name, .iocbArray(count))
                for i in 0..<count { try declare("\(name)[\(i)]", .iocb) }
            } else {
                try declare(name, .iocb)
            }
        case .submit(let ctx, let items, _, _, _):
            try use(ctx)
            for item in items { try use(item) }
        case .cancel(let ctx, let item, _, _):
            try use(ctx)
            if case .iocbRange(let n, _) = item { throw fail("cancel takes one iocb, not \(n)[...]") }
            try use(item)
        case .getevents(let ctx, _, _, _, _, _, _, _), .destroy(let ctx, _): try use(ctx)
        case .after(_, let inner): try check(inner, line: line)
        case .reap(let ctx, _, _): try use(ctx)
        case .awaitSleep(let name, _):
            guard let found = names[name] else { throw fail("no iocb or context named '\(name)' is declared before this line") }
            guard ["iocb", "context"].contains(found.kindName) else {
                throw fail("'\(name)' is \(found.detail); await takes an iocb (its io_submit) or a context (its io_destroy)")
            }
        case .fork(let inner):
            switch inner {
            case .destroy, .cancel: break
            case .submit(_, let items, _, _, _) where items.count == 1: break
            default: throw fail("fork makes one destroy, one cancel or a submit of one iocb")
            }
            if case .cancel(_, .iocbRange, _, _) = inner { throw fail("fork makes one cancel of one named iocb") }
            if case .submit(_, let items, _, _, _) = inner, case .iocbRange? = items.first {
                throw fail("fork submits one named iocb")
            }
            try check(inner, line: line)
        case .set(let name, _): _ = try use(name, as: "iocb")
        case .fadvise(let fd, _, _, _): try use(fd)
        case .without(_, let inner): try check(inner, line: line)
        case .show(.iocb(let name)): _ = try use(name, as: "iocb")
        case .show(.ring(let ctx)): try use(ctx)
        case .signal(let sig, _, let handler, _):
            if [2, 15].contains(sig) {
                throw fail("\(SignalNames.name(sig)) is how aioctl is interrupted; pick SIGUSR1, SIGUSR2 or SIGALRM")
            }
            if !handler && !SignalNames.ignoredByDefault.contains(sig) {
                throw fail("\(SignalNames.name(sig)) without a handler would kill aioctl; use 'handler', or SIGCHLD, SIGCONT or SIGWINCH")
            }
        case .show(.handles), .show(.timeout), .sleep, .via, .help, .wait, .aioNr, .aioNrBack, .stop: break
        }
    }
}

extension SignalNames {
    /// Signals whose default action is to do nothing.
    public static let ignoredByDefault: Set<Int32> = [17, 18, 28]
}
