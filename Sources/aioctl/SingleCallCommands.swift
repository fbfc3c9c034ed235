import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import Glibc

/// Options every single-call subcommand shares, besides ConventionOptions and OutputOptions.
struct SingleCallOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Also print the steps that set the call up and tear it down.")
    var verbose = false

    @Flag(name: .customLong("print-script"), help: "Print the step-language script instead of running it.")
    var printScript = false

    /// Runs the program; prints the interesting call (everything with -v).
    func run(_ call: SingleCall, name: String, conventions: ConventionOptions, output: OutputOptions) throws {
        if printScript && output.quiet { throw UsageError("--print-script prints the program; drop --quiet") }
        let (via, expect, json) = (conventions.via, conventions.expect, output.json)
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
        } else if !output.quiet {
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

struct SetupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Call io_setup once, with any nr_events and ctxp, and judge it.",
        discussion: """
        Calls io_setup(NR, ctxp) and prints the call, the kernel's answer and each \
        document's claim; on success also the ring header the kernel mapped, then \
        destroys the context. --print-script shows the step-language equivalent.

        EXAMPLES
          aioctl setup 0
          aioctl setup 8 --ctxp unmapped --via syscall
        """
    )

    @Argument(help: ArgumentHelp("nr_events, any value including 0, negative and huge ones.", valueName: "nr"))
    var nrEvents: Int64 = 8

    @Option(help: "ctxp: valid, null, unmapped or readonly.",
            completion: .list(["valid", "null", "unmapped", "readonly"]))
    var ctxp: String = "valid"

    @Option(help: ArgumentHelp("A non-zero value stored in *ctxp before the call (hex or decimal).", valueName: "value"))
    var preset: String?

    @OptionGroup var options: SingleCallOptions

    @OptionGroup var conventions: ConventionOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var display: DisplayOptions

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
        try options.run(try .setup(nrEvents: nrEvents, ctxp: ctxp, preset: presetValue), name: "setup", conventions: conventions, output: output)
    }
}

struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Call io_submit once with one request (or N alike) against a target, and judge it.",
        discussion: """
        Sets up a context and TARGET (as `aioctl cancel` takes it), submits the \
        request, prints that io_submit in detail, reaps what completes within \
        --reap-timeout, and destroys the context. A read on an empty pipe blocks \
        inside io_submit: use --ready, or a file target.

        EXAMPLES
          aioctl submit --op pread /etc/hostname
          aioctl submit --op poll --events in,rdhup socketpair
        """
    )

    @Option(help: "The operation: poll, pread, pwrite, preadv, pwritev, fsync, fdsync, noop, or opcode N.",
            completion: .list(["poll", "pread", "pwrite", "preadv", "pwritev", "fsync", "fdsync", "noop", "opcode"]))
    var op: String = "poll"

    @Argument(help: ArgumentHelp("pipe, socketpair, eventfd, fifo, file:PATH, a path, or fd:N.", valueName: "target"),
              completion: Complete.target(["pipe", "socketpair", "eventfd", "fifo"]))
    var target: String = "pipe"

    @Option(help: ArgumentHelp("Poll bits for poll (default: in).", valueName: "bits"))
    var events: String = "in"

    @Option(help: ArgumentHelp("aio_nbytes.", valueName: "bytes"))
    var length: Int64?

    @Option(help: ArgumentHelp("aio_offset.", valueName: "bytes"))
    var offset: Int64 = 0

    @Option(name: .customLong("rw-flags"), help: ArgumentHelp("aio_rw_flags: nowait, hipri, dsync, sync, append, or a number.", valueName: "flags"))
    var rwFlags: String?

    @Option(help: ArgumentHelp("aio_reserved2 (the kernel wants 0).", valueName: "n"))
    var reserved2: UInt64 = 0

    @Option(help: ArgumentHelp("io_submit's nr, when it should differ from the number of iocbs.", valueName: "n"))
    var nr: Int64?

    @Option(help: ArgumentHelp("Submit N alike iocbs in one batch.", valueName: "n"))
    var copies: Int = 1

    @Flag(help: "Make the target readable first (one byte, or an eventfd count).")
    var ready = false

    @Option(name: .customLong("reap-timeout"), help: ArgumentHelp("How long to wait for completions afterwards.", valueName: "duration"))
    var reapTimeout: String = "100ms"

    @OptionGroup var options: SingleCallOptions

    @OptionGroup var conventions: ConventionOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var display: DisplayOptions

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
        try options.run(try .submit(r), name: "submit", conventions: conventions, output: output)
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
}

struct GeteventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "getevents",
        abstract: "Call io_getevents once, with any min_nr, nr and timeout, and judge it.",
        discussion: """
        Sets up a context with --ready completed polls and --pending polls that \
        never complete, then calls io_getevents(ctx, MIN, MAX, events, timeout) and \
        prints it in detail.

        EXAMPLES
          aioctl getevents --ready 2 --min 1 --max 4
          aioctl getevents --min 2 --max 1 --timeout 10ms
        """
    )

    @Option(help: ArgumentHelp("min_nr.", valueName: "n"))
    var min: Int64 = 1

    @Option(help: ArgumentHelp("nr, the most events to return.", valueName: "n"))
    var max: Int64 = 8

    @Option(help: ArgumentHelp("A duration, none (wait forever: bounded by aioctl's own 30s), invalid or unmapped.", valueName: "timeout"))
    var timeout: String = "100ms"

    @Option(name: .customLong("events-pointer"), help: "The events array: valid, null, unmapped or readonly.")
    var eventsPointer: String = "valid"

    @Option(help: ArgumentHelp("Completed polls waiting in the ring before the call.", valueName: "n"))
    var ready: Int = 0

    @Option(help: ArgumentHelp("Polls still pending during the call.", valueName: "n"))
    var pending: Int = 0

    @OptionGroup var options: SingleCallOptions

    @OptionGroup var conventions: ConventionOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var display: DisplayOptions

    func run() throws {
        try options.run(try .getevents(min: min, max: max, timeout: timeout, events: eventsPointer,
                                   pending: pending, ready: ready), name: "getevents", conventions: conventions, output: output)
    }
}

struct DestroyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Call io_destroy once, on a valid, destroyed, zero or garbage handle, and judge it.",
        discussion: """
        Sets up a context (optionally with a pending poll, to see that io_destroy \
        cancels it and how long it takes), then destroys the handle --ctx names.

        EXAMPLES
          aioctl destroy --ctx destroyed
          aioctl destroy --pending-poll --json
        """
    )

    @Option(help: "The handle: valid, destroyed, 0, garbage or unmapped.",
            completion: .list(["valid", "destroyed", "0", "garbage", "unmapped"]))
    var ctx: String = "valid"

    @Flag(name: .customLong("pending-poll"), help: "Leave a poll pending on an empty pipe before destroying.")
    var pendingPoll = false

    @OptionGroup var options: SingleCallOptions

    @OptionGroup var conventions: ConventionOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var display: DisplayOptions

    func run() throws {
        try options.run(try .destroy(context: ctx, pendingPoll: pendingPoll), name: "destroy", conventions: conventions, output: output)
    }
}
