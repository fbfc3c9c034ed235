/// A JSON value with object keys kept in the order written, so documents
/// read the same every run and diff cleanly.
public indirect enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

    public static func integer<T: BinaryInteger>(_ v: T) -> JSON { JSON.int(Int64(v)) }
    public static func optional(_ v: String?) -> JSON { v.map { .string($0) } ?? .null }
    public static func optional<T: BinaryInteger>(_ v: T?) -> JSON { v.map { JSON.int(Int64($0)) } ?? .null }

    /// Compact when `indent` is nil, else pretty-printed with that many spaces.
    public func serialized(indent: Int? = 2) -> String {
        serialized(indent: indent, level: 0)
    }

    /// As nested `level` deep in a document (the first line not indented),
    /// for writers that stream a document piece by piece.
    public func serialized(indent: Int?, level: Int) -> String {
        var out = ""
        write(to: &out, indent: indent, level: level)
        return out
    }

    private func write(to out: inout String, indent: Int?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .uint(let u): out += String(u)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let s): JSON.escape(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                JSON.breakLine(&out, indent: indent, level: level + 1)
                item.write(to: &out, indent: indent, level: level + 1)
            }
            JSON.breakLine(&out, indent: indent, level: level)
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                JSON.breakLine(&out, indent: indent, level: level + 1)
                JSON.escape(key, into: &out)
                out += indent == nil ? ":" : ": "
                value.write(to: &out, indent: indent, level: level + 1)
            }
            JSON.breakLine(&out, indent: indent, level: level)
            out += "}"
        }
    }

    /// A newline and the indentation of `level`; nothing when compact.
    private static func breakLine(_ out: inout String, indent: Int?, level: Int) {
        guard let indent else { return }
        out += "\n"
        let width = indent * level
        out += width < spaces.count ? spaces[width] : String(repeating: " ", count: width)
    }

    /// Indentations made once: a document has a line for every value.
    private static let spaces = (0..<48).map { String(repeating: " ", count: $0) }

    private static func escape(_ s: String, into out: inout String) {
        out += "\""
        Escapes.json.append(s, to: &out)
        out += "\""
    }
}
