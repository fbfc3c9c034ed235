import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import Glibc

struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Submit one request, cancel it after a delay, and judge every call.",
        discussion: """
        Sets up a context, submits one IOCB_CMD_POLL (--poll, the default) or \
        IOCB_CMD_PREAD (--read) against TARGET, calls io_cancel after --after, reaps \
        what the kernel delivers with io_getevents, and destroys the context. A read's \
        io_submit can block (a buffered read of an empty pipe does), so its cancel comes \
        from a timer thread; a POLL's is made by the thread that submitted it. Every \
        call is printed with its decoded arguments, the kernel's return, its duration, \
        and each source's claim for that situation.

        TARGET is one of: pipe (a fresh empty pipe), socketpair, eventfd, fifo (a named \
        FIFO made in a temporary directory and removed afterwards), file:PATH or a path \
        (opened read-only: a regular file, a device such as /dev/zero, a FIFO), or fd:N \
        (a descriptor the caller passed in, e.g. `aioctl cancel fd:3 3<file`).

        A buffered read on an empty pipe, FIFO, socket or eventfd blocks inside \
        io_submit. The cancel still fires on time from its own thread; then the read is \
        freed as --unblock says (write one byte, close the write end, or nothing and \
        let --timeout end it; each of --count's runs has its own). io_submit's blocked \
        time is reported.

        The documents disagree about a pending POLL: the draft KAPI says io_cancel \
        returns -EINPROGRESS and the event arrives through the ring (Linux 6.18 does \
        exactly that); the man pages say 0 and an event copied to *result. --expect \
        chooses which source decides the verdict and the exit status.

        JSON (--json) is one document: command, target, request, via, expect, calls \
        (syscall, args, return, errno, elapsed_us, expected[source, return, errno, \
        agrees]), events (res, res_errno, res2, obj_matches, data_matches, after_us), \
        requested_delay_us, actual_delay_us and verdict. With --count above 1 the \
        per-run fields move into runs[] and a summary is added.

        EXIT STATUS: 0 agrees, 1 differs, 4 AIO unavailable, 64 bad usage, 66 the \
        target cannot be opened, 70 internal failure, 130/143 after SIGINT/SIGTERM.

        EXAMPLES
          aioctl cancel --poll pipe
          aioctl cancel --read pipe --unblock close
          aioctl cancel --poll --ready socketpair --expect man2
          aioctl cancel --json --count 100 eventfd
          aioctl cancel --poll fd:3 3</dev/zero
          aioctl cancel --read pipe --print-script | aioctl run -
        """
    )

    // CustomStringConvertible: ArgumentParser names each flag with
    // String(describing:), which for a plain enum looks for four
    // conformances (each a scan of every conformance record in the binary,
    // done once) and then reflects the case name, at every one of the four
    // times it builds cancel's arguments. The raw value is the same word.
    enum Kind: String, EnumerableFlag, CustomStringConvertible {
        case poll, read

        var description: String { rawValue }

        static func help(for value: Kind) -> ArgumentHelp? {
            switch value {
            case .poll: return "Submit IOCB_CMD_POLL (the default)."
            case .read: return "Submit IOCB_CMD_PREAD."
            }
        }
    }

    @Flag(exclusivity: .exclusive)
    var kind: Kind = CancelArguments.defaults.kind

    @Argument(help: ArgumentHelp("What to submit against: pipe, socketpair, eventfd, fifo, file:PATH, a path, or fd:N.",
                                 valueName: "target"),
              completion: Complete.target(["pipe", "socketpair", "eventfd", "fifo"]))
    var target: String = CancelArguments.defaults.target

    @Option(help: ArgumentHelp("Poll bits for --poll, comma-separated: in, out, pri, err, hup, rdnorm, rdband, wrnorm, wrband, msg, rdhup, or a number (default: in).",
                               valueName: "bits"),
            completion: .list(PollEvents.names.map(\.name)))
    var events: String?

    @Option(help: ArgumentHelp("Bytes to read with --read (default: 4096).", valueName: "bytes"))
    var length: Int?

    @Option(help: ArgumentHelp("File offset for --read (default: 0).", valueName: "bytes"))
    var offset: Int64?

    @Flag(help: "Set RWF_NOWAIT on the --read request.")
    var nowait = CancelArguments.defaults.nowait

    @Flag(help: "Make the target readable before submitting (one byte, or an eventfd count), so the request completes at once.")
    var ready = CancelArguments.defaults.ready

    @Option(help: ArgumentHelp("When to call io_cancel, from io_submit's call: 0, 250us, 10ms, 1.5s, or never.",
                               valueName: "duration"),
            completion: .list(["never", "0", "10ms"]))
    var after: String = CancelArguments.defaults.after

    @Option(help: ArgumentHelp("How to free a read blocked in io_submit: write one byte, close the write end, or none (default: write where aioctl holds a write end).",
                               valueName: "mode"))
    var unblock: UnblockMode?

    @Option(name: .customLong("reap-timeout"),
            help: ArgumentHelp("How long io_getevents waits for the expected events.", valueName: "duration"))
    var reapTimeout: String = CancelArguments.defaults.reapTimeout

    @Option(name: .customLong("nr-events"), help: ArgumentHelp("nr_events for io_setup.", valueName: "n"))
    var nrEvents: Int = CancelArguments.defaults.nrEvents

    @Option(help: ArgumentHelp("Repeat the probe N times and summarise the outcomes.", valueName: "n"))
    var count: Int = CancelArguments.defaults.count

    @Flag(name: .customLong("print-script"),
          help: "Print the probe as a step-language program (replay it with `aioctl run -`) and exit.")
    var printScript = CancelArguments.defaults.printScript

    @OptionGroup var judging: JudgingOptions
    @OptionGroup var timeoutOption: TimeoutOption

    /// What the parser read, as the data QuickReader reads the same words into.
    var arguments: CancelArguments {
        CancelArguments(kind: kind, target: target, events: events, length: length, offset: offset, nowait: nowait,
                        ready: ready, after: after, unblock: unblock, reapTimeout: reapTimeout, nrEvents: nrEvents,
                        count: count, printScript: printScript, program: ProgramSettings(judging, timeoutOption))
    }

    func run() throws { try arguments.run() }
}
