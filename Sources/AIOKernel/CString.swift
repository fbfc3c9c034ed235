extension String {
    /// The text of a C buffer up to its first NUL (or its end), as UTF-8 with
    /// invalid bytes repaired: what `String(cString:)` did for arrays, which
    /// the standard library deprecates since it cannot bound the read.
    public init(nulTerminated buffer: [CChar]) {
        let end = buffer.firstIndex(of: 0) ?? buffer.endIndex
        self = String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
