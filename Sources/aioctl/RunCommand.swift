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

    @Flag(name: .customLong("keep-going"), help: SharedHelp.keepGoing)
    var keepGoing = false

    @OptionGroup var judging: JudgingOptions
    @OptionGroup var timeoutOption: TimeoutOption

    func run() throws {
        // A script that never comes (a FIFO nobody writes to) waits no longer than --timeout.
        Interrupts.install()
        let program = ProgramSettings(judging, timeoutOption)
        let source = try ScriptRun.read(file, waitNs: program.timeoutNs)
        try program.runScript(source: source, name: file == "-" ? "<stdin>" : file, keepGoing: keepGoing)
    }
}

/// A whole script, run by `run` and by `shell` when its input is not a terminal.
extension ProgramSettings {
    func runScript(source: String, name: String, keepGoing: Bool) throws {
        var run = ScriptRun(source: source, name: name)
        run.via = judging.via
        run.expect = judging.expect
        run.keepGoing = keepGoing
        run.timeoutNs = timeoutNs
        let lines = try run.prepare()
        Interrupts.install()
        let style = TextStyle.forStandardOutput()
        let (json, quiet, expect) = (judging.json, judging.quiet, judging.expect)
        let outcome = run.execute(lines) { record in
            if !json && !quiet {
                print(record.renderText(style: style, verdictSource: expect), terminator: "")
                fflush(nil)
            }
        }
        if json {
            print(run.json(outcome).serialized())
        } else if !quiet {
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
