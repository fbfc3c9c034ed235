import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import Glibc

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Provoke every documented AIO situation on this kernel and judge it against each document.",
        discussion: """
        Runs a table of scenarios, each a short sequence of AIO calls that puts one \
        call (the subject) in one situation of the expectation catalog (see `aioctl \
        spec`), and compares the kernel's answer with what kapi, man2 and libaio claim. \
        By default every scenario runs twice, through libaio's wrappers and through raw \
        syscalls, since the two differ.

        VERDICTS: against the source chosen with --expect, a run agrees, differs, or \
        meets a situation the source says nothing about (no claim: counted as a pass, \
        with a note). A scenario whose precondition cannot be met here (a capability \
        aioctl has, a limit it cannot reach, other contexts holding aio-nr) is SKIP with \
        the reason. Scenarios that can crash libaio (it reads the ring at the handle's \
        address in user space) or hang run in a child process with a watchdog; a crash \
        is reported as an observation ("libaio: killed by SIGSEGV") that differs from \
        every claim, and the run goes on.

        FORMATS: text (one line per run, then a summary per syscall and per source; \
        -v adds every call); ktap (KTAP version 1, the kernel's test format, for \
        kunit_parser, KernelCI and LAVA: a result line per run with a short stable reason, \
        `not ok 3 NAME # kapi expected -EINVAL, got 0` or `ok 4 NAME # SKIP reason`, then \
        its # diagnostics); tap (the same body under TAP version 13, the header \
        kselftest's ksft_print_header writes, for TAP consumers such as tappy and prove); \
        json (an array of runs: name, syscall, situation, via, status \
        ran|skipped|crashed, verdict agrees|differs|no-claim|skip, expect, skip_reason, \
        observed, return, errno, events, sources[source, state, expected, claim, \
        reference, differences], notes, isolated, elapsed_us, calls, call_text).

        --json is --format json; --quiet prints nothing, for scripts that want only \
        the exit status.

        STREAMING AND INTERRUPTION: each run is written as soon as it and the runs \
        before it in the plan are done (every format keeps the plan's order). On \
        SIGINT or SIGTERM no run starts, the runs in flight are ended and their \
        contexts destroyed, and the rest of the document is written: each run not \
        made is a skip whose reason is "interrupted by SIGINT" (KTAP: `ok N NAME # \
        SKIP`), then the totals, or the JSON array's end.

        AIO EVENTS: aio-nr and aio-max-nr are shared by every process. check holds at \
        most a quarter of what is free (aio-max-nr - aio-nr) at any moment: a run that \
        needs more waits for headroom, and after 5s (scaled, below), or when it needs more than a \
        quarter of aio-max-nr (io_setup.nr-aio-max-nr does), is a skip that says so.

        SLOW MACHINES: what a run waits for is ordered by what the kernel reports (a \
        thread asleep in a call, an event in the ring), not by time. The bounds that \
        only stop a wait (an event within 100ms, a run's 10s watchdog, an isolated \
        child silent for 15s) scale by the machine's pace, measured at start and shown \
        by `aioctl info` and in the KTAP header: about 1 on an idle host, 20-50 in a VM \
        under emulation, capped so a real hang is still reported within about a \
        minute. AIOCTL_PACE=N (1 to 1000) sets it instead. The timeouts a scenario \
        passes to the kernel are never scaled.

        EXIT STATUS (as kselftest): 0 every run agreed or had no claim (skips allowed), \
        1 something differed, 4 everything was skipped, 64 bad usage, 130/143 \
        interrupted by SIGINT/SIGTERM (the document is still whole).

        EXAMPLES
          aioctl check
          aioctl check --format ktap --expect man2
          aioctl check --filter 'io_cancel*' -v
          aioctl check --list --filter io_getevents
          aioctl check --print-script io_cancel.pending-poll-pipe | aioctl run -
        """
    )

    enum Format: String, ChoiceArgument { case text, ktap, tap, json }
    enum ViaChoice: String, ChoiceArgument { case libaio, syscall, both }

    // Not ViaOption: check can also run each scenario both ways, and does by default.
    @Option(help: ArgumentHelp("How calls reach the kernel: libaio's wrappers, which return -errno, raw syscall(2), "
                               + "which returns -1 and sets errno, or both (each scenario once each way).",
                               valueName: "convention"))
    var via: ViaChoice = .both

    @OptionGroup var expectOption: ExpectOption
    var expect: Source { expectOption.expect }

    @Option(help: ArgumentHelp("Only scenarios whose name or syscall matches this glob.", valueName: "glob"),
            completion: Complete.scenarios)
    var filter: String?

    @Flag(help: "List the scenarios (name, syscall, situation) without running them.")
    var list = false

    @Flag(name: .shortAndLong, help: "Show every call of every run (text format).")
    var verbose = false

    @Option(name: .customLong("format"), help: "Output format: text, ktap, tap or json (with --list: text or json).")
    var formatOption: Format = .text

    /// --json is --format json; --quiet prints nothing, whatever the format would be.
    @OptionGroup var output: OutputOptions
    var format: Format { output.json ? .json : formatOption }

    @Option(help: ArgumentHelp("Threads that run scenarios side by side.", valueName: "n"))
    var jobs: Int = 24

    @Option(name: .customLong("print-script"), help: ArgumentHelp(
        "Print the named scenario as the step-language program check runs, and exit. "
            + "Replay it with `aioctl run -` (add --via to pick the convention).",
        valueName: "scenario"))
    var printScript: String?

    @Option(name: .customLong("run-one"), help: .hidden)
    var runOne: String?

    @Option(name: .customLong("call-detail"), help: .hidden)
    var callDetail: CallDetail = .all

    @OptionGroup var display: DisplayOptions

    func validate() throws {
        guard jobs >= 1, jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
        if runOne != nil && via == .both { throw ValidationError("--run-one needs --via libaio or --via syscall") }
        _ = try output.format(formatOption, text: .text, json: .json)
        if output.quiet && (list || printScript != nil) {
            throw ValidationError("--quiet prints nothing; drop it to see \(list ? "the list" : "the program")")
        }
    }

    func run() throws {
        if let name = runOne { return try runIsolated(name) }
        if let name = printScript {
            guard let scenario = Scenarios.named(name) else { throw UsageError("no scenario named '\(name)' (see --list)") }
            return print(scenario.program().script(for: scenario), terminator: "")
        }
        let scenarios = CheckRunner.select(filter: filter)
        guard !scenarios.isEmpty else { throw UsageError("--filter '\(filter ?? "")' matches no scenario") }
        if list { return printList(scenarios) }

        // SIGINT/SIGTERM from here on end the check with a whole document.
        Interrupts.install()
        let vias: [Via] = via == .both ? [.libaio, .syscall] : [via == .libaio ? .libaio : .syscall]
        let plan = CheckRunner.plan(scenarios, vias: vias)
        let streamFormat: CheckStream.Format
        switch format {
        case _ where output.quiet: streamFormat = .quiet
        case .json: streamFormat = .json
        case .ktap: streamFormat = .ktap(.ktap, header: header(vias))
        case .tap: streamFormat = .ktap(.tap13, header: header(vias))
        case .text: streamFormat = .text(.forStandardOutput(), verbose: verbose)
        }
        let stream = CheckStream(plan: plan, expect: expect, format: streamFormat)
        stream.begin()
        let detail: CallDetail
        switch streamFormat {
        case .json: detail = .all
        case .text(_, verbose: true): detail = .text
        default: detail = .none
        }
        let outcome = CheckRunner(workers: jobs, expect: expect, detail: detail).run(plan) { index, result in
            stream.add(index, result)
        }
        let report = stream.finish(outcome)
        throw ExitCode(report.exitStatus.rawValue)
    }

    private func header(_ vias: [Via]) -> [String] {
        var u = utsname()
        uname(&u)
        let release = withUnsafeBytes(of: &u.release) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        return ["aioctl check: kernel \(release); verdicts against \(expect.rawValue); via "
                + vias.map(\.rawValue).joined(separator: ", "),
                "pace " + MachinePace.describe(MachinePace.current.factor, MachinePace.current.origin)]
    }

    private func printList(_ scenarios: [Scenario]) {
        if format == .json {
            print(JSON.array(scenarios.map { s in
                .object([("name", .string(s.name)), ("syscall", .string(s.syscall.rawValue)),
                         ("situation", .string(s.situation)), ("isolated", .string(s.isolate.rawValue)),
                         ("alone", .bool(s.exclusive))])
            }).serialized())
            return
        }
        let width = (scenarios.map { $0.name.count }.max() ?? 20) + 2
        for s in scenarios {
            let tags = (s.isolate == .none ? "" : " [isolated: \(s.isolate.rawValue)]") + (s.exclusive ? " [alone]" : "")
            print(s.name.padding(toLength: width) + s.situation + tags)
        }
    }

    /// The child side of isolation, reached here only when the words are
    /// not exactly ChildRequest's (Aioctl.main serves those before parsing).
    private func runIsolated(_ names: String) throws {
        let request = ChildRequest(names: names.split(separator: ",").map(String.init),
                                   via: via == .libaio ? .libaio : .syscall, expect: expect, detail: callDetail)
        do { try request.serve() } catch { throw UsageError(error.message) }
    }
}

extension String {
    func padding(toLength width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
