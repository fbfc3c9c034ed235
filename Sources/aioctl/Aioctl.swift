import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import CAio
import Glibc

@main
struct Aioctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aioctl",
        abstract: "Exercise Linux native AIO and compare the kernel's answers with the documents.",
        discussion: """
        aioctl sets up AIO contexts, submits reads or IOCB_CMD_POLL requests against \
        pipes, sockets, eventfds, FIFOs and files, cancels them on a timer, and prints \
        what the kernel returned next to what each document says it should return.

        Three documents describe the AIO system calls and they disagree: the draft \
        Kernel API specifications (kapi, machine-written and unreviewed), the man-pages \
        project's section 2 (man2), and libaio's own section 3 pages (libaio). The \
        kernel's answer is the fact; aioctl shows each source's claim beside it and \
        judges the run against the source chosen with --expect.

        EXIT STATUS
          0    the kernel agreed with the chosen source on every documented call
          1    the kernel differed from the chosen source somewhere
          4    AIO is unavailable here (ENOSYS, EPERM from seccomp, aio-max-nr reached)
          64   bad usage
          66   the target cannot be opened
          70   an internal failure
          74   standard output could not be written (a full disk, a closed pipe)
          130  interrupted by SIGINT (after cleanup); 143 by SIGTERM

        ENVIRONMENT
          NO_COLOR        set and not empty: no colour (--color always overrides it)
          TERM            dumb: no colour
          COLUMNS         the width text output fits, instead of the terminal's
          TMPDIR          scratch files and FIFOs (tmpfile, fifo, cancel --count's spill)
          XDG_STATE_HOME  the shell keeps its history in $XDG_STATE_HOME/aioctl/history

        FILES
          /proc/sys/fs/aio-nr       events reserved by all contexts now
          /proc/sys/fs/aio-max-nr   the system-wide limit io_setup checks

        JSON OUTPUT
          cancel          one document of calls, events and verdicts (--json)
          check           an array of runs; --list --format json lists the scenarios
          run             the steps, with each call's arguments, return and verdicts
          shell           as run, when standard input is not a terminal
          setup           the call in detail, with every source's claim
          submit          the same for io_submit; getevents and destroy alike
          race            per setting: outcome counts, window, latencies
          bench           fio 3.33's own format (--json, --json+ with clat_ns.bins)
          info            the kernel, the AIO limits and the ring's real size

        BUGS
          Results depend on the running kernel: a scenario can differ on another
          release. Under libaio, io_getevents reads the ring in user space, so a
          bad handle kills its caller; aioctl makes such calls in a child process
          and reports the signal.
          Report a bug with the command line, its --json output and the output of
          `aioctl info`.

        SEE ALSO
          fio(1), strace(1), io_cancel(2), io_destroy(2), io_getevents(2),
          io_setup(2), io_submit(2), io_cancel(3), io_getevents(3), io_submit(3),
          proc(5), aio(7)
        """,
        version: "0.1.0",
        subcommands: [CancelCommand.self, CheckCommand.self, SpecCommand.self, ReviewCommand.self, RunCommand.self, ShellCommand.self,
                      SetupCommand.self, SubmitCommand.self, GeteventsCommand.self, DestroyCommand.self,
                      RaceCommand.self, BenchCommand.self, InfoCommand.self, DiffCommand.self]
    )

    static func main() {
        ContextMappings.reportLeaksAtExit()
        // A reader that goes away (`aioctl ... | head -1`) makes writes fail
        // with EPIPE, reported at exit, instead of killing us without a word.
        signal(SIGPIPE, SIG_IGN)
        // Past `ulimit -f` a write fails with EFBIG, which the caller reports
        // (bench's layout, a spilled --count), instead of SIGXFSZ killing us.
        signal(SIGXFSZ, SIG_IGN)
        // Ctrl-\ does what it does for every program: the default action. The
        // Swift runtime's handler would print a crash report for a crash that
        // did not happen, and the run would go on.
        signal(SIGQUIT, SIG_DFL)
        // A parent may start us with signals blocked (a GCD worker thread
        // blocks nearly all, and posix_spawn passes its mask on). Those we
        // are stopped with (SIGINT, SIGTERM) and those that wake our own
        // blocked calls (SIGALRM, a script's SIGUSR1/SIGUSR2) must get
        // through, or a wait meant to be woken waits for ever.
        var needed = sigset_t()
        sigemptyset(&needed)
        for sig in [SIGINT, SIGTERM, SIGALRM, SIGUSR1, SIGUSR2] { sigaddset(&needed, sig) }
        pthread_sigmask(SIG_UNBLOCK, &needed, nil)
        // Under `ulimit -v` the address space is what runs out first: glibc
        // reserves 64 MiB of it for each thread's malloc arena, so a check's
        // threads would reserve a gigabyte. Two arenas are enough then.
        var space = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &space) == 0, space.rlim_cur != rlim_t.max {
            caio_limit_malloc_arenas(2)
        }
        // check answers SIGINT/SIGTERM with a whole document, however early
        // they come: its handlers go in before the arguments are parsed.
        if CommandLine.arguments.dropFirst().first == "check" { Interrupts.install() }
        // An isolated child of check: its words come from ChildRun, so
        // they are read without the parser's start-up cost.
        if let request = ChildRequest(arguments: CommandLine.arguments) {
            do { try request.serve() } catch { fail(error.message, status: ExitStatus.usage.rawValue) }
            exit(0)
        }
        do {
            if let quick = QuickCommand(arguments: CommandLine.arguments) {
                try quick.run()
            } else {
                var command = try parseAsRoot()
                try command.run()
            }
            exit(0)
        } catch let error as AioctlError {
            fail(error.message, status: error.status.rawValue)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                exit(0)
            }
            // One line naming the problem; the usage is a --help away.
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            fail(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message,
                 status: code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        fflush(nil)
        StandardError.write("aioctl: \(oneLine(message))\n")
        Glibc.exit(status)
    }

    /// The message on one line: a value the user gave may hold newlines or
    /// other control characters, shown escaped rather than obeyed.
    static func oneLine(_ message: String) -> String {
        Escapes.oneLine.apply(message)
    }

    /// Leaves with `status`, unless what was printed did not reach standard
    /// output (a full disk, a closed pipe): then one line and EX_IOERR, since
    /// a verdict nobody could read is no verdict. Statuses that already say
    /// something went wrong (usage, interrupted) are kept.
    static func exit(_ status: Int32) -> Never {
        errno = 0
        let flushFailed = fflush(nil) != 0
        var reason = flushFailed ? errno : 0
        // An earlier write failed (the buffer was flushed then): a pipe
        // whose reader left still says so; a full disk no longer does.
        var end = pollfd(fd: 1, events: Int16(POLLOUT), revents: 0)
        if reason == 0, poll(&end, 1, 0) == 1, end.revents & Int16(POLLERR) != 0 { reason = EPIPE }
        if flushFailed || StandardOutput.hasError, [0, 1, 4].contains(status) {
            let detail = reason != 0 ? ": " + String(cString: strerror(reason)) : ""
            StandardError.write("aioctl: cannot write standard output\(detail); the results are lost\n")
            Glibc.exit(ExitStatus.outputError.rawValue)
        }
        Glibc.exit(status)
    }
}

extension Via: ChoiceArgument {}
extension Source: ChoiceArgument {}
extension UnblockMode: ChoiceArgument {}
extension CallDetail: ChoiceArgument {}
