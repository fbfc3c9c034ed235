import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import Glibc

// The single-call commands' options as plain data, read either by
// swift-argument-parser (SingleCallCommands.swift declares them and takes
// their defaults from here) or by QuickReader from the same words.

/// What every single-call command takes besides its own options: the
/// values of SingleCallOptions and JudgingOptions.
struct SingleCallSettings: Equatable {
    static let defaults = SingleCallSettings()

    var verbose = false
    var printScript = false
    var judging = JudgingSettings()

    /// Runs the program; prints the interesting call (everything with -v).
    func run(_ call: SingleCall, name: String) throws {
        let (via, expect, json, quiet) = (judging.via, judging.expect, judging.json, judging.quiet)
        if printScript && quiet { throw UsageError("--print-script prints the program; drop --quiet") }
        if printScript {
            if json {
                print(JSON.object([("command", .string(name)), ("script", .string(call.source))]).serialized())
            } else {
                print(call.source, terminator: "")
            }
            return
        }
        var script = ScriptRun(source: call.source, name: name)
        script.via = via
        script.expect = expect
        script.timeoutNs = 30_000_000_000
        // The program is data already: check its names as a script's are.
        var checker = ScriptChecker()
        do {
            for line in call.program { try checker.check(line) }
        } catch let e as ScriptParseError {
            throw AioctlError(.software, "\(name): the generated program is wrong at line \(e.line): \(e.message)")
        }
        Interrupts.install()
        let outcome = script.execute(call.program) { _ in }
        let unavailable = call.setupFailure(in: outcome.records)
        if json {
            print(script.json(outcome).serialized())
        } else if !quiet {
            let style = TextStyle.forStandardOutput()
            for record in outcome.records where verbose || record.line == call.subjectLine {
                print(record.renderText(style: style, verdictSource: expect), terminator: "")
            }
            if unavailable == nil {
                print("verdict (\(expect.rawValue)): " + (outcome.agrees ? style.agree("agrees") : style.differ("differs")))
            }
        }
        if let answer = unavailable, outcome.interruptedBy == nil {
            throw AioctlError(.unavailable, "\(name): AIO is unavailable here: io_setup returned \(answer)")
        }
        if let stop = outcome.stoppedBy {
            fflush(nil)
            StandardError.write("aioctl: \(name): \(stop.message)\n")
        }
        throw ExitCode(outcome.exitStatus.rawValue)
    }
}

/// A single-call command's data: its own options and the shared settings.
protocol SingleCallArguments: Equatable, SendableMetatype {
    init()
    var settings: SingleCallSettings { get set }
    func run() throws
    static var reader: QuickReader<Self> { get }
}

extension SingleCallArguments {
    /// The words after the command's name, read without the parser when they
    /// are plain (see QuickReader); nil sends them to the parser. The checks
    /// the parser makes while parsing (JudgingSettings.validate()) run
    /// here too: a line they refuse goes to the parser, which says so.
    static func quick(_ words: ArraySlice<String>) -> Self? {
        guard let arguments = reader.read(words, into: Self()) else { return nil }
        guard (try? arguments.settings.judging.validate()) != nil else { return nil }
        DisplayOptions.choose(arguments.settings.judging.color)
        return arguments
    }

    /// The entries for SingleCallSettings, the same in every single-call command.
    static var settingsOptions: [QuickReader<Self>.Option] {
        [
            .init("--verbose", "-v", setter: .flag { values, _ in values.settings.verbose = true }),
            .init("--print-script", setter: .flag { values, _ in values.settings.printScript = true }),
        ] + JudgingSettings.quickOptions(at: \.settings.judging)
    }
}

struct SetupArguments: SingleCallArguments {
    var nrEvents: Int64 = 8
    var ctxp = "valid"
    var preset: String?
    var settings = SingleCallSettings()

    func run() throws {
        guard ["valid", "null", "unmapped", "readonly"].contains(ctxp) else {
            throw UsageError("--ctxp takes valid, null, unmapped or readonly")
        }
        var presetValue: UInt64 = 0
        if let preset {
            guard let v = preset.hasPrefix("0x") ? UInt64(preset.dropFirst(2), radix: 16) : UInt64(preset) else {
                throw UsageError("--preset takes a number, e.g. 0x1")
            }
            presetValue = v
        }
        try settings.run(try .setup(nrEvents: nrEvents, ctxp: ctxp, preset: presetValue), name: "setup")
    }

    static let reader = QuickReader<SetupArguments>(
        options: [
            .init("--ctxp", setter: .value { $0.ctxp = $1; return true }),
            .init("--preset", setter: .value { $0.preset = $1; return true }),
        ] + settingsOptions,
        positionals: [{ values, word in
            guard let n = Int64(word) else { return false }
            values.nrEvents = n
            return true
        }]
    )
}

