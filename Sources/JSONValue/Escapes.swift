/// The one escaping loop: quotes, backslashes and control characters written
/// as backslash sequences, so that a value shows on one line and reads back.
/// JSON, the step language's quoted paths and one-line error messages each
/// choose what they escape; the loop is this one.
public struct Escapes: Sendable {
    /// `"` and `\` get a backslash.
    public var quotes: Bool
    /// `\r` is written as such (else it goes through `other`).
    public var carriageReturn: Bool
    /// What any other control character (below U+0020, or U+007F) becomes
    /// (nil: itself). Every other scalar is always itself.
    public var other: @Sendable (Unicode.Scalar) -> String?

    public static let json = Escapes(quotes: true, carriageReturn: true) { scalar in
        guard scalar.value < 0x20 else { return nil }
        let h = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - h.count) + h
    }
    /// What the step language's lexer reads back inside a quoted string.
    public static let stepLanguage = Escapes(quotes: true, carriageReturn: false) { _ in nil }
    /// A message on one line: control characters shown, not obeyed.
    public static let oneLine = Escapes(quotes: false, carriageReturn: true) { scalar in
        scalar.value < 0x20 || scalar.value == 0x7f ? "\\x" + String(scalar.value, radix: 16) : nil
    }

    public init(quotes: Bool, carriageReturn: Bool, other: @escaping @Sendable (Unicode.Scalar) -> String?) {
        (self.quotes, self.carriageReturn, self.other) = (quotes, carriageReturn, other)
    }

    public func append(_ s: String, to out: inout String) {
        // Most strings hold nothing to escape: one pass over their UTF-8
        // decides, and they go in whole (check --format json writes 1.2 MB).
        let plain = !s.utf8.contains { byte in
            byte < 0x20 || byte == 0x7F || (quotes && (byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")))
        }
        if plain {
            out += s
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"" where quotes: out += "\\\""
            case "\\" where quotes: out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r" where carriageReturn: out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F, let replaced = other(scalar) {
                    out += replaced
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }

    public func apply(_ s: String) -> String {
        var out = ""
        append(s, to: &out)
        return out
    }
}
