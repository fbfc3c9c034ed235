import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import Glibc

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare `aioctl check --format json` results from several kernels, side by side.",
        discussion: """
        Reads check results gathered anywhere (scripts/matrix, LAVA artefacts, a \
        colleague's machine) and runs nothing again. Documents from the same kernel are \
        its repeated runs: a result counts as that kernel's answer only when every run \
        gave it. A scenario is reported when two kernels answered it differently that \
        way, in one table with each source's verdict per kernel and convention, and \
        each source's claim with the line that makes it. Results that changed between \
        runs of one kernel are listed apart as unstable: they say something about \
        timing or load, not about the kernel. With --min-runs N, an answer seen in \
        fewer than N runs of its kernel is shown but not compared. Above the tables, a \
        tally per kernel counts how each source fared against all of that kernel's \
        stable answers (agrees / differs / no claim): where each document is right, \
        kernel by kernel (JSON: sources_by_kernel).

        WHICH KERNEL: a document's kernel is, in this order, the LABEL of a \
        LABEL=FILE argument, a `kernel` field in its records, or the `kernel` of an \
        info.json (`aioctl info --json`) in the same directory, as scripts/matrix \
        writes them.

        EXIT STATUS: 0 no scenario differs between kernels, 1 some scenario does, \
        64 a document is not check's JSON or no kernel can be told, 66 a file \
        cannot be read.

        EXAMPLES
          aioctl diff matrix-results/*/check-*.json
          aioctl diff --format markdown 6.1=a.json 6.12=b.json
        """
    )

    enum Format: String, ChoiceArgument { case text, markdown, json }

    @Argument(help: ArgumentHelp("check --format json documents, each FILE or LABEL=FILE.", valueName: "file"))
    var files: [String]

    @Option(help: "Output format: text, markdown or json.")
    var format: Format = .text

    /// --json is --format json.
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("min-runs"),
            help: ArgumentHelp("Compare a kernel's answer only when it came in at least this many runs.",
                               valueName: "n"))
    var minimumRuns: Int = 1

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one check --format json document") }
        guard minimumRuns >= 1 else { throw ValidationError("--min-runs must be at least 1") }
        _ = try output.format(format, text: .text, json: .json)
    }

    func run() throws {
        var documents: [(kernel: String, document: CheckDocument)] = []
        var seen = Set<String>()
        for argument in files {
            let (label, path) = split(argument)
            // The same file twice for one kernel would count one run as two.
            guard seen.insert((label ?? "") + "=" + canonical(path)).inserted else { continue }
            let document: CheckDocument
            do {
                document = try CheckDocument(parsing: try readFile(path))
            } catch let invalid as CheckDocument.Invalid {
                throw UsageError("\(path): \(invalid.description)")
            }
            guard let kernel = label ?? document.kernel ?? infoKernel(beside: path) else {
                throw UsageError("\(path): cannot tell which kernel it is from: put `aioctl info --json` "
                                 + "in info.json beside it, or name it LABEL=\(path)")
            }
            documents.append((kernel, document))
        }
        let diff = KernelDiff(documents, minimumRuns: minimumRuns)
        if output.quiet { throw ExitCode(diff.exitStatus.rawValue) }
        switch try output.format(format, text: .text, json: .json) {
        case .text: print(diff.text(style: .forStandardOutput()), terminator: "")
        case .markdown: print(diff.markdown(), terminator: "")
        case .json: print(diff.json.serialized())
        }
        if fflush(nil) != 0 { throw AioctlError(.software, "cannot write the output") }
        throw ExitCode(diff.exitStatus.rawValue)
    }

    /// LABEL=FILE, unless the whole argument names an existing file.
    private func split(_ argument: String) -> (String?, String) {
        guard access(argument, F_OK) != 0, let eq = argument.firstIndex(of: "="), eq != argument.startIndex else {
            return (nil, argument)
        }
        return (String(argument[..<eq]), String(argument[argument.index(after: eq)...]))
    }

    private func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func infoKernel(beside path: String) -> String? {
        let dir = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        guard let text = try? readFile((dir.isEmpty ? "" : dir) + "/info.json") else { return nil }
        return InfoDocument.kernel(parsing: text)
    }

    /// The whole file as UTF-8; a file that cannot be read is exit 66.
    private func readFile(_ path: String) throws -> String {
        guard let file = fopen(path, "r") else {
            throw AioctlError(.noInput, "\(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(file) != 0 { throw AioctlError(.noInput, "\(path): \(String(cString: strerror(errno)))") }
                break
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw UsageError("\(path): not UTF-8 text, so not check's JSON")
        }
        return text
    }
}
