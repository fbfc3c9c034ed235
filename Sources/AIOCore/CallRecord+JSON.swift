extension CallRecord {
    /// The call as the JSON schema in the README describes it.
    public var json: JSON {
        var members: [(String, JSON)] = [
            ("syscall", .string(syscall.rawValue)),
            ("args", .object(args.map { ($0.name, .string($0.value)) })),
            ("return", .integer(returnValue)),
            ("errno", .optional(outcome.errno?.name)),
            ("elapsed_us", .double(Double(elapsedNs) / 1000)),
            ("situation", .optional(situation)),
            ("expected", .array(judgements.map(\.json))),
        ]
        if !observations.isEmpty {
            members.append(("observed", .object(observations.sorted { $0.key < $1.key }.map { ($0.key, .bool($0.value)) })))
        }
        if !remarks.isEmpty { members.append(("remarks", .array(remarks.map { .string($0) }))) }
        return .object(members)
    }
}

extension Judgement {
    public var json: JSON {
        var members: [(String, JSON)] = [
            ("source", .string(source.rawValue)),
            ("return", .optional(expectedReturn)),
            ("errno", .optional(expectedErrno)),
            ("claim", .string(claim.text)),
            ("reference", .string(claim.reference)),
            ("agrees", .bool(agrees)),
        ]
        if case .countUpTo(let arg) = claim.expected { members.append(("return_range", .string("0..\(arg)"))) }
        if !claim.facts.isEmpty {
            members.append(("facts", .object(claim.facts.sorted { $0.key < $1.key }.map { ($0.key, .bool($0.value)) })))
        }
        if !differences.isEmpty { members.append(("differences", .array(differences.map { .string($0) }))) }
        return .object(members)
    }
}
