import AIODocuments
import AIOKernel
/// One `aioctl check --format json` document read back (docs/check.md): only
/// the fields a comparison between kernels needs, checked on the way in.
public struct CheckDocument: Sendable, Equatable {
    public var runs: [CheckedRun]
    /// The kernel release, when the records carry one (`kernel` in a record);
    /// check's schema has none today, so the caller usually names the kernel.
    public var kernel: String?

    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Parses `text`; the error says what is wrong in one line.
    public init(parsing text: String) throws {
        let json: JSON
        do { json = try JSON.parse(text) } catch let e as JSON.ParseError {
            throw Invalid(description: "not JSON (\(e.description))")
        }
        guard let items = json.arrayValue else {
            throw Invalid(description: "not an `aioctl check --format json` document (expected an array of runs)")
        }
        runs = try items.enumerated().map { try CheckedRun(json: $0.element, index: $0.offset) }
        let kernels = Set(items.compactMap { $0["kernel"]?.stringValue })
        guard kernels.count <= 1 else {
            throw Invalid(description: "its runs name several kernels (\(kernels.sorted().joined(separator: ", ")))")
        }
        kernel = kernels.first
    }

    public init(runs: [CheckedRun], kernel: String? = nil) {
        self.runs = runs
        self.kernel = kernel
    }
}

/// One run of one scenario through one convention, as check reported it.
public struct CheckedRun: Sendable, Equatable {
    public var name: String
    public var syscall: String
    public var situation: String
    public var via: String
    public var answer: Answer
    public var skipReason: String?
    public var sources: [SourceVerdict]

    /// What the kernel did: the subject's result and the events reaped. Two
    /// runs with equal answers behaved the same, whatever the documents say.
    public struct Answer: Hashable, Sendable {
        /// `ran`, `skipped` or `crashed` (an isolated child died or hung).
        public var status: String
        public var observed: String
        public var events: [String]

        public init(status: String, observed: String, events: [String] = []) {
            self.status = status
            self.observed = observed
            self.events = events
        }

        public var isSkip: Bool { status == "skipped" }

        /// `observed`, then each event; a crash says so.
        public var summary: String {
            let head = status == "crashed" && !observed.hasPrefix("crashed") ? "crashed: " + observed : observed
            return ([head] + events.map { "event " + $0 }).joined(separator: "; ")
        }
    }

    /// One document's verdict on the run, with the claim that made it.
    public struct SourceVerdict: Sendable, Equatable {
        public var source: String
        /// `agrees`, `differs` or `no-claim`.
        public var state: String
        public var expected: String?
        public var claim: String?
        public var reference: String?

        public init(source: String, state: String, expected: String? = nil, claim: String? = nil,
                    reference: String? = nil) {
            self.source = source
            self.state = state
            self.expected = expected
            self.claim = claim
            self.reference = reference
        }
    }

    public init(name: String, syscall: String, situation: String, via: String, answer: Answer,
                skipReason: String? = nil, sources: [SourceVerdict] = []) {
        self.name = name
        self.syscall = syscall
        self.situation = situation
        self.via = via
        self.answer = answer
        self.skipReason = skipReason
        self.sources = sources
    }

    init(json: JSON, index: Int) throws {
        func string(_ key: String) throws -> String {
            guard let value = json[key]?.stringValue else {
                throw CheckDocument.Invalid(description: "run \(index + 1) has no string field `\(key)`")
            }
            return value
        }
        let name = try string("name")
        self.name = name
        syscall = try string("syscall")
        situation = try string("situation")
        via = try string("via")
        let status = try string("status")
        guard ["ran", "skipped", "crashed"].contains(status) else {
            throw CheckDocument.Invalid(description: "run \(index + 1) (\(name)) has an unknown status '\(status)'")
        }
        let events = try (json["events"]?.arrayValue ?? []).map { event -> String in
            guard let text = event.stringValue else {
                throw CheckDocument.Invalid(description: "run \(index + 1) (\(name)) has an event that is not text")
            }
            return text
        }
        answer = Answer(status: status, observed: try string("observed"), events: events)
        skipReason = json["skip_reason"]?.stringValue
        sources = (json["sources"]?.arrayValue ?? []).compactMap { s in
            guard let source = s["source"]?.stringValue, let state = s["state"]?.stringValue else { return nil }
            return SourceVerdict(source: source, state: state, expected: s["expected"]?.stringValue,
                                 claim: s["claim"]?.stringValue, reference: s["reference"]?.stringValue)
        }
    }
}

/// `aioctl info --json` read back for the one field a comparison needs.
public enum InfoDocument {
    /// The kernel release `info` reported, or nil when `text` is not info's JSON.
    public static func kernel(parsing text: String) -> String? {
        guard let json = try? JSON.parse(text), let kernel = json["kernel"]?.stringValue, !kernel.isEmpty else {
            return nil
        }
        return kernel
    }
}
