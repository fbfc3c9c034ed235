import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe this machine's AIO: kernel, limits, ring size, libaio, seccomp.",
        discussion: """
        Prints the kernel release, whether AIO is available (a real io_setup probe, \
        destroyed at once), /proc/sys/fs/aio-nr and aio-max-nr, the size of the ring \
        the kernel really mapped for --nr-events and how far aio-nr grew meanwhile \
        (the kernel reserves more than asked), the libaio library in use, the seccomp \
        mode, and the number of CPUs.

        Exit status: 0 when AIO is available, 4 when io_setup failed (kselftest's skip code); \
        `aioctl info --quiet` asks only that.

        EXAMPLES
          aioctl info
          aioctl info --nr-events 4096 --json
        """
    )

    @Option(name: .customLong("nr-events"), help: ArgumentHelp("nr_events for the probe context.", valueName: "n"))
    var nrEvents: Int = 128

    @OptionGroup var viaOption: ViaOption

    @OptionGroup var output: OutputOptions

    func run() throws {
        guard nrEvents >= 1, nrEvents <= 1 << 24 else {
            throw UsageError("--nr-events must be between 1 and \(1 << 24)")
        }
        let info = SystemInfo.probe(nrEvents: nrEvents, via: viaOption.via)
        if !output.quiet {
            print(output.json ? info.json.serialized() : info.renderText(), terminator: output.json ? "\n" : "")
        }
        if !info.aioAvailable { throw ExitCode(ExitStatus.unavailable.rawValue) }
    }
}
