import JSONValue

/// Reads what `tools/kapi --format json` writes for one API ({"api_details":
/// {...}}), a list of such documents, or a bare details object. Its errors
/// carry "name" (the errno) and "condition" or "description"; params carry
/// "min_value"/"max_value".
enum KAPIJSONReader {
    static func specs(_ text: String, file: String) throws -> [KAPISpec] {
        let root: JSON
        do {
            root = try JSON.parse(text)
        } catch let error as JSON.ParseError {
            throw KAPIParseError(file: file, line: error.line, "invalid JSON: \(error.reason)")
        }
        let documents: [JSON]
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

    private static func spec(_ details: JSON, file: String) throws -> KAPISpec {
        guard let functionName = details["name"]?.stringValue, !functionName.isEmpty else {
            throw KAPIParseError(file: file, line: 1, "api_details has no name")
        }
        var entries: [KAPIEntry] = []
        func add(_ kind: KAPIKind, _ header: String, _ fields: [(String, String?)]) {
            let kept = fields.compactMap { name, value in value.map { KAPIField(name: name, value: $0, line: 0) } }
            entries.append(KAPIEntry(kind: kind, header: header, fields: kept, line: 0))
        }
        if let text = details["long_description"]?.stringValue { add(.longDesc, text, []) }
        if let flags = details["context_flags"]?.arrayValue { add(.contexts, flags.compactMap(\.stringValue).joined(separator: " | "), []) }
        for p in details["parameters"]?.arrayValue ?? [] {
            var range: String?
            if let lower = p["min_value"]?.text, let upper = p["max_value"]?.text { range = "\(lower), \(upper)" }
            add(.param, p["name"]?.stringValue ?? "", [("type", p["type_name"]?.stringValue), ("desc", p["description"]?.stringValue),
                                                  ("constraint", p["constraint"]?.stringValue), ("range", range)])
        }
        if let r = details["return_spec"] {
            add(.return, "", [("type", r["type_name"]?.stringValue), ("success", r["success_value"]?.text),
                              ("desc", r["description"]?.stringValue)])
        }
        for e in details["errors"]?.arrayValue ?? [] {
            guard let errno = e["name"]?.stringValue else {
                throw KAPIParseError(file: file, line: 1, "an error of \(functionName) has no name (errno)")
            }
            let summary = e["condition"]?.stringValue ?? e["description"]?.stringValue ?? errno
            add(.error, "\(errno), \(summary)", [("desc", e["description"]?.stringValue)])
        }
        // SideEffectSpec and StateTransitionSpec as the extractor serializes
        // them: effect_type is the KAPI_EFFECT_* value as a number, a missing
        // condition is null, reversible a bool (the kerneldoc's yes/no).
        for s in details["side_effects"]?.arrayValue ?? [] {
            add(.sideEffect, s["effect_type"]?.text ?? "", [("target", s["target"]?.stringValue),
                                                            ("condition", s["condition"]?.stringValue),
                                                            ("desc", s["description"]?.stringValue),
                                                            ("reversible", s["reversible"]?.yesNo)])
        }
        for t in details["state_transitions"]?.arrayValue ?? [] {
            add(.stateTrans, t["object"]?.stringValue ?? "", [("from", t["from_state"]?.stringValue), ("to", t["to_state"]?.stringValue),
                                                        ("condition", t["condition"]?.stringValue),
                                                        ("desc", t["description"]?.stringValue)])
        }
        for c in details["constraints"]?.arrayValue ?? [] {
            add(.constraint, c["name"]?.stringValue ?? "", [("desc", c["description"]?.stringValue), ("expr", c["expression"]?.stringValue)])
        }
        for l in details["locks"]?.arrayValue ?? [] {
            add(.lock, l["lock_name"]?.stringValue ?? l["name"]?.stringValue ?? "", [("desc", l["description"]?.stringValue)])
        }
        for s in details["signals"]?.arrayValue ?? [] {
            add(.signal, s["signal_name"]?.stringValue ?? "", [("condition", s["condition"]?.stringValue),
                                                          ("desc", s["description"]?.stringValue),
                                                          ("error", s["error_on_signal"]?.text)])
        }
        if let notes = details["notes"]?.stringValue { add(.notes, notes, []) }
        if let since = details["since_version"]?.stringValue { add(.sinceVersion, since, []) }
        let name = functionName.hasPrefix("sys_") ? String(functionName.dropFirst(4)) : functionName
        return KAPISpec(name: name, functionName: functionName, summary: details["description"]?.stringValue ?? "",
                        file: file, line: 0, entries: entries)
    }
}

extension JSON {
    /// A string or a number, as text (tools/kapi writes limits and values as either).
    var text: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .double(let d): return String(d)
        default: return nil
        }
    }
    /// A bool as the kerneldoc writes it.
    var yesNo: String? { boolValue.map { $0 ? "yes" : "no" } }
}
