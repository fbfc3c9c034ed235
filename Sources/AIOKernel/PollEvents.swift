/// Poll bits by the names poll(2) gives them, lower-cased and without POLL.
public struct PollEvents: OptionSet, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let names: [(name: String, bit: UInt32)] = [
        ("in", 0x001), ("pri", 0x002), ("out", 0x004), ("err", 0x008), ("hup", 0x010),
        ("nval", 0x020), ("rdnorm", 0x040), ("rdband", 0x080), ("wrnorm", 0x100),
        ("wrband", 0x200), ("msg", 0x400), ("rdhup", 0x2000),
    ]

    public static let `in` = PollEvents(rawValue: 0x001)

    /// "in", "in,out", "IN|RDHUP", or a number such as 0x2001.
    public init(parsing text: String) throws {
        var bits: UInt32 = 0
        let parts = text.split(whereSeparator: { $0 == "," || $0 == "|" })
        guard !parts.isEmpty else { throw UsageError("--events needs at least one poll bit") }
        for part in parts {
            var word = part.lowercased().trimmingWhitespace()
            if word.hasPrefix("poll") { word.removeFirst(4) }
            if let entry = PollEvents.names.first(where: { $0.name == word }) {
                bits |= entry.bit
            } else if let number = PollEvents.parseNumber(word) {
                bits |= number
            } else {
                let known = PollEvents.names.map(\.name).joined(separator: ", ")
                throw UsageError("unknown poll bit '\(part)' (known: \(known), or a number)")
            }
        }
        self.init(rawValue: bits)
    }

    private static func parseNumber(_ word: String) -> UInt32? {
        if word.hasPrefix("0x") { return UInt32(word.dropFirst(2), radix: 16) }
        return UInt32(word)
    }

    /// "in|rdnorm", with any unnamed bits in hex; "0" for none.
    public var description: String {
        if rawValue == 0 { return "0" }
        var rest = rawValue
        var words: [String] = []
        for (name, bit) in PollEvents.names where rest & bit != 0 {
            words.append(name)
            rest &= ~bit
        }
        if rest != 0 { words.append(hex(rest)) }
        return words.joined(separator: "|")
    }
}
