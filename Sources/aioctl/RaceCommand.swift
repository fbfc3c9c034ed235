import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import Glibc

struct RaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "race",
        abstract: "Measure the window in which io_cancel and a POLL's completion race.",
        discussion: """
        Each iteration submits one IOCB_CMD_POLL (POLLIN) on an empty pipe, socketpair \
        or eventfd; a readiness thread makes the target readable at --ready-after while \
        the main thread calls io_cancel at --cancel-after, both counted from the io_submit \
        call. aioctl then reaps exactly the events that arrive and drains the target, so \
        the next iteration starts empty. One context and one iocb serve the whole run.

        OUTCOMES
          cancelled        io_cancel -EINPROGRESS and an event with res 0
          completed first  io_cancel -EINVAL and an event carrying poll bits
          other            exactly one event, any other pairing
          lost/dup         zero or several events for one iocb: a kernel bug; aioctl
                           says so and exits 1

        --sweep FROM..TO/STEP moves readiness relative to the cancel (negative: before \
        it), one setting per step; the report gives the span of offsets where both \
        outcomes occur (the window). "measured" is the median, to 100ns, of the readiness \
        write's actual start minus io_cancel's actual call, over clean iterations (both \
        calls under 5us, so no thread was preempted inside one); the window is judged on \
        clean iterations too, each outcome needing 1% of them. Sub-10us moments are kept \
        by busy-waiting, so a run keeps two CPUs busy.

        Latencies (p50, p90, p99, p99.9, max) come from HdrHistogram: io_submit's call, \
        io_cancel's call, and the cancelled event's arrival (io_getevents' return) \
        after io_cancel returned.

        EXIT STATUS
          0    every iteration got exactly one event
          1    a completion was lost or duplicated
          64   bad usage
          66   the plot file cannot be created
          70   an AIO call failed unexpectedly
          130  interrupted (partial results are printed)

        EXAMPLES
          aioctl race --target pipe --cancel-after 20us --ready-after 20us
          aioctl race --sweep 0us..40us/2us --iterations 2000 --plot race.svg
        """
    )

    @Option(help: ArgumentHelp("pipe, socketpair or eventfd.", valueName: "target"),
            completion: .list(["pipe", "socketpair", "eventfd"]))
    var target: String = "pipe"

    @Option(name: .customLong("cancel-after"),
            help: ArgumentHelp("When io_cancel runs, from the io_submit call (e.g. 0, 5us, 1ms).", valueName: "duration"))
    var cancelAfter: String = "20us"

    @Option(name: .customLong("ready-after"),
            help: ArgumentHelp("When the target becomes readable, from the io_submit call, or never (no readiness thread).",
                               valueName: "duration"))
    var readyAfter: String?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Sweep readiness relative to the cancel: FROM..TO/STEP, e.g. -20us..20us/2us.",
                               valueName: "range"))
    var sweep: String?

    @Option(help: ArgumentHelp("Iterations per setting (default: 10000).", valueName: "n"))
    var iterations: Int?

    @Option(help: ArgumentHelp("Run each setting this long instead of a number of iterations.", valueName: "duration"))
    var duration: String?

    @Option(name: .customLong("reap-timeout"),
            help: ArgumentHelp("How long to wait for an iteration's event before calling it lost.", valueName: "duration"))
    var reapTimeout: String = "1s"

    @Option(help: ArgumentHelp("Also write an SVG of outcome share against the sweep offset.", valueName: "file.svg"),
            completion: .file())
    var plot: String?

    @OptionGroup var viaOption: ViaOption

    @OptionGroup var output: OutputOptions

    @OptionGroup var display: DisplayOptions

    func makeOptions() throws -> RaceOptions {
        var o = RaceOptions()
        o.target = try TargetSpec(parsing: target)
        guard let cancel = try DelaySpec(parsing: cancelAfter, allowNever: false).nanoseconds else {
            throw UsageError("--cancel-after needs a duration")
        }
        o.cancelAfterNs = cancel
        if let sweep {
            if readyAfter != nil { throw UsageError("--sweep sets the readiness moments; drop --ready-after") }
            o.sweep = try SweepSpec(parsing: sweep)
        } else {
            o.readyAfter = try DelaySpec(parsing: readyAfter ?? cancelAfter)
        }
        switch (iterations, duration) {
        case (_?, _?): throw UsageError("--iterations and --duration are alternatives; choose one")
        case (let n?, nil): o.stop = .iterations(n)
        case (nil, let d?): o.stop = .duration(nanoseconds: try DelaySpec(parsing: d, allowNever: false).nanoseconds!)
        case (nil, nil): o.stop = .iterations(10_000)
        }
        o.reapTimeoutNs = try DelaySpec(parsing: reapTimeout, allowNever: false).nanoseconds!
        o.via = viaOption.via
        if plot != nil, o.sweep == nil { throw UsageError("--plot draws a sweep; add --sweep FROM..TO/STEP") }
        try o.validate()
        return o
    }

    func run() throws {
        let options = try makeOptions()
        // Opened before the run so a bad path fails in a moment, not after it.
        let plotFile = try plot.map(openForWriting)
        Interrupts.install()
        let engine = try RaceEngine(options: options)
        let report = engine.run(progress: output.quiet ? nil : ProgressBar.forStandardError(label: "race"))
        if let plotFile {
            fputs(RacePlot(report: report).svg, plotFile)
            fclose(plotFile)
        }
        if output.json {
            print(report.json.serialized())
        } else if !output.quiet {
            print(report.renderText(style: .forStandardOutput()), terminator: "")
        }
        if report.lostOrDuplicated > 0 {
            StandardError.write("aioctl: KERNEL BUG: \(report.lostOrDuplicated) lost or duplicated AIO completion(s); see the report\n")
        }
        throw ExitCode(report.exitStatus.rawValue)
    }

    private func openForWriting(_ path: String) throws -> UnsafeMutablePointer<FILE> {
        guard let file = fopen(path, "w") else {
            throw AioctlError(.noInput, "--plot \(path): cannot create (\(String(cString: strerror(errno))))")
        }
        return file
    }
}
