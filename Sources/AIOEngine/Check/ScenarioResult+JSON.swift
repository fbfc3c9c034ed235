import AIODocuments
import AIOKernel
/// The JSON form of one scenario run, the element of `aioctl check --format json`.
/// Field names are stable; README "check --format json" documents them.
extension ScenarioResult {
    public func json(expect: Source) -> JSON {
        var members: [(String, JSON)] = [
            ("name", .string(name)),
            ("syscall", .string(syscall.rawValue)),
            ("situation", .string(situation)),
            ("via", .string(via.rawValue)),
            ("status", .string(status.rawValue)),
            ("verdict", .string(verdictWord(against: expect))),
            ("expect", .string(expect.rawValue)),
            ("skip_reason", .optional(skipReason)),
            ("observed", .string(observed)),
            ("return", .optional(observedReturn)),
            ("errno", .optional(observedErrno)),
            ("events", .array(events.map { .string($0) })),
            ("sources", .array(verdicts.map(\.json))),
            ("notes", .array(notes.map { .string($0) })),
            ("isolated", .bool(isolated)),
            ("elapsed_us", .double(Double(elapsedNs / 100) / 10)),
            ("calls", .array(calls)),
        ]
        if !callLines.isEmpty { members.append(("call_text", .array(callLines.map { .string($0) }))) }
        return .object(members)
    }

    /// agrees, differs, no-claim or skip: this run against one source.
    public func verdictWord(against source: Source) -> String {
        if status == .skipped { return "skip" }
        return verdict(for: source)?.state.rawValue ?? SourceVerdict.State.noClaim.rawValue
    }

    /// Reads back what `json(expect:)` wrote (a child process's result).
    public init?(json: JSON) {
        guard let name = json["name"]?.stringValue,
              let syscall = json["syscall"]?.stringValue.flatMap(AIOSyscall.init(rawValue:)),
              let situation = json["situation"]?.stringValue,
              let via = json["via"]?.stringValue.flatMap(Via.init(rawValue:)),
              let status = json["status"]?.stringValue.flatMap(Status.init(rawValue:)) else { return nil }
        self.init(name: name, syscall: syscall, situation: situation, via: via, status: status,
                  skipReason: json["skip_reason"]?.stringValue,
                  observed: json["observed"]?.stringValue ?? "",
                  observedReturn: json["return"]?.intValue, observedErrno: json["errno"]?.stringValue,
                  events: json["events"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                  verdicts: json["sources"]?.arrayValue?.compactMap(SourceVerdict.init(json:)) ?? [],
                  calls: json["calls"]?.arrayValue ?? [],
                  callLines: json["call_text"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                  notes: json["notes"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                  isolated: json["isolated"]?.boolValue ?? false,
                  elapsedNs: UInt64(max(0, (json["elapsed_us"]?.doubleValue ?? 0) * 1000)))
    }
}

extension SourceVerdict {
    public var json: JSON {
        .object([
            ("source", .string(source.rawValue)),
            ("state", .string(state.rawValue)),
            ("expected", .optional(expected)),
            ("claim", .optional(claim)),
            ("reference", .optional(reference)),
            ("differences", .array(differences.map { .string($0) })),
        ])
    }

    init?(json: JSON) {
        guard let source = json["source"]?.stringValue.flatMap(Source.init(rawValue:)),
              let state = json["state"]?.stringValue.flatMap(State.init(rawValue:)) else { return nil }
        self.init(source: source, state: state, expected: json["expected"]?.stringValue,
                  claim: json["claim"]?.stringValue, reference: json["reference"]?.stringValue,
                  differences: json["differences"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }
}
