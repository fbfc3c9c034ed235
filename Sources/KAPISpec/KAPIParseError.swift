/// Why a file could not be read as KAPI specifications: the file, the line
/// (1-based; 0 when the problem is the whole file) and what is wrong there.
public struct KAPIParseError: Error, Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, _ message: String) {
        (self.file, self.line, self.message) = (file, line, message)
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
