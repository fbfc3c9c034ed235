import AIOKernel
/// The kinds of entry a KAPI specification block holds, named as the drafts name them.
public enum KAPIEntryKind: String, CaseIterable, Sendable {
    case param, `return`, error
    case sideEffect = "side-effect"
    case stateTrans = "state-trans"
    case signal, constraint, lock, capability, notes
    case longDesc = "long-desc"
}

/// The line of a document a claim rests on, precise enough to find again
/// and to check mechanically (`aioctl spec --kapi`, the man page tests).
public enum Citation: Sendable, Hashable, CustomStringConvertible {
    /// An entry of a KAPI draft: the syscall it specifies, the entry's kind,
    /// its key (the errno of an error entry; the name of a param, lock or
    /// signal; the target of a side effect; the name of a state transition or
    /// constraint; "return", "notes", "long-desc"), and, where several error
    /// entries share an errno, the entry's summary.
    case kapi(String, KAPIEntryKind, String, summary: String? = nil)
    /// A man page: its name, its section ("2" or "3"), the heading (.SH) the
    /// claim comes from, and for ERRORS the errno named there.
    case man(String, section: String, heading: String, errno: String? = nil)

    /// libaio has no io_setup(3) or io_destroy(3): these pages document the
    /// wrappers that make those calls.
    public static let wrapperPages = ["io_queue_init": "io_setup", "io_queue_release": "io_destroy"]

    /// Which of aioctl's calls the cited text is about. man2 has no
    /// io_pgetevents page; libaio's io_getevents(3) documents both.
    public var documents: Set<AIOSyscall> {
        switch self {
        case .kapi(let syscall, _, _, _):
            return AIOSyscall(rawValue: syscall).map { [$0] } ?? []
        case .man(let page, let section, _, _):
            if let wrapped = Citation.wrapperPages[page], let call = AIOSyscall(rawValue: wrapped) { return [call] }
            if page == "io_getevents" && section == "3" { return [.io_getevents, .io_pgetevents] }
            return AIOSyscall(rawValue: page).map { [$0] } ?? []
        }
    }

    public var description: String {
        switch self {
        case .kapi(let syscall, let kind, let key, let summary):
            let what = kind == .return || kind == .notes || kind == .longDesc ? kind.rawValue : "\(kind.rawValue) \(key)"
            return "KAPI \(syscall) \(what)" + (summary.map { " \"\($0)\"" } ?? "")
        case .man(let page, let section, let heading, let errno):
            var text = "\(page)(\(section)) \(heading)" + (errno.map { " \($0)" } ?? "")
            if let wrapped = Citation.wrapperPages[page] {
                text += " (libaio's page for its \(wrapped) wrapper; there is no \(wrapped)(3))"
            }
            return text
        }
    }

    /// The document the citation points into.
    public var source: Source {
        switch self {
        case .kapi: return .kapi
        case .man(_, let section, _, _): return section == "2" ? .man2 : .libaio
        }
    }

    public var json: JSON {
        switch self {
        case .kapi(let syscall, let kind, let key, let summary):
            return .object([("document", .string("kapi")), ("syscall", .string(syscall)),
                            ("kind", .string(kind.rawValue)), ("key", .string(key)),
                            ("summary", .optional(summary))])
        case .man(let page, let section, let heading, let errno):
            return .object([("document", .string("man")), ("page", .string(page)), ("section", .string(section)),
                            ("heading", .string(heading)), ("errno", .optional(errno))])
        }
    }
}

/// A claim that holds only for some values of one of the call's arguments:
/// kapi's nr_events range makes 4194305 an EAGAIN and 8388609 an EINVAL;
/// the pages' "copied into *result" makes an unwritable result an EFAULT.
public enum ArgumentCondition: Sendable, Equatable, CustomStringConvertible {
    /// The numeric argument lies in the range.
    case within(String, ClosedRange<Int>)
    /// The pointer argument is NULL or points at memory the process cannot write.
    case unwritable(String)
    /// The pointer argument points at ordinary writable memory.
    case writable(String)

    public func holds(for args: [(name: String, value: String)]) -> Bool {
        switch self {
        case .within(let name, let range):
            guard let text = value(name, args), let number = Int(text) else { return false }
            return range.contains(number)
        case .unwritable(let name):
            guard let text = value(name, args) else { return false }
            return ArgumentCondition.isUnwritable(text)
        case .writable(let name):
            guard let text = value(name, args) else { return false }
            return !ArgumentCondition.isUnwritable(text)
        }
    }

    private func value(_ name: String, _ args: [(name: String, value: String)]) -> String? {
        args.first { $0.name == name }?.value
    }

    /// NULL, one of the pages aioctl maps without write access, or a kernel
    /// address aioctl passes ((void *)-1, BadMemory.kernelAddress).
    static func isUnwritable(_ text: String) -> Bool {
        text == "NULL" || text == "0x0"
            || text == hex(UInt(BadMemory.noAccessAddress)) || text == hex(UInt(BadMemory.readOnlyAddress))
            || text == hex(UInt(BadMemory.kernelAddress)) || text == hex(UInt.max)
    }

    public var description: String {
        switch self {
        case .within(let name, let range): return "\(name) in \(range.lowerBound)...\(range.upperBound)"
        case .unwritable(let name): return "\(name) NULL or not writable"
        case .writable(let name): return "\(name) writable"
        }
    }
}
