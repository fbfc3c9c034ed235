import AIODocuments
import AIOKernel
/// A word of a script line and the column (1-based) where it starts.
struct ScriptToken: Equatable {
    var text: String
    var column: Int
}

enum ScriptLexer {
    /// Splits a line into words: whitespace separates, `#` starts a comment,
    /// double quotes keep spaces in a word (for paths), a lone `=` is a word.
    static func tokens(of line: String, lineNumber: Int) throws -> [ScriptToken] {
        var tokens: [ScriptToken] = []
        var current = ""
        var start = 0
        var quoted = false
        var column = 0
        func flush() {
            if !current.isEmpty { tokens.append(ScriptToken(text: current, column: start)) }
            current = ""
        }
        for ch in line {
            column += 1
            if quoted {
                if ch == "\"" { quoted = false } else { current.append(ch) }
                continue
            }
            switch ch {
            case "#":
                flush()
                return tokens
            case "\"":
                if current.isEmpty { start = column }
                quoted = true
            case _ where ch.isWhitespace:
                flush()
            default:
                if current.isEmpty { start = column }
                current.append(ch)
            }
        }
        if quoted {
            throw ScriptParseError(line: lineNumber, column: start, message: "unterminated quote")
        }
        flush()
        return tokens
    }
}
