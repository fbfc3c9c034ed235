import CAio
import SystemPackage

extension Errno {
    /// The symbolic name glibc gives this value ("EINVAL"), or "E<number>"
    /// for a value glibc does not know.
    public var name: String {
        if let cName = caio_errno_name(rawValue) { return String(cString: cName) }
        return "E\(rawValue)"
    }

    /// Parses a symbolic name ("EINVAL") back into a value.
    public init?(name: String) {
        for value in 1..<Int32(4096) {
            if let cName = caio_errno_name(value), String(cString: cName) == name {
                self.init(rawValue: value)
                return
            }
        }
        return nil
    }
}
