import Glibc

/// Colour for a terminal that wants it: only on a tty, never with NO_COLOR.
public struct TextStyle: Sendable {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    /// The style standard output should get right now.
    public static func forStandardOutput() -> TextStyle {
        let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        return TextStyle(color: isatty(1) == 1 && !noColor)
    }

    public func agree(_ text: String) -> String { paint(text, "32") }
    public func differ(_ text: String) -> String { paint(text, "31;1") }
    public func dim(_ text: String) -> String { paint(text, "2") }
    public func bold(_ text: String) -> String { paint(text, "1") }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