struct SubmitArguments: SingleCallArguments {
    var op = "poll"
    var target = "pipe"
    var events = "in"
    var length: Int64?
    var offset: Int64 = 0
    var rwFlags: String?
    var reserved2: UInt64 = 0
    var nr: Int64?
    var copies = 1
    var ready = false
    var reapTimeout = "100ms"
    var settings = SingleCallSettings()

    func run() throws {
        var r = SingleCall.SubmitRequest()
        let ops = ["poll", "pread", "pwrite", "preadv", "pwritev", "fsync", "fdsync", "noop"]
        if op.hasPrefix("opcode "), Int(op.dropFirst(7)) != nil {
            r.operation = op
        } else if let n = Int(op) {
            r.operation = "opcode \(n)"
        } else {
            guard ops.contains(op) else { throw UsageError("--op takes \(ops.joined(separator: ", ")), or an opcode number") }
            r.operation = op
        }
        r.target = try openedTarget(write: ["pwrite", "pwritev"].contains(op))
        r.events = events
        r.length = length
        r.offset = offset
        r.rwFlags = rwFlags
        r.reserved2 = reserved2
        r.nr = nr
        r.copies = copies
        r.ready = ready
        _ = try DelaySpec(parsing: reapTimeout, allowNever: false)
        r.reapTimeout = reapTimeout
        try settings.run(try .submit(r), name: "submit")
    }

    /// TARGET, opened here first when it is a path or a descriptor number, so
    /// one that cannot be opened ends the command with 66 before anything
    /// runs or prints, and a FIFO never waits for its peer. A path the script
    /// cannot name as text (not UTF-8) or cannot reopen without waiting (a
    /// FIFO) is handed over as the descriptor opened here.
    func openedTarget(write: Bool) throws -> TargetSpec {
        let spec = try TargetSpec(parsing: target)
        switch spec {
        case .path(let path):
            let (fd, isFifo) = try OpenTarget.openPath(path, write: write)
            if isFifo || RawArgument.isMangled(path) { return .fd(fd) }
            close(fd)
            return spec
        case .fd(let n):
            guard fcntl(n, F_GETFD) >= 0 else {
                throw AioctlError(.noInput, "target fd:\(n): descriptor \(n) is not open")
            }
            return spec
        default:
            return spec
        }
    }

    static let reader = QuickReader<SubmitArguments>(
        options: [
            .init("--op", setter: .value { $0.op = $1; return true }),
            .init("--events", setter: .value { $0.events = $1; return true }),
            .init("--length", setter: number { (values: inout SubmitArguments, n: Int64) in values.length = n }),
            .init("--offset", setter: number { (values: inout SubmitArguments, n: Int64) in values.offset = n }),
            .init("--rw-flags", setter: .value { $0.rwFlags = $1; return true }),
            .init("--reserved2", setter: number { (values: inout SubmitArguments, n: UInt64) in values.reserved2 = n }),
            .init("--nr", setter: number { (values: inout SubmitArguments, n: Int64) in values.nr = n }),
            .init("--copies", setter: number { (values: inout SubmitArguments, n: Int) in values.copies = n }),
            .init("--ready", setter: .flag { values, _ in values.ready = true }),
            .init("--reap-timeout", setter: .value { $0.reapTimeout = $1; return true }),
        ] + settingsOptions,
        positionals: [{ $0.target = $1; return true }]
    )
}

struct GeteventsArguments: SingleCallArguments {
    var min: Int64 = 1
    var max: Int64 = 8
    var timeout = "100ms"
    var eventsPointer = "valid"
    var ready = 0
    var pending = 0
    var settings = SingleCallSettings()

    func run() throws {
        try settings.run(try .getevents(min: min, max: max, timeout: timeout, events: eventsPointer,
                                        pending: pending, ready: ready), name: "getevents")
    }

    static let reader = QuickReader<GeteventsArguments>(
        options: [
            .init("--min", setter: number { (values: inout GeteventsArguments, n: Int64) in values.min = n }),
            .init("--max", setter: number { (values: inout GeteventsArguments, n: Int64) in values.max = n }),
            .init("--timeout", setter: .value { $0.timeout = $1; return true }),
            .init("--events-pointer", setter: .value { $0.eventsPointer = $1; return true }),
            .init("--ready", setter: number { (values: inout GeteventsArguments, n: Int) in values.ready = n }),
            .init("--pending", setter: number { (values: inout GeteventsArguments, n: Int) in values.pending = n }),
        ] + settingsOptions,
        positionals: []
    )
}

struct DestroyArguments: SingleCallArguments {
    var ctx = "valid"
    var pendingPoll = false
    var settings = SingleCallSettings()

    func run() throws {
        try settings.run(try .destroy(context: ctx, pendingPoll: pendingPoll), name: "destroy")
    }

    static let reader = QuickReader<DestroyArguments>(
        options: [
            .init("--ctx", setter: .value { $0.ctx = $1; return true }),
            .init("--pending-poll", setter: .flag { values, _ in values.pendingPoll = true }),
        ] + settingsOptions,
        positionals: []
    )
}
