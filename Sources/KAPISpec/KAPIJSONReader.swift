/// Reads what `tools/kapi --format json` writes for one API ({"api_details":
/// {...}}), a list of such documents, or a bare details object. Its errors
/// carry "name" (the errno) and "condition" or "description"; params carry
/// "min_value"/"max_value".
enum KAPIJSONReader {
    static func specs(_ text: String, file: String) throws -> [KAPISpec] {
        let root: MiniJSON
        do {
            root = try MiniJSON.parse(text)
        } catch let error as MiniJSON.Failure {
            throw KAPIParseError(file: file, line: error.line, "invalid JSON: \(error.reason)")
        }
        let documents: [MiniJSON]
        if case .array(let items) = root { documents = items } else { documents = [root] }
        var specs: [KAPISpec] = []
        for document in documents {
            if let details = document["api_details"] {
                specs.append(try spec(details, file: file))
            } else if document["apis"] != nil {
                throw KAPIParseError(file: file, line: 1,
                                     "this JSON lists API names only; ask tools/kapi for one API's details")
            } else if document["name"] != nil {
                specs.append(try spec(document, file: file))
            } else {
                throw KAPIParseError(file: file, line: 1, "JSON without api_details: not tools/kapi output")
            }
        }
        return specs
    }

    private static func spec(_ details: MiniJSON, file: String) throws -> KAPISpec {
        guard let functionName = details["name"]?.string, !functionName.isEmpty else {
            throw KAPIParseError(file: file, line: 1, "api_details has no name")
        }
        var entries: [KAPIEntry] = []
        func add(_ kind: KAPIKind, _ header: String, _ fields: [(String, String?)]) {
            let kept = fields.compactMap { name, value in value.map { KAPIField(name: name, value: $0, line: 0) } }
            entries.append(KAPIEntry(kind: kind, header: header, fields: kept, line: 0))
        }
        if let text = details["long_description"]?.string { add(.longDesc, text, []) }
        if let flags = details["context_flags"]?.array { add(.contexts, flags.compactMap(\.string).joined(separator: " | "), []) }
        for p in details["parameters"]?.array ?? [] {
            var range: String?
            if let lower = p["min_value"]?.text, let upper = p["max_value"]?.text { range = "\(lower), \(upper)" }
            add(.param, p["name"]?.string ?? "", [("type", p["type_name"]?.string), ("desc", p["description"]?.string),
                                                  ("constraint", p["constraint"]?.string), ("range", range)])
        }
        if let r = details["return_spec"] {
            add(.return, "", [("type", r["type_name"]?.string), ("success", r["success_value"]?.text),
                              ("desc", r["description"]?.string)])
        }
        for e in details["errors"]?.array ?? [] {
            guard let errno = e["name"]?.string else {
                throw KAPIParseError(file: file, line: 1, "an error of \(functionName) has no name (errno)")
            }
            let summary = e["condition"]?.string ?? e["description"]?.string ?? errno
            add(.error, "\(errno), \(summary)", [("desc", e["description"]?.string)])
        }
        // SideEffectSpec and StateTransitionSpec as the extractor serializes
        // them: effect_type is the KAPI_EFFECT_* value as a number, a missing
        // condition is null, reversible a bool (the kerneldoc's yes/no).
        for s in details["side_effects"]?.array ?? [] {
            add(.sideEffect, s["effect_type"]?.text ?? "", [("target", s["target"]?.string),
                                                            ("condition", s["condition"]?.string),
                                                            ("desc", s["description"]?.string),
                                                            ("reversible", s["reversible"]?.yesNo)])
        }
        for t in details["state_transitions"]?.array ?? [] {
            add(.stateTrans, t["object"]?.string ?? "", [("from", t["from_state"]?.string), ("to", t["to_state"]?.string),
                                                        ("condition", t["condition"]?.string),
                                                        ("desc", t["description"]?.string)])
        }
        for c in details["constraints"]?.array ?? [] {
            add(.constraint, c["name"]?.string ?? "", [("desc", c["description"]?.string), ("expr", c["expression"]?.string)])
        }
        for l in details["locks"]?.array ?? [] {
            add(.lock, l["lock_name"]?.string ?? l["name"]?.string ?? "", [("desc", l["description"]?.string)])
        }
        for s in details["signals"]?.array ?? [] {
            add(.signal, s["signal_name"]?.string ?? "", [("condition", s["condition"]?.string),
                                                          ("desc", s["description"]?.string),
                                                          ("error", s["error_on_signal"]?.text)])
        }
        if let notes = details["notes"]?.string { add(.notes, notes, []) }
        if let since = details["since_version"]?.string { add(.sinceVersion, since, []) }
        let name = functionName.hasPrefix("sys_") ? String(functionName.dropFirst(4)) : functionName
        return KAPISpec(name: name, functionName: functionName, summary: details["description"]?.string ?? "",
                        file: file, line: 0, entries: entries)
    }
}

/// Just enough JSON for tools/kapi's output, with the line of any fault.
enum MiniJSON {
    case object([(String, MiniJSON)]), array([MiniJSON]), string(String), number(String), bool(Bool), null

    struct Failure: Error {
        var line: Int
        var reason: String
    }

    subscript(key: String) -> MiniJSON? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }
    var string: String? { if case .string(let s) = self { return s }; return nil }
    /// A bool as the kerneldoc writes it.
    var yesNo: String? { if case .bool(let b) = self { return b ? "yes" : "no" }; return nil }
    var array: [MiniJSON]? { if case .array(let a) = self { return a }; return nil }
    /// A string or a number, as text.
    var text: String? {
        switch self {
        case .string(let s), .number(let s): return s
        default: return nil
        }
    }

    static func parse(_ text: String) throws -> MiniJSON {
        var reader = Reader(bytes: Array(text.utf8))
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        if reader.index < reader.bytes.count { throw reader.failure("text after the JSON value") }
        return value
    }

    struct Reader {
        var bytes: [UInt8]
        var index = 0

        func failure(_ reason: String) -> Failure {
            Failure(line: 1 + bytes[..<min(index, bytes.count)].filter { $0 == 10 }.count, reason: reason)
        }

        mutating func skipSpace() {
            while index < bytes.count, [9, 10, 13, 32].contains(bytes[index]) { index += 1 }
        }

        mutating func value(depth: Int) throws -> MiniJSON {
            guard depth < 64 else { throw failure("nested too deep") }
            skipSpace()
            guard index < bytes.count else { throw failure("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(String, MiniJSON)] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard case .string(let key) = try value(depth: depth + 1) else { throw failure("object key is not a string") }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("':' expected") }
                    index += 1
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard index < bytes.count else { throw failure("unexpected end in object") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                    throw failure("',' or '}' expected")
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [MiniJSON] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw failure("unexpected end in array") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                    throw failure("',' or ']' expected")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default:
                let start = index
                while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
                guard index > start else { throw failure("unexpected character") }
                return .number(String(decoding: bytes[start..<index], as: UTF8.self))
            }
        }

        mutating func literal(_ word: String, _ value: MiniJSON) throws -> MiniJSON {
            let w = Array(word.utf8)
            guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else {
                throw failure("unexpected character")
            }
            index += w.count
            return value
        }

        mutating func string() throws -> String {
            index += 1
            var out: [UInt8] = []
            while index < bytes.count {
                let c = bytes[index]
                index += 1
                if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                guard c == UInt8(ascii: "\\") else { out.append(c); continue }
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count,
                          let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                        throw failure("bad \\u escape")
                    }
                    index += 4
                    out.append(contentsOf: Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
                default: out.append(e)
                }
            }
            throw failure("unterminated string")
        }
    }
}
