import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import Glibc

/// `aioctl cancel`'s options as plain data, read either by swift-argument-parser
/// (CancelCommand, which declares them and makes the help, the man page and
/// the completions) or by QuickReader from the same words; both run here.
struct CancelArguments: Equatable {
    /// The defaults, which CancelCommand's declarations take from here.
    static let defaults = CancelArguments()

    var kind = CancelCommand.Kind.poll
    var target = "pipe"
    var events: String?
    var length: Int?
    var offset: Int64?
    var nowait = false
    var ready = false
    var after = "10ms"
    var unblock: UnblockMode?
    var reapTimeout = "1s"
    var nrEvents = 8
    var count = 1
    var printScript = false
    var program = ProgramSettings()

    func makeOptions() throws -> CancelOptions {
        var o = CancelOptions()
        switch kind {
        case .poll:
            if length != nil || offset != nil { throw UsageError("--length and --offset go with --read, not --poll") }
            if nowait { throw UsageError("--nowait goes with --read; a poll has no RWF_NOWAIT") }
            o.request = .poll(events: try events.map(PollEvents.init(parsing:)) ?? .in)
        case .read:
            if events != nil { throw UsageError("--events goes with --poll, not --read") }
            o.request = .read(length: length ?? 4096, offset: offset ?? 0, nowait: nowait)
        }
        o.target = try TargetSpec(parsing: target)
        o.ready = ready
        o.after = try DelaySpec(parsing: after)
        o.unblock = unblock
        o.reapTimeoutNs = try DelaySpec(parsing: reapTimeout, allowNever: false).nanoseconds!
        o.timeoutNs = program.timeoutNs
        o.via = program.judging.via
        o.expect = program.judging.expect
        o.count = count
        guard nrEvents >= 1, nrEvents <= 65536 else { throw UsageError("--nr-events must be between 1 and 65536") }
        o.nrEvents = nrEvents
        try o.validate()
        return o
    }

    func run() throws {
        let options = try makeOptions()
        if printScript { return print(CancelProgram.script(for: options), terminator: "") }
        Interrupts.install()
        if options.count > 1 {
            // Streamed: each run printed (or spilled, for JSON) as it ends.
            let format: CancelStream.Format = program.judging.json ? .json : program.judging.quiet ? .quiet : .text(.forStandardOutput())
            let stream = CancelStream(options: options, format: format)
            stream.begin()
            let tally = try CancelSession(options: options).run { index, run in stream.add(run, index: index) }
            stream.finish(tally)
            throw ExitCode(tally.exitStatus.rawValue)
        }
        let report = try CancelSession(options: options).run()
        if program.judging.json {
            print(report.json.serialized())
        } else if !program.judging.quiet {
            print(report.renderText(style: .forStandardOutput()), terminator: "")
        }
        throw ExitCode(report.exitStatus.rawValue)
    }
}

extension CancelArguments {
    /// The words after `cancel`, read without the parser when they are plain
    /// (see QuickReader); nil sends them to the parser. The checks the
    /// option groups make during a parse (ProgramSettings.validate()) run
    /// here too: a line they refuse goes to the parser, which says so in its
    /// own words.
    static func quick(_ words: ArraySlice<String>) -> CancelArguments? {
        guard let arguments = reader.read(words, into: defaults), (try? arguments.program.validate()) != nil else {
            return nil
        }
        DisplayOptions.choose(arguments.program.judging.color)
        return arguments
    }

    /// One entry per option CancelCommand declares (QuickReaderTests checks
    /// the names against `--experimental-dump-help`). Values convert as the
    /// parser converts them: Int(_:), init(rawValue:); the strings are
    /// checked later, by makeOptions(), on both paths.
    static let reader = QuickReader<CancelArguments>(
        options: [
            .init("--poll", "--read", setter: .flag { $0.kind = $1 == "--read" ? .read : .poll }),
            .init("--events", setter: .value { $0.events = $1; return true }),
            .init("--length", setter: number { (values: inout CancelArguments, n: Int) in values.length = n }),
            .init("--offset", setter: number { (values: inout CancelArguments, n: Int64) in values.offset = n }),
            .init("--nowait", setter: .flag { values, _ in values.nowait = true }),
            .init("--ready", setter: .flag { values, _ in values.ready = true }),
            .init("--after", setter: .value { $0.after = $1; return true }),
            .init("--unblock", setter: choice { (values: inout CancelArguments, mode: UnblockMode) in values.unblock = mode }),
            .init("--reap-timeout", setter: .value { $0.reapTimeout = $1; return true }),
            .init("--nr-events", setter: number { (values: inout CancelArguments, n: Int) in values.nrEvents = n }),
            .init("--count", setter: number { (values: inout CancelArguments, n: Int) in values.count = n }),
            .init("--print-script", setter: .flag { values, _ in values.printScript = true }),
            .init("--timeout", setter: .value { $0.program.timeout = $1; return true }),
        ] + JudgingSettings.quickOptions(at: \.program.judging),
        positionals: [{ $0.target = $1; return true }]
    )
}
