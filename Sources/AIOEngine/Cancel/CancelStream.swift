import AIODocuments
import AIOKernel
import Glibc

/// Prints `aioctl cancel --count N` as its runs finish, keeping nothing of
/// them in memory but counts. Text goes out run by run. JSON keeps its shape
/// (`count` before `runs`, which only the end knows): each run is serialized
/// as it finishes into an unlinked temporary file (in $TMPDIR, else /tmp),
/// copied into the document at the end. Where no temporary file can be made
/// the serialized runs stay in memory, which is still far smaller than the
/// records they came from.
public final class CancelStream {
    public enum Format { case text(TextStyle), json, quiet }

    let options: CancelOptions
    let format: Format
    private var spill: UnsafeMutablePointer<FILE>?
    private var inMemory: [String] = []
    private var written = 0

    public init(options: CancelOptions, format: Format) {
        self.options = options
        self.format = format
        if case .json = format { spill = CancelStream.temporaryFile() }
    }

    deinit { if let spill { fclose(spill) } }

    /// The header, before the first run.
    public func begin() {
        if case .text(let style) = format {
            print(CancelReport.renderHeader(options, style: style).joined(separator: "\n"))
            fflush(nil)
        }
    }

    public func add(_ run: CancelRun, index: Int) {
        switch format {
        case .quiet: return
        case .text(let style):
            let lines = CancelReport.renderRun(run, index: index, of: options.count, options: options, style: style)
            print(lines.joined(separator: "\n"))
            fflush(nil)
        case .json:
            let text = JSON.object(CancelReport.runMembers(run)).serialized(indent: 2, level: 2)
            if let spill {
                if written > 0 { fputs(",\n", spill) }
                fputs("    " + text, spill)
            } else {
                inMemory.append("    " + text)
            }
            written += 1
        }
    }

    /// The summary and verdict (text), or the whole document (JSON).
    public func finish(_ tally: CancelTally) {
        switch format {
        case .quiet: return
        case .text(let style):
            print(CancelReport.renderFooter(options, tally: tally, style: style).joined(separator: "\n"))
        case .json:
            // The document with an empty runs array, split where the runs go.
            let document = Array(CancelReport.document(options, tally: tally, runs: .array([])).serialized().utf8)
            let marker = Array("\n  \"runs\": []".utf8)
            guard let at = CancelStream.find(marker, in: document) else { print(String(decoding: document, as: UTF8.self)); return }
            print(String(decoding: document[..<at], as: UTF8.self), terminator: "")
            if written == 0 {
                print(String(decoding: marker, as: UTF8.self), terminator: "")
            } else {
                print("\n  \"runs\": [")
                copyRuns()
                print("\n  ]", terminator: "")
            }
            print(String(decoding: document[(at + marker.count)...], as: UTF8.self))
        }
        fflush(nil)
    }

    /// Where `needle` first starts in `haystack`: a top-level key of our own
    /// document, which a string value (its quotes escaped) cannot imitate.
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty else { return 0 }
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }

    private func copyRuns() {
        guard let spill else {
            print(inMemory.joined(separator: ",\n"), terminator: "")
            return
        }
        fflush(nil)
        rewind(spill)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, spill)
            if n == 0 { break }
            // Straight to descriptor 1, after fflush(nil) above: stdio's buffer is empty.
            var offset = 0
            while offset < n {
                let wrote = buffer.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, n - offset) }
                if wrote <= 0 { break }
                offset += wrote
            }
        }
    }

    /// An unlinked file in $TMPDIR (or /tmp): gone when closed or when we die.
    static func temporaryFile() -> UnsafeMutablePointer<FILE>? {
        let dir = ProcessEnvironment.tmpdir
        var template = Array("\(dir)/aioctl-cancel-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return nil }
        unlink(template)
        guard let file = fdopen(fd, "w+") else {
            close(fd)
            return nil
        }
        return file
    }
}
