import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import Glibc

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a script of AIO steps, each call judged against the documents.",
        discussion: """
        A script is any sequence of AIO calls with any field values, wrong ones \
        included, in a small line-oriented language. It runs inside one aioctl \
        process, since a context lives only as long as its process. Each call is \
        printed with its decoded arguments, the kernel's answer, its duration, and \
        each document's claim for the situation it meets. The whole script is parsed \
        and its names checked before anything runs: a script with an error runs \
        nothing. Contexts left alive are destroyed at the end, on errors, and on \
        SIGINT.

        \(ScriptHelp.text)

        A SCRIPT
          ctx a = setup 8
          pipe p
          iocb req1 = poll p.read in
          submit a req1
          after 10ms cancel a req1
          getevents a min=1 max=1 timeout=100ms
          destroy a

        EXIT STATUS: 0 every call agreed with the --expect source, 1 something \
        differed, 4 AIO unavailable, 64 a usage, parse or name error, or a step that \
        could not run, 66 the script cannot be read, 70 internal failure, 130/143 \
        after SIGINT/SIGTERM.

        EXAMPLES
          aioctl run examples/eventfd-notify.aio
          aioctl run --via syscall --json script.aio
        """
    )

    @Argument(help: ArgumentHelp("The script to run, or - for standard input.", valueName: "file"),
              completion: .file(extensions: ["aio"]))
    var file: String

    @OptionGroup var options: ScriptOptions

    @OptionGroup var display: DisplayOptions

    func run() throws {
        // A script that never comes (a FIFO nobody writes to) waits no longer than --timeout.
        let waitNs = (try? DelaySpec(parsing: options.timeout, allowNever: false).nanoseconds) ?? nil
        Interrupts.install()
        let source = try ScriptRun.read(file, waitNs: waitNs ?? 60_000_000_000)
        try options.runScript(source: source, name: file == "-" ? "<stdin>" : file)
    }
}

/// Options shared by `run` and `shell`.
struct ScriptOptions: ParsableArguments {
    @Option(help: "libaio: libaio's wrappers (return -errno); syscall: raw syscalls (-1 and errno).")
    var via: Via = .libaio

    @Option(help: "The source that decides the verdict and exit status: kapi, man2 or libaio.")
    var expect: Source = .kapi

    @Flag(name: .customLong("keep-going"), help: "Go on after a step that cannot run.")
    var keepGoing = false

    @Option(help: ArgumentHelp("Bound on the whole script; past it blocked reads are freed and the script stops.",
                               valueName: "duration"))
    var timeout: String = "60s"

    @Flag(help: "Print one JSON document of all steps instead of text.")
    var json = false

    func runScript(source: String, name: String) throws {
        var run = ScriptRun(source: source, name: name)
        run.via = via
        run.expect = expect
        run.keepGoing = keepGoing
        guard let ns = try DelaySpec(parsing: timeout, allowNever: false).nanoseconds, ns > 0 else {
            throw UsageError("--timeout must be longer than 0")
        }
        run.timeoutNs = ns
        let lines = try run.prepare()
        Interrupts.install()
        let style = TextStyle.forStandardOutput()
        let json = self.json
        let expect = self.expect
        let outcome = run.execute(lines) { record in
            if !json {
                print(record.renderText(style: style, verdictSource: expect), terminator: "")
                fflush(nil)
            }
        }
        if json {
            print(run.json(outcome).serialized())
        } else {
            if outcome.timedOut { print(style.differ("--timeout passed; the script was stopped")) }
            print("verdict (\(expect.rawValue)): " + (outcome.agrees ? style.agree("agrees") : style.differ("differs")))
        }
        if let stop = outcome.stoppedBy {
            fflush(nil)
            StandardError.write("aioctl: \(name):\(stop.line): \(stop.message)\n")
        }
        throw ExitCode(outcome.exitStatus.rawValue)
    }
}
