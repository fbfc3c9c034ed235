import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import Glibc

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure read or write throughput through the AIO path, the way fio's libaio engine does.",
        discussion: """
        Keeps --iodepth reads (or writes) of --bs bytes in flight on --file: up to \
        --batch-submit iocbs per io_submit, at least --batch-complete and at most \
        --batch-complete-max events per io_getevents, like fio's iodepth_batch_submit, \
        iodepth_batch_complete_min and iodepth_batch_complete_max. The first two default \
        to 1 as in fio; the third defaults to --iodepth (every ready event), where fio's \
        defaults to 1: give fio --iodepth_batch_complete_max=IODEPTH, or aioctl \
        --batch-complete-max 1, for the same loop. Random patterns pick uniformly random blocks \
        (fio's norandommap). A missing file is created and filled to --size before the \
        clock starts; a shorter one is extended. A --size its file system has no room \
        for is refused before anything is written, and a fill that fails part way \
        (ENOSPC, EFBIG past ulimit -f) removes the file it created or cuts an \
        existing one back.

        Without --runtime or --ios the run makes one pass: size / bs I/Os.

        --json (--output-format=json) prints what fio 3.33 prints for the same job, \
        field for field and type for type (jobs[0].read.iops, bw_bytes, clat_ns.percentile, \
        runtime in ms, usr_cpu, iodepth_level, latency_us, ...), so fio's tools and \
        scripts written for fio read it; what aioctl does not measure (trim, sync, \
        disk_util) is 0, as fio writes it for a job that did none. "job options" echoes \
        the options as typed, under fio's names; "global options" holds what aioctl \
        chose for the rest. --json+ (--output-format=json+) adds clat_ns.bins for \
        fio_jsonplus_clat2csv. Fields fio lacks start with aioctl_.

        EXIT STATUS
          0    done
          1    some I/Os returned an error
          64   bad usage (size below one block, iodepth 0 or beyond what io_setup allows)
          66   the file cannot be created, filled or opened
          70   an AIO call failed
          130  interrupted (partial results are printed)

        EXAMPLES
          aioctl bench --file /tmp/aio.dat --size 64m --runtime 5s
          aioctl bench --file /tmp/aio.dat --rw write --bs 64k --iodepth 8 --json+
        """
    )

    @Option(help: ArgumentHelp("The file to read or write; created and filled when missing.", valueName: "path"),
            completion: .file())
    var file: String

    @Option(help: ArgumentHelp("File size: 4096, 4k, 64MiB, 1g (default: the file's size, or 64MiB for a new file).",
                               valueName: "size"))
    var size: String?

    // The options fio also has are optional here, their defaults in the help,
    // so that --json can tell what the user typed from what aioctl chose.
    @Option(help: ArgumentHelp("Block size of each I/O (default: 4k).", valueName: "size"))
    var bs: String?

    @Option(help: ArgumentHelp("Requests kept in flight, io_setup's nr_events (default: 32).", valueName: "n"))
    var iodepth: Int?

    @Option(help: "read, randread, write or randwrite (default: randread).")
    var rw: BenchPattern?

    @Flag(help: "Open the file with O_DIRECT, bypassing the page cache.")
    var direct = false

    @Option(name: .customLong("batch-submit"),
            help: ArgumentHelp("iocbs per io_submit at most, fio's iodepth_batch_submit (default: 1).", valueName: "n"))
    var batchSubmit: Int?

    @Option(name: .customLong("batch-complete"),
            help: ArgumentHelp("min_nr for io_getevents, fio's iodepth_batch_complete_min (default: 1).",
                               valueName: "n"))
    var batchComplete: Int?

    @Option(name: .customLong("batch-complete-max"),
            help: ArgumentHelp("nr for io_getevents, fio's iodepth_batch_complete_max (default: --iodepth; fio's "
                               + "default is 1).", valueName: "n"))
    var batchCompleteMax: Int?

    @Option(help: ArgumentHelp("Run this long (time-based).", valueName: "duration"))
    var runtime: String?

    @Option(help: ArgumentHelp("Stop after this many I/Os.", valueName: "n"))
    var ios: Int?

    @OptionGroup var viaOption: ViaOption

    @OptionGroup var output: OutputOptions

    @Flag(name: .customLong("json+"), help: "Print fio's json+ (JSON with clat_ns.bins) instead of text.")
    var jsonPlus = false

    @Option(name: .customLong("output-format"), help: "normal, json or json+, as fio names them (default: normal).")
    var outputFormat: BenchOutputFormat?

    @OptionGroup var display: DisplayOptions

    func makeOptions() throws -> BenchOptions {
        var o = BenchOptions()
        o.path = file
        o.size = try size.map { try parseSize($0, option: "--size") }
        if let bs {
            let block = try parseSize(bs, option: "--bs")
            guard block <= UInt64(Int.max) else { throw UsageError("--bs '\(bs)' is too large") }
            o.blockSize = Int(block)
        }
        o.iodepth = iodepth ?? o.iodepth
        o.pattern = rw ?? o.pattern
        o.direct = direct
        o.batchSubmit = batchSubmit ?? o.batchSubmit
        o.batchComplete = batchComplete ?? o.batchComplete
        o.batchCompleteMax = batchCompleteMax
        let typed: [(String, String?)] = [
            ("filename", file), ("size", size), ("bs", bs), ("iodepth", iodepth.map(String.init)),
            ("rw", rw?.rawValue), ("direct", direct ? "1" : nil),
            ("iodepth_batch_submit", batchSubmit.map(String.init)),
            ("iodepth_batch_complete_min", batchComplete.map(String.init)),
            ("iodepth_batch_complete_max", batchCompleteMax.map(String.init)),
            ("runtime", runtime), ("number_ios", ios.map(String.init)),
        ]
        o.typed = typed.compactMap { name, value in value.map { (name, $0) } }
        switch (runtime, ios) {
        case (_?, _?): throw UsageError("--runtime and --ios are alternatives; choose one")
        case (let r?, nil): o.stop = .runtime(nanoseconds: try DelaySpec(parsing: r, allowNever: false).nanoseconds!)
        case (nil, let n?): o.stop = .ios(n)
        case (nil, nil): o.stop = nil
        }
        o.via = viaOption.via
        try o.validate()
        return o
    }

    /// --json, --json+ and --output-format name one choice.
    func outputChoice() throws -> BenchOutputFormat {
        let chosen = [output.json ? BenchOutputFormat.json : nil, jsonPlus ? .jsonPlus : nil, outputFormat].compactMap { $0 }
        guard Set(chosen).count <= 1 else {
            throw UsageError("--json, --json+ and --output-format disagree; give one")
        }
        return chosen.first ?? .normal
    }

    func run() throws {
        let format = try outputChoice()
        if output.quiet && format != .normal { throw UsageError("--quiet and --\(format.rawValue) conflict; choose one") }
        let options = try makeOptions()
        Interrupts.install()
        let engine = try BenchEngine(options: options)
        let report = engine.run(progress: output.quiet ? nil : ProgressBar.forStandardError(label: "bench"))
        if format != .normal {
            print(report.json(version: Aioctl.configuration.version, plus: format == .jsonPlus).serialized())
        } else if !output.quiet {
            print(report.renderText(style: .forStandardOutput()), terminator: "")
        }
        throw ExitCode(report.exitStatus.rawValue)
    }
}

extension BenchPattern: ChoiceArgument {}

/// fio's --output-format values that aioctl writes.
enum BenchOutputFormat: String, ChoiceArgument {
    case normal, json
    case jsonPlus = "json+"
}
