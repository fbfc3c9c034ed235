/// Reads a plain command line into `Values` without swift-argument-parser,
/// for the few command lines scripts start hundreds of times.
///
/// The parser builds a command's arguments by reflection, several times per
/// parse, and the runtime looks up conformances by scanning all 4,200 records
/// in the binary for each new generic type: 6-7 ms of CPU for one `aioctl
/// cancel`, whose own work (without the kernel's waits) takes about 2.
///
/// The reader takes only the plainest form of each option: a known name, at
/// most once, `--name value` or `--name=value` with a value that is not
/// empty and does not start with `-`, a short flag alone (`-q`), and
/// positional words that do not start with `-`. Anything else (help, `--`,
/// an unknown or repeated option, a value its setter refuses, one positional
/// too many) gives nil, and the caller hands the same words to the parser,
/// which answers or explains. So the reader never writes an error message,
/// and a line it takes means what the parser would make of it:
/// QuickReaderTests holds each table to the parser, option by option, and
/// to the command's definition, name by name.
struct QuickReader<Values>: Sendable {
    enum Setter: Sendable {
        /// Called with the name as written, so one entry can hold an
        /// exclusive set of flags (`--poll` or `--read`).
        case flag(@Sendable (inout Values, String) -> Void)
        /// False when the value does not convert: the parser will say why.
        case value(@Sendable (inout Values, String) -> Bool)
    }

    struct Option: Sendable {
        let names: [String]
        let setter: Setter

        init(_ names: String..., setter: Setter) {
            self.names = names
            self.setter = setter
        }
    }

    let options: [Option]
    /// One setter per positional word, in order.
    let positionals: [@Sendable (inout Values, String) -> Bool]

    /// The entry `name` belongs to; a linear look through twenty entries
    /// costs less than building a dictionary of them.
    private func position(of name: String) -> Int? {
        options.firstIndex { $0.names.contains(name) }
    }

    /// Every name the table knows, for the tests.
    var names: [String] { options.flatMap(\.names) }

    func read(_ words: ArraySlice<String>, into start: Values) -> Values? {
        var values = start
        var seen = [Bool](repeating: false, count: options.count)
        var positional = 0
        var next = words.startIndex
        while next < words.endIndex {
            let word = words[next]
            next += 1
            guard word.hasPrefix("-") else {
                guard positional < positionals.count, positionals[positional](&values, word) else { return nil }
                positional += 1
                continue
            }
            var name = word
            var inline: String?
            if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
                name = String(word[..<equals])
                inline = String(word[word.index(after: equals)...])
            }
            guard let position = position(of: name), !seen[position] else { return nil }
            seen[position] = true
            switch options[position].setter {
            case .flag(let set):
                guard inline == nil else { return nil }
                set(&values, name)
            case .value(let set):
                let value: String
                if let inline {
                    value = inline
                } else {
                    guard next < words.endIndex else { return nil }
                    value = words[next]
                    next += 1
                }
                guard !value.isEmpty, !value.hasPrefix("-"), set(&values, value) else { return nil }
            }
        }
        return values
    }
}

/// A setter that stores a whole-number value the way the parser converts it.
func number<Values, N: FixedWidthInteger & Sendable>(
    _ store: @escaping @Sendable (inout Values, N) -> Void
) -> QuickReader<Values>.Setter {
    .value { values, word in
        guard let n = N(word) else { return false }
        store(&values, n)
        return true
    }
}

/// A setter that stores one word of a closed set (`--via syscall`), converted
/// by init(rawValue:) as the parser converts it.
func choice<Values, C: RawRepresentable & SendableMetatype>(
    _ store: @escaping @Sendable (inout Values, C) -> Void
) -> QuickReader<Values>.Setter where C.RawValue == String {
    .value { values, word in
        guard let chosen = C(rawValue: word) else { return false }
        store(&values, chosen)
        return true
    }
}
