import AIODocuments
import AIOKernel
/// Walks the words of one line, turning each into a typed value or an error
/// that names its line and column.
struct Cursor {
    let tokens: [ScriptToken]
    let line: Int
    let lineLength: Int
    private var index = 0

    init(tokens: [ScriptToken], line: Int, lineLength: Int) {
        self.tokens = tokens
        self.line = line
        self.lineLength = lineLength
    }

    func peek() -> ScriptToken? { index < tokens.count ? tokens[index] : nil }

    mutating func advance() { index += 1 }

    mutating func next() -> ScriptToken? {
        defer { index += 1 }
        return peek()
    }

    func error(at token: ScriptToken, _ message: String) -> ScriptParseError {
        ScriptParseError(line: line, column: token.column, message: message)
    }

    /// An error at the end of the line, where something is missing.
    func missing(_ what: String) -> ScriptParseError {
        ScriptParseError(line: line, column: lineLength + 1, message: "expected \(what)")
    }

    mutating func word(_ what: String) throws -> ScriptToken {
        guard let t = next() else { throw missing(what) }
        return t
    }

    mutating func literal(_ text: String) throws {
        guard let t = next() else { throw missing("'\(text)'") }
        guard t.text == text else { throw error(at: t, "expected '\(text)', found '\(t.text)'") }
    }

    func expectEnd() throws {
        if let t = peek() { throw error(at: t, "unexpected '\(t.text)'") }
    }

    static let reserved: Set<String> = ["0", "garbage", "unmapped", "null", "readonly", "valid", "kernel", "allones",
                                        "fakering"]

