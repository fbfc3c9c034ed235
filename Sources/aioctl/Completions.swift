import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import Glibc

/// Completions the generated shell scripts ask the binary for: targets that
/// mix keywords with `file:PATH`, bare paths and `fd:N`, and the scenario
/// names of `check --filter`.
enum Complete {
    /// A target: the keywords, `file:` and `fd:`, a path after `file:`, or a bare path.
    static func target(_ keywords: [String]) -> CompletionKind {
        .custom { words, index, prefix in
            escapedForShell(targets(keywords, words: words, index: index, prefix: prefix))
        }
    }

    /// Scenario names and syscalls, the words `check --filter` matches.
    static let scenarios = CompletionKind.custom { _, _, _ in
        let scenarios = CheckRunner.select(filter: nil)
        var seen = Set<String>()
        let syscalls = scenarios.map(\.syscall.rawValue).filter { seen.insert($0).inserted }
        return syscalls.map { $0 + "*" } + scenarios.map(\.name)
    }

    static func targets(_ keywords: [String], words: [String], index: Int, prefix: String) -> [String] {
        if prefix.hasPrefix("file:") { return paths(String(prefix.dropFirst(5))).map { "file:" + $0 } }
        if prefix.hasPrefix("fd:") { return ["fd:0", "fd:1", "fd:2"] }
        // bash splits at COMP_WORDBREAKS' ':', so "file:/et" arrives as "file", ":", "/et"
        // and only "/et" is replaced.
        if index >= 2, index < words.count + 1, words[index - 1] == ":", words[index - 2] == "file" {
            return paths(prefix)
        }
        if let first = prefix.first, "/.~".contains(first) { return paths(prefix) }
        let fixed = (keywords + ["file:", "fd:"]).filter { $0.hasPrefix(prefix) }
        return prefix.isEmpty ? fixed : fixed + paths(prefix)
    }

    /// The entries of the directory `prefix` names, directories with a
    /// trailing '/', hidden ones only when asked for with a leading '.'.
    static func paths(_ prefix: String) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let directoryPart = slash.map { String(prefix[...$0]) } ?? ""
        let base = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        var directory = directoryPart.isEmpty ? "." : directoryPart
        if directory.hasPrefix("~"), let home = getenv("HOME") {
            directory = String(cString: home) + directory.dropFirst()
        }
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var found: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            guard name != ".", name != "..", name.hasPrefix(base), !name.hasPrefix(".") || base.hasPrefix(".") else { continue }
            var st = stat()
            let isDirectory = stat(directory + "/" + name, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
            found.append(directoryPart + name + (isDirectory ? "/" : ""))
        }
        return found.sorted()
    }

    /// zsh's _describe reads "a:b" as value a, description b: a colon in a
    /// value must be escaped there (and only there).
    static func escapedForShell(_ values: [String]) -> [String] {
        guard CompletionShell.requesting == .zsh else { return values }
        return values.map { $0.replacingColons() }
    }
}

extension String {
    fileprivate func replacingColons() -> String {
        var out = ""
        for c in self {
            if c == ":" { out += "\\:" } else { out.append(c) }
        }
        return out
    }
}
