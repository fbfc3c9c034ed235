/// A Kernel API Specification as the draft series writes it in kerneldoc:
/// one block per syscall, a list of entries (params, the return, errors, side
/// effects, state transitions, signals, constraints, locks, notes).
public struct KAPISpec: Sendable {
    /// The syscall's name without the "sys_" prefix ("io_cancel").
    public var name: String
    /// The kerneldoc name as written ("sys_io_cancel").
    public var functionName: String
    /// The one-line summary after the name.
    public var summary: String
    /// The file it came from and the line its block starts on.
    public var file: String
    public var line: Int
    public var entries: [KAPIEntry]

    public init(name: String, functionName: String, summary: String, file: String, line: Int, entries: [KAPIEntry]) {
        (self.name, self.functionName, self.summary, self.file, self.line, self.entries) =
            (name, functionName, summary, file, line, entries)
    }

    public func entries(_ kind: KAPIKind) -> [KAPIEntry] { entries.filter { $0.kind == kind } }

    /// The entry of that kind whose key matches (an error's errno, a param's name...),
    /// narrowed by summary when several error entries share an errno.
    public func entry(_ kind: KAPIKind, key: String, summary: String? = nil) -> KAPIEntry? {
        entries.first { entry in
            entry.kind == kind && KAPIEntry.sameText(entry.key, key)
                && (summary == nil || KAPIEntry.sameText(entry.summary ?? "", summary!))
        }
    }

    /// RFC v5 writes KAPI_* enum names; the 2026 postings write short tokens.
    public var dialect: KAPIDialect {
        entries.contains { $0.header.contains("KAPI_") || $0.fields.contains { $0.value.contains("KAPI_") } }
            ? .rfcV5 : .shortTokens
    }
}

public enum KAPIDialect: String, Sendable {
    case rfcV5 = "rfc-v5"
    case shortTokens = "short-tokens"
}

/// The entry kinds, named as the specification format names them.
public enum KAPIKind: String, CaseIterable, Sendable {
    case param, `return`, error
    case sideEffect = "side-effect"
    case stateTrans = "state-trans"
    case signal, constraint, lock, capability, notes, examples
    case longDesc = "long-desc"
    /// "context-flags:" in RFC v5, "contexts:" in the short-token dialect.
    case contexts
    case sinceVersion = "since-version"
}

/// One "name: value" line of an entry, continuation lines joined.
public struct KAPIField: Sendable, Equatable {
    public var name: String
    public var value: String
    public var line: Int

    public init(name: String, value: String, line: Int) {
        (self.name, self.value, self.line) = (name, value, line)
    }
}

public struct KAPIEntry: Sendable {
    public var kind: KAPIKind
    /// What follows "kind:" on the entry's first line.
    public var header: String
    public var fields: [KAPIField]
    public var line: Int

    public init(kind: KAPIKind, header: String, fields: [KAPIField] = [], line: Int) {
        (self.kind, self.header, self.fields, self.line) = (kind, header, fields, line)
    }

    public func field(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// How the entry is named: an error by its errno ("EINVAL", or
    /// "(driver-specific)"), a side effect by its target, the return, notes
    /// and long description by their kind, anything else by its header.
    public var key: String {
        switch kind {
        case .error: return splitHeader.key
        case .sideEffect: return field("target") ?? header
        case .return, .notes, .longDesc, .examples: return kind.rawValue
        default: return header
        }
    }

    /// An error entry's words after the errno ("Invalid AIO context").
    public var summary: String? {
        kind == .error ? splitHeader.summary : nil
    }

    /// The text that says what the entry means: desc (or cdesc), else the header.
    public var description: String {
        field("desc") ?? field("cdesc") ?? field("constraint") ?? header
    }

    /// A param's range: "range: 1, 8388608" (RFC v5) or "constraint-type: range(0, KMAX)".
    public var range: (lower: String, upper: String)? {
        if let text = field("range") { return KAPIEntry.pair(text) }
        if let type = field("constraint-type"), type.hasPrefix("range("), type.hasSuffix(")") {
            return KAPIEntry.pair(String(type.dropFirst(6).dropLast()))
        }
        return nil
    }

    /// The return entry's success value ("0", "-EINPROGRESS", ">= 0").
    public var success: String? { field("success") }

    private var splitHeader: (key: String, summary: String?) {
        guard let comma = header.firstIndex(of: ",") else { return (header.trimmed, nil) }
        return (String(header[..<comma]).trimmed, String(header[header.index(after: comma)...]).trimmed)
    }

    static func pair(_ text: String) -> (lower: String, upper: String)? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmed }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (parts[0], parts[1])
    }

    /// Keys compare without regard to case or runs of white space.
    static func sameText(_ a: String, _ b: String) -> Bool {
        func norm(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased() }
        return norm(a) == norm(b)
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
