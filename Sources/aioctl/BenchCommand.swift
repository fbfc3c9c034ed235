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
        --batch-submit iocbs per io_submit, at least --batch-complete events per \
        io_getevents, like fio's iodepth_batch_submit and iodepth_batch_complete_min \
        (both default to 1, as in fio). Random patterns pick uniformly random blocks \
        (fio's norandommap). A missing file is created and filled to --size before the \
        clock starts; a shorter one is extended.

        Without --runtime or --ios the run makes one pass: size / bs I/Os.

        --json prints fio's --output-format=json shape (jobs[0].read.iops, bw_bytes, \
        clat_ns.percentile, slat_ns, lat_ns, total_ios, runtime in ms), so scripts \
        written for fio read it; fields fio lacks start with aioctl_.

        EXIT STATUS
          0 done; 1 some I/Os returned an error; 64 bad usage (size below one block, \
        iodepth 0 or beyond what io_setup allows); 66 the file cannot be created or \
        opened; 70 an AIO call failed; 130 interrupted (partial results are printed).
        """
    )

    @Option(help: ArgumentHelp("The file to read or write; created and filled when missing.", valueName: "path"))
    var file: String

    @Option(help: ArgumentHelp("File size: 4096, 4k, 64MiB, 1g (default: the file's size, or 64MiB for a new file).",
                               valueName: "size"))
    var size: String?

    @Option(help: ArgumentHelp("Block size of each I/O.", valueName: "size"))
    var bs: String = "4k"

    @Option(help: ArgumentHelp("Requests kept in flight (io_setup's nr_events).", valueName: "n"))
    var iodepth: Int = 32

    @Option(help: "read, randread, write or randwrite.")
    var rw: BenchPattern = .randread

    @Flag(help: "Open the file with O_DIRECT, bypassing the page cache.")
    var direct = false

    @Option(name: .customLong("batch-submit"), help: ArgumentHelp("iocbs per io_submit at most.", valueName: "n"))
    var batchSubmit: Int = 1

    @Option(name: .customLong("batch-complete"), help: ArgumentHelp("min_nr for io_getevents.", valueName: "n"))
    var batchComplete: Int = 1

    @Option(help: ArgumentHelp("Run this long (time-based).", valueName: "duration"))
    var runtime: String?

    @Option(help: ArgumentHelp("Stop after this many I/Os.", valueName: "n"))
    var ios: Int?

    @Option(help: "libaio: libaio's wrappers; syscall: raw syscalls.")
    var via: Via = .libaio

    @Flag(help: "Print fio-shaped JSON instead of text.")
    var json = false

    func makeOptions() throws -> BenchOptions {
        var o = BenchOptions()
        o.path = file
        o.size = try size.map { try parseSize($0, option: "--size") }
        let block = try parseSize(bs, option: "--bs")
        guard block <= UInt64(Int.max) else { throw UsageError("--bs '\(bs)' is too large") }
        o.blockSize = Int(block)
        o.iodepth = iodepth
        o.pattern = rw
        o.direct = direct
        o.batchSubmit = batchSubmit
        o.batchComplete = batchComplete
        switch (runtime, ios) {
        case (_?, _?): throw UsageError("--runtime and --ios are alternatives; choose one")
        case (let r?, nil): o.stop = .runtime(nanoseconds: try DelaySpec(parsing: r, allowNever: false).nanoseconds!)
        case (nil, let n?): o.stop = .ios(n)
        case (nil, nil): o.stop = nil
        }
        o.via = via
        try o.validate()
        return o
    }

    func run() throws {
        let options = try makeOptions()
        Interrupts.install()
        let engine = try BenchEngine(options: options)
        let report = engine.run(progress: ProgressBar.forStandardError(label: "bench"))
        if json {
            print(report.json.serialized())
        } else {
            print(report.renderText(style: .forStandardOutput()), terminator: "")
        }
        throw ExitCode(report.exitStatus.rawValue)
    }
}

extension BenchPattern: ExpressibleByArgument {}