    static func validName(_ t: ScriptToken, _ c: Cursor) throws -> String {
        guard let first = t.text.first, first.isLetter || first == "_",
              t.text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }),
              !reserved.contains(t.text) else {
            throw c.error(at: t, "'\(t.text)' is not a usable name (letters, digits, _ and -; not a literal like null)")
        }
        return t.text
    }

    mutating func name(_ what: String) throws -> String {
        let t = try word(what)
        return try Cursor.validName(t, self)
    }

    /// Decimal, 0x hex, or negative decimal.
    static func number(_ text: String) -> Int64? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16).map { Int64(bitPattern: $0) } }
        if text.hasPrefix("-0x") { return Int64(text.dropFirst(3), radix: 16).map { -$0 } }
        return Int64(text)
    }

    /// Decimal up to 2^64-1, 0x hex, or a negative decimal as its two's complement.
    static func unsigned(_ text: String) -> UInt64? {
        if let v = UInt64(text) { return v }
        return number(text).map { UInt64(bitPattern: $0) }
    }

    mutating func integer(_ what: String, min: Int64, max: Int64) throws -> Int64 {
        let t = try word(what)
        guard let v = Cursor.number(t.text) else { throw error(at: t, "expected \(what), found '\(t.text)'") }
        guard v >= min, v <= max else { throw error(at: t, "\(what) \(t.text) is out of range (\(min) to \(max))") }
        return v
    }

    static func duration(_ t: ScriptToken, _ c: Cursor) throws -> UInt64 {
        do { return try DelaySpec.parseNanoseconds(t.text) } catch let e as AioctlError {
            throw c.error(at: t, e.message)
        }
    }

    mutating func duration() throws -> UInt64 {
        let t = try word("a duration (0, 250us, 10ms, 1.5s)")
        return try Cursor.duration(t, self)
    }

    static func context(_ t: ScriptToken, _ c: Cursor) throws -> ContextRef {
        switch t.text {
        case "0": return .zero
        case "garbage": return .garbage
        case "fakering": return .fakeRing
        case "unmapped": return .unmapped
        default:
            if t.text.hasPrefix("0x"), let v = number(t.text) { return .literal(UInt64(bitPattern: v)) }
            return .named(try validName(t, c))
        }
    }

    mutating func context() throws -> ContextRef {
        let t = try word("a context (a name, 0, garbage, unmapped, fakering or 0xADDRESS)")
        return try Cursor.context(t, self)
    }

    static func descriptor(_ t: ScriptToken, _ c: Cursor) throws -> DescriptorRef {
        if let n = Int32(t.text) { return .raw(n) }
        // Keep empty pieces: "." and ".." must reach validName as bad names, not trap.
        let parts = t.text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let base = ScriptToken(text: String(parts[0]), column: t.column)
        let name = try validName(base, c)
        return .named(name, end: parts.count > 1 ? String(parts[1]) : nil)
    }

    mutating func descriptor() throws -> DescriptorRef {
        let t = try word("a descriptor (p.read, p.write, s.0, e, or a number)")
        return try Cursor.descriptor(t, self)
    }

    mutating func submitItem() throws -> SubmitItem {
        let t = try word("an iocb name, null, unmapped or kernel")
        switch t.text {
        case "null": return .null
        case "unmapped": return .unmapped
        case "kernel": return .kernel
        default: return try Cursor.iocbItem(t, self)
        }
    }

    /// `name`, `name[3]`, `name[*]` or `name[2..5]`.
    static func iocbItem(_ t: ScriptToken, _ c: Cursor) throws -> SubmitItem {
        guard let open = t.text.firstIndex(of: "["), t.text.hasSuffix("]") else {
            return .iocb(try validName(t, c))
        }
        let base = try validName(ScriptToken(text: String(t.text[..<open]), column: t.column), c)
        let inside = String(t.text[t.text.index(after: open)..<t.text.index(before: t.text.endIndex)])
        if inside == "*" { return .iocbRange(base, nil) }
        if let i = Int(inside), i >= 0 { return .iocb("\(base)[\(i)]") }
        let bounds = inside.split(separator: ".", omittingEmptySubsequences: true)
        if inside.contains(".."), bounds.count == 2, let lo = Int(bounds[0]), let hi = Int(bounds[1]), lo >= 0, lo <= hi {
            return .iocbRange(base, lo...hi)
        }
        throw c.error(at: t, "'\(t.text)': an index is [N], [*] or [LOW..HIGH]")
    }

    /// `name` or `name[COUNT]` in a declaration.
    mutating func declaredName(_ what: String) throws -> (String, Int?) {
        let t = try word(what)
        guard let open = t.text.firstIndex(of: "["), t.text.hasSuffix("]") else {
            return (try Cursor.validName(t, self), nil)
        }
        let base = try Cursor.validName(ScriptToken(text: String(t.text[..<open]), column: t.column), self)
        guard let n = Int(t.text[t.text.index(after: open)..<t.text.index(before: t.text.endIndex)]), n >= 1, n <= 65536 else {
            throw error(at: t, "an iocb array takes a count from 1 to 65536, e.g. q[200]")
        }
        return (base, n)
    }

    /// The rest of the line as key=value options, each key allowed once.
    mutating func options(_ allowed: [String]) throws -> Options {
        var found: [String: ScriptToken] = [:]
        var keys: [String: ScriptToken] = [:]
        while let t = next() {
            guard let eq = t.text.firstIndex(of: "="), eq != t.text.startIndex else {
                throw error(at: t, "expected key=value (\(allowed.joined(separator: ", "))), found '\(t.text)'")
            }
            let key = String(t.text[..<eq])
            let value = String(t.text[t.text.index(after: eq)...])
            guard allowed.contains(key) else {
                throw error(at: t, "unknown option '\(key)' (\(allowed.joined(separator: ", ")))")
            }
            guard found[key] == nil else { throw error(at: t, "'\(key)' given twice") }
            guard !value.isEmpty else { throw error(at: t, "'\(key)=' needs a value") }
            found[key] = ScriptToken(text: value, column: t.column + key.count + 1)
            keys[key] = t
        }
        return Options(values: found, cursor: self)
    }

    struct Options {
        var values: [String: ScriptToken]
        let cursor: Cursor

        func raw(_ key: String) -> ScriptToken? { values[key] }

        func error(_ key: String, _ message: String) -> ScriptParseError {
            cursor.error(at: values[key] ?? cursor.tokens.last!, message)
        }

        func integer(_ key: String) throws -> Int64? {
            guard let t = values[key] else { return nil }
            guard let v = Cursor.number(t.text) else { throw cursor.error(at: t, "\(key) takes a number, found '\(t.text)'") }
            return v
        }

        func pointer(_ key: String) throws -> PointerArg? {
            guard let t = values[key] else { return nil }
            guard let p = PointerArg(rawValue: t.text) else {
                throw cursor.error(at: t, "\(key) takes \(PointerArg.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return p
        }

        func via() throws -> Via? {
            guard let t = values["via"] else { return nil }
            guard let v = Via(rawValue: t.text) else { throw cursor.error(at: t, "via takes libaio or syscall") }
            return v
        }
    }
}
