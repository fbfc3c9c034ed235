import AIODocuments
import AIOKernel
import Glibc
import KAPISpec
import SystemPackage

/// The spec files named on the command line, read and parsed, with the
/// README's exit statuses: 66 when a file cannot be read, 64 when it holds no
/// usable specification (the message names the file and line).
public enum KAPIFiles {
    public static func load(_ paths: [String]) throws -> [KAPISpec] {
        var specs: [KAPISpec] = []
        for path in paths {
            var st = stat()
            guard stat(path, &st) == 0 else { throw AioctlError(.noInput, "spec '\(path)': \(Errno.current.name)") }
            guard (st.st_mode & S_IFMT) != S_IFDIR else { throw AioctlError(.noInput, "spec '\(path)' is a directory") }
            guard let text = SystemInfo.readFile(path) else {
                throw AioctlError(.noInput, "spec '\(path)': cannot read (\(Errno.current.name))")
            }
            do {
                specs += try KAPIParser.parse(text, file: path)
            } catch let error as KAPIParseError {
                throw AioctlError(.usage, error.description)
            }
        }
        // A later file's spec of the same syscall replaces an earlier one.
        var seen: [String: Int] = [:]
        var unique: [KAPISpec] = []
        for spec in specs {
            if let at = seen[spec.name] { unique[at] = spec } else { seen[spec.name] = unique.count; unique.append(spec) }
        }
        return unique
    }
}

extension Catalog {
    /// The situations with a claim citing this entry of this syscall's spec.
    public static func situations(citing entry: KAPIEntry, of syscall: String) -> [String] {
        all.filter { situation in
            situation.claims.contains { claim in
                claim.citations.contains { citation in
                    guard case .kapi(let s, let kind, let key, let summary) = citation else { return false }
                    return s == syscall && kind.rawValue == entry.kind.rawValue
                        && CatalogCrossCheck.sameKey(key, entry.key)
                        && (summary == nil || CatalogCrossCheck.sameKey(summary!, entry.summary ?? ""))
                }
            }
        }.map(\.id)
    }
}
