import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import Glibc

/// What every single-call command takes besides its own options and
/// JudgingOptions: `-v` and `--print-script`.
struct SingleCallOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Also print the steps that set the call up and tear it down.")
    var verbose = SingleCallSettings.defaults.verbose

    @Flag(name: .customLong("print-script"), help: "Print the step-language script instead of running it.")
    var printScript = SingleCallSettings.defaults.printScript
}

/// A single-call command: the parser's declarations of one call's options.
/// Running it runs the data QuickReader reads the same words into, so both
/// paths end in the same `run()`.
protocol SingleCallCommand: ParsableCommand {
    associatedtype Arguments: SingleCallArguments
    var options: SingleCallOptions { get }
    var judging: JudgingOptions { get }
    /// What the parser read.
    var arguments: Arguments { get }
}

extension SingleCallCommand {
    /// The two shared groups' values, for `arguments`.
    var settings: SingleCallSettings {
        SingleCallSettings(verbose: options.verbose, printScript: options.printScript, judging: judging.settings)
    }

    func run() throws { try arguments.run() }
}

struct SetupCommand: SingleCallCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Call io_setup once, with any nr_events and ctxp, and judge it.",
        discussion: """
        Calls io_setup(NR, ctxp) and prints the call, the kernel's answer and each \
        document's claim; on success also the ring header the kernel mapped, then \
        destroys the context. --print-script shows the step-language equivalent.

        A negative NR follows `--`, or it reads as an option: `aioctl setup -- -1`.

        EXAMPLES
          aioctl setup 0
          aioctl setup -- -1
          aioctl setup 8 --ctxp unmapped --via syscall
        """
    )

    @Argument(help: ArgumentHelp("nr_events, any value including 0, negative and huge ones.", valueName: "nr"))
    var nrEvents: Int64 = SetupArguments().nrEvents

    @Option(help: "ctxp: valid, null, unmapped or readonly.",
            completion: .list(["valid", "null", "unmapped", "readonly"]))
    var ctxp: String = SetupArguments().ctxp

    @Option(help: ArgumentHelp("A non-zero value stored in *ctxp before the call (hex or decimal).", valueName: "value"))
    var preset: String?

    @OptionGroup var options: SingleCallOptions
    @OptionGroup var judging: JudgingOptions

    var arguments: SetupArguments {
        SetupArguments(nrEvents: nrEvents, ctxp: ctxp, preset: preset, settings: settings)
    }
}

struct SubmitCommand: SingleCallCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Call io_submit once with one request (or N alike) against a target, and judge it.",
        discussion: """
        Sets up a context and TARGET (as `aioctl cancel` takes it), submits the \
        request, prints that io_submit in detail, reaps what completes within \
        --reap-timeout, and destroys the context. A read on an empty pipe blocks \
        inside io_submit: use --ready, or a file target.

        A negative value is written with `=` (`--nr=-1`): after a space it reads \
        as an option.

        EXAMPLES
          aioctl submit --op pread /etc/hostname
          aioctl submit --op poll --events in,rdhup socketpair
          aioctl submit --op noop --nr=-1 pipe
        """
    )

    @Option(help: "The operation: poll, pread, pwrite, preadv, pwritev, fsync, fdsync, noop, or opcode N.",
            completion: .list(["poll", "pread", "pwrite", "preadv", "pwritev", "fsync", "fdsync", "noop", "opcode"]))
    var op: String = SubmitArguments().op

    @Argument(help: ArgumentHelp("pipe, socketpair, eventfd, fifo, file:PATH, a path, or fd:N.", valueName: "target"),
              completion: Complete.target(["pipe", "socketpair", "eventfd", "fifo"]))
    var target: String = SubmitArguments().target

    @Option(help: ArgumentHelp("Poll bits for poll (default: in).", valueName: "bits"))
    var events: String = SubmitArguments().events

    @Option(help: ArgumentHelp("aio_nbytes.", valueName: "bytes"))
    var length: Int64?

    @Option(help: ArgumentHelp("aio_offset.", valueName: "bytes"))
    var offset: Int64 = SubmitArguments().offset

    @Option(name: .customLong("rw-flags"), help: ArgumentHelp("aio_rw_flags: nowait, hipri, dsync, sync, append, or a number.", valueName: "flags"))
    var rwFlags: String?

    @Option(help: ArgumentHelp("aio_reserved2 (the kernel wants 0).", valueName: "n"))
    var reserved2: UInt64 = SubmitArguments().reserved2

    @Option(help: ArgumentHelp("io_submit's nr, when it should differ from the number of iocbs.", valueName: "n"))
    var nr: Int64?

    @Option(help: ArgumentHelp("Submit N alike iocbs in one batch.", valueName: "n"))
    var copies: Int = SubmitArguments().copies

    @Flag(help: "Make the target readable first (one byte, or an eventfd count).")
    var ready = false

    @Option(name: .customLong("reap-timeout"), help: ArgumentHelp("How long to wait for completions afterwards.", valueName: "duration"))
    var reapTimeout: String = SubmitArguments().reapTimeout

    @OptionGroup var options: SingleCallOptions
    @OptionGroup var judging: JudgingOptions

    var arguments: SubmitArguments {
        SubmitArguments(op: op, target: target, events: events, length: length, offset: offset, rwFlags: rwFlags,
                        reserved2: reserved2, nr: nr, copies: copies, ready: ready, reapTimeout: reapTimeout,
                        settings: settings)
    }
}

struct GeteventsCommand: SingleCallCommand {
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
    var min: Int64 = GeteventsArguments().min

    @Option(help: ArgumentHelp("nr, the most events to return.", valueName: "n"))
    var max: Int64 = GeteventsArguments().max

    @Option(help: ArgumentHelp("A duration, none (wait forever: bounded by aioctl's own 30s), invalid or unmapped.", valueName: "timeout"))
    var timeout: String = GeteventsArguments().timeout

    @Option(name: .customLong("events-pointer"), help: "The events array: valid, null, unmapped or readonly.")
    var eventsPointer: String = GeteventsArguments().eventsPointer

    @Option(help: ArgumentHelp("Completed polls waiting in the ring before the call.", valueName: "n"))
    var ready: Int = GeteventsArguments().ready

    @Option(help: ArgumentHelp("Polls still pending during the call.", valueName: "n"))
    var pending: Int = GeteventsArguments().pending

    @OptionGroup var options: SingleCallOptions
    @OptionGroup var judging: JudgingOptions

    var arguments: GeteventsArguments {
        GeteventsArguments(min: min, max: max, timeout: timeout, eventsPointer: eventsPointer, ready: ready,
                           pending: pending, settings: settings)
    }
}

struct DestroyCommand: SingleCallCommand {
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
    var ctx: String = DestroyArguments().ctx

    @Flag(name: .customLong("pending-poll"), help: "Leave a poll pending on an empty pipe before destroying.")
    var pendingPoll = false

    @OptionGroup var options: SingleCallOptions
    @OptionGroup var judging: JudgingOptions

    var arguments: DestroyArguments {
        DestroyArguments(ctx: ctx, pendingPoll: pendingPoll, settings: settings)
    }
}
