import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import Glibc

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review KAPI spec files statement by statement against the running kernel.",
        discussion: """
        Reads the draft Kernel API Specifications in FILE... (a patch or mail, a \\
        source file with the specs applied, or tools/kapi's JSON; either dialect) \\
        and gives each statement a verdict: each param's range (tried at and beyond \\
        its bounds), each error entry, the return, each side effect, state \\
        transition, signal, constraint, capability and lock. A statement is tried \\
        by the `aioctl check` scenarios whose situation the catalog files under a \\
        kapi claim citing it, made through raw syscalls.

        VERDICTS: confirmed (every run that shows it agrees), refuted (the \\
        kernel's answer and the scenario that shows it), partly (which runs or \\
        bounds hold and which do not), not exercised (why: it needs memory \\
        exhaustion, a fatal signal inside the mmap lock, a USB gadget, a kernel \\
        without CONFIG_AIO, or it is not visible from user space). A coverage line \\
        counts the statements exercised.

        FORMATS: text; json ({kernel, machine, specs, statements: [ {syscall, \\
        kind, key, summary, line, statement, verdict, evidence, holds, fails, \\
        reproducers: [ {scenario, script, command} ]} ], coverage, elapsed_ms}); \\
        markdown (for a reply to the patch: kernel version and architecture, the \\
        table, and a step-language reproducer for each refuted statement, run \\
        with `aioctl run -`).

        EXIT STATUS: 0 nothing refuted, 1 a statement refuted or partly refuted, \\
        4 AIO unavailable here, 64 bad usage or a file with no readable \\
        specification (the message names the line), 66 a file cannot be read.

        EXAMPLES
          aioctl review io_cancel-kapi-spec.txt
          aioctl review --format markdown 0005-io_setup.patch 0006-io_destroy.patch
          aioctl review --json io_cancel-kapi-spec.txt | jq '.statements[] | select(.verdict == "refuted")'
        """
    )

    enum Format: String, ChoiceArgument {
        case text, json, markdown
    }

    @Argument(help: ArgumentHelp("KAPI spec files: patch, mail, source or tools/kapi JSON.", valueName: "file"),
              completion: .file())
    var files: [String]

    @Option(help: "Output format: text, json or markdown.")
    var format: Format = .text

    /// --json is --format json.
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Threads that run scenarios side by side.", valueName: "n"))
    var jobs: Int = 24

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one spec file") }
        guard jobs >= 1, jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
        _ = try output.format(format, text: .text, json: .json)
    }

    func run() throws {
        let specs = try KAPIFiles.load(files)
        let probe = SystemInfo.probe(nrEvents: 1, via: .syscall)
        guard probe.aioAvailable else {
            throw AioctlError(.unavailable, "AIO is unavailable here: io_setup failed with \(probe.setupError ?? "an error")")
        }
        let report = Reviewer(runner: CheckRunner(workers: jobs)).review(specs)
        if output.quiet { throw ExitCode(report.exitStatus.rawValue) }
        switch try output.format(format, text: .text, json: .json) {
        case .json: print(report.json.serialized())
        case .markdown: print(report.markdown, terminator: "")
        case .text: print(report.text(style: .forStandardOutput()), terminator: "")
        }
        throw ExitCode(report.exitStatus.rawValue)
    }
}
