import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import Glibc

struct ShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "Type AIO steps interactively, with live handles kept between lines.",
        discussion: """
        The language of `aioctl run`, one line at a time, with a prompt on a terminal. \
        Names declared on earlier lines stay alive until the shell ends (end of input \
        or `exit`); a line with an error is reported and skipped, and nothing on it \
        runs. `help` lists the statements. When standard input is not a terminal the \
        shell behaves as `aioctl run -`.
        """
    )

    @OptionGroup var options: ScriptOptions

    func run() throws {
        guard isatty(0) == 1 else {
            let source = try ScriptRun.read("-")
            return try options.runScript(source: source, name: "<stdin>")
        }
        guard let ns = try DelaySpec(parsing: options.timeout, allowNever: false).nanoseconds, ns > 0 else {
            throw UsageError("--timeout must be longer than 0")
        }
        Interrupts.install()
        let style = TextStyle.forStandardOutput()
        let expect = options.expect
        let session = ScriptSession(via: options.via, expect: expect, timeoutNs: ns) { record in
            print(record.renderText(style: style, verdictSource: expect), terminator: "")
            fflush(nil)
        }
        print("aioctl shell: AIO steps, one a line; 'help' lists them, 'exit' or end of input leaves.")
        var number = 0
        while Interrupts.pending == nil {
            print("aioctl> ", terminator: "")
            fflush(nil)
            guard let text = readLine() else { print(""); break }
            number += 1
            if ["exit", "quit"].contains(text.trimmingWhitespace()) { break }
            do {
                guard let line = try ScriptParser.parseLine(text, number: number) else { continue }
                try session.execute(line)
            } catch let e as ScriptParseError {
                print(style.differ("error: column \(e.column): \(e.message)"))
            } catch let e as ScriptRuntimeError {
                print(style.differ("error: \(e.message)"))
            }
        }
        session.finish()
        print("verdict (\(expect.rawValue)): " + (session.agrees ? style.agree("agrees") : style.differ("differs")))
        throw ExitCode((Interrupts.pending == 2 ? ExitStatus.interrupted : session.agrees ? .agrees : .differs).rawValue)
    }
}
