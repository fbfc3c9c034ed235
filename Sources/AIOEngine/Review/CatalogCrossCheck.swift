import AIODocuments
import AIOKernel
import KAPISpec

/// The catalog's kapi claims held against the specifications themselves:
/// every cited entry must exist and predict what the claim says it predicts;
/// entries no situation cites are listed, for someone to read and place.
public struct CatalogCrossCheck: Sendable {
    public struct Finding: Sendable {
        public var situation: String
        public var citation: Citation
        public var problem: String
    }

    public struct Uncited: Sendable {
        public var syscall: String
        public var entry: KAPIEntry
    }

    /// Citations that name an entry the specs do not have.
    public var missing: [Finding] = []
    /// Citations whose entry says another errno or value than the claim.
    public var mismatched: [Finding] = []
    public var uncited: [Uncited] = []
    /// Citations checked (those of the syscalls the specs cover).
    public var checked = 0

    public var agrees: Bool { missing.isEmpty && mismatched.isEmpty }

    /// The kinds of entry a claim can rest on; the rest (contexts, examples,
    /// since-version) say nothing a call could show.
    public static let citable: Set<KAPIKind> = [.param, .return, .error, .sideEffect, .stateTrans, .signal, .constraint,
                                         .lock, .capability]

    public static func run(_ specs: [KAPISpec], catalog: [Situation] = Catalog.all) -> CatalogCrossCheck {
        var result = CatalogCrossCheck()
        var cited: [(syscall: String, kind: KAPIKind, key: String, summary: String?)] = []
        for situation in catalog {
            for claim in situation.claims {
                for citation in claim.citations {
                    guard case .kapi(let syscall, let kind, let key, let summary) = citation,
                          let spec = specs.first(where: { $0.name == syscall }),
                          let specKind = KAPIKind(rawValue: kind.rawValue) else { continue }
                    result.checked += 1
                    cited.append((syscall, specKind, key, summary))
                    guard let entry = spec.entry(specKind, key: key, summary: summary) else {
                        result.missing.append(Finding(situation: situation.id, citation: citation,
                                                      problem: "the \(syscall) spec has no \(citation.description.dropFirst(5))"))
                        continue
                    }
                    if let problem = disagreement(claim, entry) {
                        result.mismatched.append(Finding(situation: situation.id, citation: citation, problem: problem))
                    }
                }
            }
        }
        for spec in specs {
            for entry in spec.entries where citable.contains(entry.kind) {
                let isCited = cited.contains { c in
                    c.syscall == spec.name && c.kind == entry.kind && sameKey(c.key, entry.key)
                        && (c.summary == nil || sameKey(c.summary!, entry.summary ?? ""))
                }
                if !isCited { result.uncited.append(Uncited(syscall: spec.name, entry: entry)) }
            }
        }
        return result
    }

    /// Whether the entry predicts what the claim says: the same errno for an
    /// error entry, the same success value for the return.
    static func disagreement(_ claim: Claim, _ entry: KAPIEntry) -> String? {
        switch entry.kind {
        case .error:
            guard case .error(let e) = claim.expected else { return nil }
            let named = canonicalErrno(entry.key)
            guard named.hasPrefix("E") else { return nil }  // "(driver-specific)"
            return named == canonicalErrno(e.name) ? nil
                : "the claim says -\(e.name), the cited error entry is \(entry.key)"
        case .return:
            guard let success = entry.success?.trimmedSpaces else { return nil }
            switch claim.expected {
            case .error(let e):
                return canonicalErrno(success.hasPrefix("-") ? String(success.dropFirst()) : success) == canonicalErrno(e.name)
                    ? nil : "the claim says -\(e.name), the return entry's success is \(success)"
            case .value(let v):
                if let exact = Int(success) { return exact == v ? nil : "the claim says \(v), the return entry's success is \(success)" }
                if success.hasPrefix("-E") { return "the claim says \(v), the return entry's success is \(success)" }
                if success.hasPrefix(">="), let bound = Int(String(success.dropFirst(2)).trimmedSpaces) {
                    return v >= bound ? nil : "the claim says \(v), the return entry's success is \(success)"
                }
                return nil
            case .equalsArgument, .countUpTo:
                return success.hasPrefix(">=") || Int(success) == nil ? nil
                    : "the claim says a count, the return entry's success is \(success)"
            case .someError:
                return nil
            }
        default:
            return nil
        }
    }

    /// glibc names errno 11 EAGAIN and 95 EOPNOTSUPP or ENOTSUP: one name each.
    static func canonicalErrno(_ name: String) -> String {
        switch name {
        case "EWOULDBLOCK": return "EAGAIN"
        case "ENOTSUP": return "EOPNOTSUPP"
        case "EDEADLOCK": return "EDEADLK"
        default: return name
        }
    }

    static func sameKey(_ a: String, _ b: String) -> Bool {
        a.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
            == b.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }
}

extension String {
    var trimmedSpaces: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
