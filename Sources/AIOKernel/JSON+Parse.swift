import FoundationEssentials

/// Reading JSON back (a child process's scenario result) with FoundationEssentials'
/// JSONDecoder, which the binary links anyway through swift-argument-parser:
/// `+1`, `012` and `\x41` are refused and surrogate pairs read (a trailing
/// comma is let through, as that decoder does). Objects come back with their keys sorted, since the decoder does
/// not keep document order; readers look members up by key.
extension JSON {
    public struct ParseError: Error, CustomStringConvertible {
        /// Kept for callers; the decoder does not say where it stopped.
        public var offset: Int
        public var reason: String
        public var description: String { "invalid JSON: \(reason)" }
    }

    public static func parse(_ text: String) throws -> JSON {
        do {
            return try JSONDecoder().decode(Decoded.self, from: Data(text.utf8)).value
        } catch let error as DecodingError {
            switch error {
            case .dataCorrupted(let context): throw ParseError(offset: 0, reason: context.debugDescription)
            default: throw ParseError(offset: 0, reason: "\(error)")
            }
        }
    }

    /// Any JSON value, as the decoder hands it over.
    private struct Decoded: Decodable {
        let value: JSON

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: Decoder) throws {
            if let object = try? decoder.container(keyedBy: Key.self) {
                let keys = object.allKeys.sorted { $0.stringValue < $1.stringValue }
                value = .object(try keys.map { ($0.stringValue, try object.decode(Decoded.self, forKey: $0).value) })
                return
            }
            if var array = try? decoder.unkeyedContainer() {
                var items: [JSON] = []
                while !array.isAtEnd { items.append(try array.decode(Decoded.self).value) }
                value = .array(items)
                return
            }
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                value = .null
            } else if let b = try? single.decode(Bool.self) {
                value = .bool(b)
            } else if let i = try? single.decode(Int64.self) {
                value = .int(i)
            } else if let u = try? single.decode(UInt64.self) {
                value = .uint(u)
            } else if let d = try? single.decode(Double.self) {
                value = .double(d)
            } else {
                value = .string(try single.decode(String.self))
            }
        }
    }

    public subscript(key: String) -> JSON? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var arrayValue: [JSON]? { if case .array(let a) = self { return a }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var intValue: Int? {
        switch self {
        case .int(let i): return Int(i)
        case .uint(let u): return Int(exactly: u)
        case .double(let d): return Int(exactly: d)
        default: return nil
        }
    }
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .uint(let u): return Double(u)
        case .double(let d): return d
        default: return nil
        }
    }
}
