import AIODocuments
import AIOKernel
import Glibc

/// What an isolated child is asked to run, as the words of its command line:
/// `aioctl check --run-one NAMES --via V --expect S --format json`, then
/// `--call-detail D` unless the parent keeps every call. ChildRun
/// writes them and the child reads them back here, before argument parsing:
/// the parser's first use costs a child more CPU than many of the runs it
/// makes, and these words come only from us. Any other shape (a person typing
/// the hidden option) goes through the parser, which ends here too.
public struct ChildRequest: Sendable, Equatable {
    public var names: [String]
    public var via: Via
    public var expect: Source
    /// What the results keep of their calls: only what the parent's output shows.
    public var detail: CallDetail

    /// The hidden option that carries `detail`.
    public static let detailOption = "--call-detail"

    public init(names: [String], via: Via, expect: Source, detail: CallDetail = .all) {
        self.names = names
        self.via = via
        self.expect = expect
        self.detail = detail
    }

    /// The child's argv, argv[0] included.
    public var arguments: [String] {
        ["aioctl", "check", ChildRun.option, names.joined(separator: ","), "--via", via.rawValue,
         "--expect", expect.rawValue, "--format", "json"] + (detail == .all ? [] : [Self.detailOption, detail.rawValue])
    }

    /// The request when `arguments` are exactly what `arguments` writes; nil otherwise.
    public init?(arguments: [String]) {
        guard arguments.count == 10 || arguments.count == 12, arguments[1] == "check", arguments[2] == ChildRun.option,
              !arguments[3].isEmpty, arguments[4] == "--via", let via = Via(rawValue: arguments[5]),
              arguments[6] == "--expect", let expect = Source(rawValue: arguments[7]),
              arguments[8] == "--format", arguments[9] == "json"
        else { return nil }
        var detail = CallDetail.all
        if arguments.count == 12 {
            guard arguments[10] == Self.detailOption, let chosen = CallDetail(rawValue: arguments[11]), chosen != .all
            else { return nil }
            detail = chosen
        }
        self.init(names: arguments[3].split(separator: ",", omittingEmptySubsequences: false).map(String.init),
                  via: via, expect: expect, detail: detail)
    }

    /// The scenarios named; the first name that is none is an error.
    public func scenarios() throws(UnknownScenario) -> [Scenario] {
        try names.map { name throws(UnknownScenario) in
            guard let s = Scenarios.named(name) else { throw UnknownScenario(name: name) }
            return s
        }
    }

    public struct UnknownScenario: Error {
        public var name: String
        public var message: String { "no scenario named '\(name)'" }
    }

    /// The child's side: the started line, then one JSON line per result,
    /// each written as soon as it is ready so that a later crash loses
    /// nothing. Several scenarios are a stale-handle batch. An unknown name
    /// is refused before anything is written.
    public func serve() throws(UnknownScenario) {
        let scenarios = try scenarios()
        let (via, expect, detail) = (via, expect, detail)
        ChildRun.prepareChild()
        // Word that the child is running: the parent's watchdog counts silence from here.
        print(ChildRun.startedLine)
        fflush(nil)
        let output = Locked(())
        let emit = { (result: ScenarioResult) in
            output.withLock { _ in
                print(result.json(expect: expect).serialized(indent: nil))
                fflush(nil)
            }
        }
        if scenarios.count == 1 {
            emit(ScenarioRun(scenarios[0], via: via, expect: expect, detail: detail).run())
        } else {
            StaleHandleBatch.run(scenarios, via: via, expect: expect, detail: detail, emit: emit)
        }
    }
}
