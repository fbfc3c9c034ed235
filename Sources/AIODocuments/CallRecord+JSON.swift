import AIOKernel
extension JudgedCall {
    /// The call as the JSON schema in the README describes it.
    public var json: JSON {
        var members: [(String, JSON)] = [
            ("syscall", .string(record.syscall.rawValue)),
            ("args", .object(record.args.map { ($0.name, .string($0.value)) })),
            ("return", .integer(record.returnValue)),
            ("errno", .optional(record.outcome.errno?.name)),
            ("elapsed_us", .double(Double(record.elapsedNs) / 1000)),
            ("situation", .optional(situation)),
            ("expected", .array(judgements.map(\.json))),
        ]
        if !record.observations.isEmpty {
            members.append(("observed", .object(record.observations.sorted { $0.key < $1.key }.map { ($0.key, .bool($0.value)) })))
        }
        if !record.remarks.isEmpty { members.append(("remarks", .array(record.remarks.map { .string($0) }))) }
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
