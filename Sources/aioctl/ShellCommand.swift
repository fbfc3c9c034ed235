import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import CLineEditor
import Glibc

struct ShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "Type AIO steps interactively, with live handles kept between lines.",
        discussion: """
        The language of `aioctl run`, one line at a time, with a prompt on a terminal. \
        Names declared on earlier lines stay alive until the shell ends (end of input, \
        Ctrl-D or `exit`, which destroy every live context); a line with an error is \
        reported and skipped, and nothing on it runs. `help` lists the statements.

        Lines are edited with libedit (emacs keys; ~/.editrc applies): Up and Down walk \
        the history, kept in $XDG_STATE_HOME/aioctl/history (~/.local/state by \
        default); Tab completes statement keywords and the names of live handles. \
        Ctrl-C clears the line, or interrupts the running statement, and returns to the \
        prompt; SIGTERM leaves with status 143. --timeout bounds the whole session: when \
        it passes, blocked reads are freed and the shell leaves. When standard input is \
        not a terminal the shell behaves as `aioctl run -`; only then do --json and \
        --quiet apply.

        EXAMPLES
          aioctl shell --expect man2
          printf 'ctx a = setup 8\\nshow ring a\\n' | aioctl shell
        """
    )

    @Flag(name: .customLong("keep-going"), help: SharedHelp.keepGoing)
    var keepGoing = false

    @OptionGroup var judging: JudgingOptions
    @OptionGroup var timeoutOption: TimeoutOption

    func run() throws {
        let program = ProgramSettings(judging, timeoutOption)
        guard isatty(0) == 1 else {
            let source = try ScriptRun.read("-")
            return try program.runScript(source: source, name: "<stdin>", keepGoing: keepGoing)
        }
        let style = TextStyle.forStandardOutput()
        let expect = program.judging.expect
        let session = ScriptSession(via: program.judging.via, expect: expect, timeoutNs: program.timeoutNs) { record in
            print(record.renderText(style: style, verdictSource: expect), terminator: "")
            fflush(nil)
        }
        ShellTimeout.session = session
        guard let editor = line_editor_open("aioctl", ShellHistory.path(), { ShellTimeout.passed ? 1 : 0 }) else {
            session.finish()
            throw AioctlError(.software, "cannot start the line editor (libedit)")
        }
        print("aioctl shell: AIO steps, one a line; 'help' lists them, 'exit' or Ctrl-D leaves.")
        fflush(nil)
        let leftBy = readLoop(editor: editor, session: session, style: style)
        session.finish()
        line_editor_close(editor)
        if session.timedOut { print(style.differ("--timeout passed; the shell was stopped")) }
        print("verdict (\(expect.rawValue)): " + (session.agrees ? style.agree("agrees") : style.differ("differs")))
        throw ExitCode((leftBy == SIGTERM ? ExitStatus.terminated : session.agrees ? .agrees : .differs).rawValue)
    }

    /// Reads and runs lines until the user leaves; returns SIGTERM when that ended it.
    private func readLoop(editor: OpaquePointer, session: ScriptSession, style: TextStyle) -> Int32? {
        var number = 0
        while true {
            setCompletions(editor, names: session.names)
            var raw: UnsafeMutablePointer<CChar>?
            let status = line_editor_read(editor, "aioctl> ", &raw)
            switch status {
            case LINE_EDITOR_LINE: break
            case LINE_EDITOR_END: print(""); return nil
            case LINE_EDITOR_INTERRUPTED: print("^C"); fflush(nil); continue
            case LINE_EDITOR_TERMINATED: print(""); return SIGTERM
            case LINE_EDITOR_STOPPED: print(""); return nil
            default:
                StandardError.write("aioctl: shell: cannot read the terminal (\(String(cString: strerror(errno))))\n")
                return nil
            }
            let text = String(cString: raw!)
            free(raw)
            let trimmed = text.trimmingWhitespace()
            if !trimmed.isEmpty { line_editor_remember(editor, trimmed) }
            number += 1
            if ["exit", "quit"].contains(trimmed) { return nil }
            do {
                if let line = try ScriptParser.parseLine(text, number: number) { try session.execute(line) }
            } catch let e as ScriptParseError {
                print(style.differ("error: column \(e.column): \(e.message)"))
            } catch let e as ScriptRuntimeError {
                print(style.differ("error: \(e.message)"))
            } catch {
                print(style.differ("error: \(error)"))
            }
            fflush(nil)
            switch line_editor_take_signal() {
            case SIGTERM: return SIGTERM
            case SIGINT: print(style.differ("interrupted")); fflush(nil)
            default: break
            }
            if session.timedOut { return nil }
        }
    }

    /// Tab's candidates: every statement keyword, then the live handles.
    private func setCompletions(_ editor: OpaquePointer, names: [String: Declared]) {
        var words = ShellCommand.keywords
        for (name, kind) in names.sorted(by: { $0.key < $1.key }) {
            switch kind {
            case .descriptor(.pipe?), .descriptor(.fifo?): words += [name + ".read", name + ".write"]
            case .descriptor(.socketpair?): words += [name + ".0", name + ".1"]
            case .iocbArray(let n): words += [name] + (0..<min(n, 64)).map { "\(name)[\($0)]" }
            default: words.append(name)
            }
        }
        var pointers = words.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        pointers.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) {
                line_editor_set_words(editor, $0, Int32(buffer.count))
            }
        }
    }

    /// The statements of the step language (ScriptParser) and their second words.
    static let keywords = [
        "ctx", "setup", "pipe", "socketpair", "eventfd", "fifo", "open", "close", "write", "read", "iocb",
        "submit", "cancel", "getevents", "pgetevents", "destroy", "after", "sleep", "signal", "show", "ring",
        "handles", "via", "help", "exit", "quit", "pread", "pwrite", "fsync", "fdsync", "poll", "noop",
        "preadv", "pwritev",
    ]
}

/// The session the line editor asks about while it waits: past --timeout,
/// the shell leaves instead of waiting for a line forever.
enum ShellTimeout {
    nonisolated(unsafe) static var session: ScriptSession?
    static var passed: Bool { session?.timedOut ?? false }
}

/// Where the shell keeps its history: $XDG_STATE_HOME/aioctl/history, or
/// ~/.local/state/aioctl/history; nil (no history file) when neither can be made.
enum ShellHistory {
    static func path() -> String? {
        let env = { (name: String) -> String? in getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        let state: String
        if let xdg = env("XDG_STATE_HOME"), xdg.hasPrefix("/") {
            state = xdg
        } else if let home = env("HOME") {
            state = home + "/.local/state"
        } else {
            return nil
        }
        let directory = state + "/aioctl"
        var path = ""
        for component in directory.split(separator: "/") {
            path += "/" + component
            if mkdir(path, 0o700) != 0, errno != EEXIST { return nil }
        }
        return directory + "/history"
    }
}
