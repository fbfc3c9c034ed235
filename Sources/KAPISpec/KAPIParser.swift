/// Reads KAPI specifications from a patch, a mail, a source file with the
/// specs applied, or the JSON tools/kapi writes. Both dialects: RFC v5's
/// KAPI_* names and the 2026 postings' short tokens are kept as written.
public enum KAPIParser {
    /// Parses one file's text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> [KAPISpec] {
        let start = text.drop { $0.isWhitespace }.first
        if start == "{" || start == "[" { return try KAPIJSONReader.specs(text, file: file) }
        let lines = try KAPIInput.sourceLines(text, file: file)
        let specs = try blocks(lines, file: file).compactMap { try spec(from: $0, file: file) }
        guard !specs.isEmpty else {
            throw KAPIParseError(file: file, line: 0,
                                 "no KAPI specification found (a /** ... */ block with param:, return: or error: entries)")
        }
        return specs
    }

    /// Entry kinds that open a new entry, as written before the colon.
    static let entryKeys: [String: KAPIKind] = [
        "param": .param, "return": .return, "error": .error, "side-effect": .sideEffect,
        "state-trans": .stateTrans, "signal": .signal, "constraint": .constraint, "lock": .lock,
        "capability": .capability, "notes": .notes, "examples": .examples, "long-desc": .longDesc,
        "context-flags": .contexts, "contexts": .contexts, "since-version": .sinceVersion,
    ]

    /// Fields inside an entry, both dialects.
    static let fieldKeys: Set<String> = [
        "type", "flags", "constraint-type", "range", "constraint", "cdesc", "size", "desc", "target",
        "condition", "reversible", "from", "to", "expr", "check-type", "success", "direction", "action",
        "error", "errno", "timing", "priority", "restartable", "interruptible", "acquired", "released",
        "allows", "without", "valid-mask", "alignment", "min", "max", "default", "struct", "mask",
    ]

    struct Block {
        var line: Int
        var lines: [KAPIInput.Line]
    }

    /// The /** ... */ comment blocks, their lines without the leading " * ".
    static func blocks(_ lines: [KAPIInput.Line], file: String) throws -> [Block] {
        var result: [Block] = []
        var current: Block?
        for line in lines {
            let text = line.text.trimmed
            if current == nil {
                if text == "/**" || text.hasPrefix("/** ") { current = Block(line: line.number, lines: []) }
                continue
            }
            var content = text
            var closes = false
            if let end = content.firstRange(of: "*/") {
                content = String(content[..<end.lowerBound])
                closes = true
            }
            if content.hasPrefix("*") { content.removeFirst() }
            if content.hasPrefix(" ") { content.removeFirst() }
            current!.lines.append(KAPIInput.Line(number: line.number, text: content))
            if closes {
                result.append(current!)
                current = nil
            }
        }
        if let open = current, open.lines.contains(where: { isEntryLine($0.text) }) {
            throw KAPIParseError(file: file, line: open.line, "the comment block opened here is never closed (*/ missing)")
        }
        return result
    }

    static func isEntryLine(_ text: String) -> Bool {
        guard let (key, _) = keyValue(text) else { return false }
        return entryKeys[key] != nil
    }

    /// "key: value" with a lowercase key; nil for prose.
    static func keyValue(_ text: String) -> (String, String)? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let key = String(text[..<colon])
        guard !key.isEmpty, key.allSatisfy({ $0.isLowercase || $0 == "-" }) else { return nil }
        let rest = text[text.index(after: colon)...]
        guard rest.isEmpty || rest.first!.isWhitespace else { return nil }
        return (key, String(rest).trimmed)
    }

    /// One block as a spec, or nil when it is ordinary kerneldoc.
    static func spec(from block: Block, file: String) throws -> KAPISpec? {
        guard block.lines.contains(where: { isEntryLine($0.text) }) else { return nil }
        guard let first = block.lines.first(where: { !$0.text.trimmed.isEmpty }) else { return nil }
        let title = first.text.trimmed
        guard let dash = title.firstRange(of: " - ") else {
            throw KAPIParseError(file: file, line: first.number,
                                 "a specification block must start with 'name - summary', got '\(title)'")
        }
        let functionName = String(title[..<dash.lowerBound]).trimmed
        let name = functionName.hasPrefix("sys_") ? String(functionName.dropFirst(4)) : functionName
        var entries: [KAPIEntry] = []
        var lastField: Int?  // index into entries.last!.fields; nil: continuing the header
        var blankPending = false

        for line in block.lines.drop(while: { $0.number <= first.number }) {
            let text = line.text.trimmed
            if text.isEmpty { blankPending = true; continue }
            if text.hasPrefix("@") && entries.isEmpty { continue }  // kerneldoc's own @param lines
            if let (key, value) = keyValue(text), let kind = entryKeys[key],
               !isFieldOfCurrent(key, value, entries.last) {
                try check(kind, value, line: line.number, file: file)
                entries.append(KAPIEntry(kind: kind, header: value, line: line.number))
                lastField = nil
                blankPending = false
                continue
            }
            if let (key, value) = keyValue(text), fieldKeys.contains(key), !entries.isEmpty,
               !isProse(entries.last!.kind) {
                if key == "range", KAPIEntry.pair(value) == nil {
                    throw KAPIParseError(file: file, line: line.number, "range must be 'min, max', got '\(value)'")
                }
                entries[entries.count - 1].fields.append(KAPIField(name: key, value: value, line: line.number))
                lastField = entries[entries.count - 1].fields.count - 1
                blankPending = false
                continue
            }
            if let (key, _) = keyValue(text), fieldKeys.contains(key), entries.isEmpty {
                throw KAPIParseError(file: file, line: line.number,
                                     "'\(key):' belongs to no entry (param:, return:, error:, ... must come first)")
            }
            guard !entries.isEmpty else { continue }  // the kerneldoc description before the entries
            let separator = blankPending ? "\n" : " "
            blankPending = false
            if let f = lastField {
                entries[entries.count - 1].fields[f].value += separator + text
            } else {
                let header = entries[entries.count - 1].header
                entries[entries.count - 1].header = header.isEmpty ? text : header + separator + text
            }
        }
        return KAPISpec(name: name, functionName: functionName, summary: String(title[dash.upperBound...]).trimmed,
                        file: file, line: block.line, entries: entries)
    }

    /// Free text until the next entry: no fields inside.
    static func isProse(_ kind: KAPIKind) -> Bool {
        [.notes, .examples, .longDesc, .contexts, .sinceVersion].contains(kind)
    }

    /// "constraint:" inside a param and "error:" inside a signal are fields, not new entries.
    static func isFieldOfCurrent(_ key: String, _ value: String, _ current: KAPIEntry?) -> Bool {
        guard let current else { return false }
        if key == "constraint" && current.kind == .param { return current.field("constraint") == nil }
        if key == "error" && current.kind == .signal { return value.hasPrefix("-") || current.field("error") == nil && !value.contains(",") }
        return false
    }

    static func check(_ kind: KAPIKind, _ value: String, line: Int, file: String) throws {
        switch kind {
        case .param, .signal, .lock, .stateTrans, .constraint, .capability, .sideEffect:
            if value.isEmpty { throw KAPIParseError(file: file, line: line, "'\(kind.rawValue):' needs a name") }
        case .error:
            let parts = value.split(separator: ",", maxSplits: 1).map { String($0).trimmed }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw KAPIParseError(file: file, line: line, "'error:' needs 'ERRNO, summary', got '\(value)'")
            }
        default:
            break
        }
    }
}
