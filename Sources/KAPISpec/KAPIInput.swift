/// Turns a file's text into the source lines that hold kerneldoc: a patch or
/// mail gives the file as the patch leaves it, its added ("+") and context
/// (" ") lines from the first diff on, never its removed ones, quoted-printable
/// decoded first (a spec's closing "*/" is often a context line); a source
/// file gives every line. Line numbers stay those of the file.
enum KAPIInput {
    struct Line {
        var number: Int
        var text: String
    }

    static func sourceLines(_ text: String, file: String) throws -> [Line] {
        var physical = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if physical.last == "" { physical.removeLast() }
        // A mail whose line breaks were lost is one enormous line: say so
        // instead of reporting that nothing was found.
        if physical.count <= 2, text.utf8.count > 2000 {
            throw KAPIParseError(file: file, line: 1,
                                 "\(text.utf8.count) bytes on \(physical.count) line(s): the line breaks were lost; use the original patch or mail")
        }
        var lines = physical.enumerated().map { Line(number: $0.offset + 1, text: $0.element) }
        if isQuotedPrintable(lines) { lines = decodeQuotedPrintable(lines) }
        guard isPatch(lines) else { return lines }
        var inDiff = false
        return lines.compactMap { line in
            if line.text.hasPrefix("diff --git ") || line.text.hasPrefix("@@ -") || line.text.hasPrefix("+++ ") {
                inDiff = true
                return nil
            }
            guard inDiff, line.text.hasPrefix("+") || line.text.hasPrefix(" ") else { return nil }
            return Line(number: line.number, text: String(line.text.dropFirst()))
        }
    }

    static func isPatch(_ lines: [Line]) -> Bool {
        lines.contains { $0.text.hasPrefix("diff --git ") || $0.text.hasPrefix("+++ ") || $0.text.hasPrefix("@@ -") }
    }

    /// A mail header (before the first blank line) announcing quoted-printable.
    static func isQuotedPrintable(_ lines: [Line]) -> Bool {
        for line in lines {
            if line.text.isEmpty { return false }
            let lower = line.text.lowercased()
            if lower.hasPrefix("content-transfer-encoding:") && lower.contains("quoted-printable") { return true }
        }
        return false
    }

    /// Joins soft line breaks ("=" at the end) and decodes "=XX" bytes; a
    /// joined line keeps the number of its first physical line.
    static func decodeQuotedPrintable(_ lines: [Line]) -> [Line] {
        var out: [Line] = []
        var pending: (number: Int, bytes: [UInt8])?
        for line in lines {
            var bytes = pending?.bytes ?? []
            let number = pending?.number ?? line.number
            var raw = Array(line.text.utf8)
            var soft = false
            if raw.last == UInt8(ascii: "=") { soft = true; raw.removeLast() }
            var i = 0
            while i < raw.count {
                if raw[i] == UInt8(ascii: "="), i + 2 < raw.count + 0, let value = hexByte(raw, at: i + 1) {
                    bytes.append(value)
                    i += 3
                } else {
                    bytes.append(raw[i])
                    i += 1
                }
            }
            if soft {
                pending = (number, bytes)
            } else {
                out.append(Line(number: number, text: String(decoding: bytes, as: UTF8.self)))
                pending = nil
            }
        }
        if let pending { out.append(Line(number: pending.number, text: String(decoding: pending.bytes, as: UTF8.self))) }
        return out
    }

    private static func hexByte(_ raw: [UInt8], at i: Int) -> UInt8? {
        guard i + 1 < raw.count, let high = hexDigit(raw[i]), let low = hexDigit(raw[i + 1]) else { return nil }
        return high << 4 | low
    }

    private static func hexDigit(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
