/// How a call reaches the kernel, which decides how failure is returned.
public enum Via: String, CaseIterable, Sendable {
    /// libaio's wrappers: failure is the negated errno, errno is untouched.
    case libaio
    /// syscall(2): failure is -1 with errno set.
    case syscall

    public var conventionSummary: String {
        switch self {
        case .libaio: return "libaio wrappers return -errno"
        case .syscall: return "syscall(2) returns -1 and sets errno"
        }
    }
}
