import AIOKernel
/// The three documents whose claims aioctl shows beside the kernel's answer.
public enum Source: String, CaseIterable, Sendable {
    /// The draft Kernel API Specification (RFC v5, December 2025), machine-written, unreviewed.
    case kapi
    /// The man-pages project, section 2 (Debian's manpages-dev).
    case man2
    /// libaio's own section 3 pages (Debian's libaio-dev).
    case libaio

    public var title: String {
        switch self {
        case .kapi: return "draft Kernel API specification (RFC v5, Dec 2025)"
        case .man2: return "man-pages section 2"
        case .libaio: return "libaio section 3 pages"
        }
    }
}
