import Glibc

/// A pointer argument the kernel reads or writes: one of ours, or one it
/// must refuse. Shared by the scenarios of `check` and the step language.
public enum PointerArg: String, Sendable, CaseIterable {
    case valid, null, unmapped
    case readOnly = "readonly"
    /// (void *)-1: a kernel address, LTP's invalid pointer.
    case allOnes = "allones"
    /// An aligned address in the kernel's half (BadMemory.kernelAddress):
    /// access_ok refuses it before anything is read or written there.
    case kernel

    /// The pointer to pass: `valid` itself, NULL, or one of BadMemory's pages.
    public func resolve<T>(_ valid: UnsafeMutablePointer<T>?) -> UnsafeMutablePointer<T>? {
        switch self {
        case .valid: return valid
        case .null: return nil
        case .unmapped: return BadMemory.noAccess.assumingMemoryBound(to: T.self)
        case .readOnly: return BadMemory.readOnly.assumingMemoryBound(to: T.self)
        case .allOnes: return UnsafeMutablePointer(bitPattern: UInt.max)
        case .kernel: return UnsafeMutablePointer(bitPattern: UInt(BadMemory.kernelAddress))
        }
    }

    /// Whether the kernel can read what the pointer points at.
    public var readable: Bool { self == .valid || self == .readOnly }
}

/// Memory the kernel may write through (event arrays, *result, timespecs,
/// iocb arrays): zeroed, at fixed addresses, freed only by `release()`, which
/// the owner calls after destroying every context it made. Each piece is a
/// mapping of its own with a no-access page after it (GuardedMemory), so a
/// kernel write past the end faults there instead of landing in our heap.
public final class KernelMemory {
    /// Each piece, its size (-1: heap memory) and whether it is still writable.
    private let allocations = Locked<[(UnsafeMutableRawPointer, Int, Bool)]>([])

    public init() {}

    public func keep<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        // A count no memory can hold is capped: the kernel, told of more,
        // runs into the guard page and answers EFAULT.
        let (asked, overflow) = MemoryLayout<T>.stride.multipliedReportingOverflow(by: max(count, 1))
        let bytes = overflow ? GuardedMemory.maxBytes : min(asked, GuardedMemory.maxBytes)
        let raw: UnsafeMutableRawPointer
        if let mapped = GuardedMemory.allocate(bytes: bytes) {
            raw = mapped
        } else {
            // Out of mappings (vm.max_map_count) or address space: exact-size
            // memory of our own still works, only without the guard.
            raw = .allocate(byteCount: bytes, alignment: max(MemoryLayout<T>.alignment, 16))
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
            allocations.withLock { $0.append((raw, -1, true)) }
            return raw.assumingMemoryBound(to: T.self)
        }
        allocations.withLock { $0.append((raw, bytes, true)) }
        return raw.assumingMemoryBound(to: T.self)
    }

    /// `bytes` filled by `fill`, then made read-only: what the kernel reads
    /// there is the caller's value, and any write it tries faults (EFAULT).
    /// A guard page follows, as for every piece.
    public func keepReadOnly(bytes: Int, fill: (UnsafeMutableRawPointer) -> Void) -> UnsafeMutableRawPointer {
        let size = min(max(bytes, 1), GuardedMemory.maxBytes)
        guard let page = GuardedMemory.allocate(bytes: size), let length = GuardedMemory.dataLength(size) else {
            return BadMemory.readOnly
        }
        fill(page)
        mprotect(page, length, PROT_READ)
        allocations.withLock { $0.append((page, size, false)) }
        return page
    }

    /// Room for exactly `fitting` values of T at the end of a page, with the
    /// no-access guard page right after: an array that straddles into memory
    /// the kernel cannot write. The slots are filled with 0xA5 bytes so a
    /// caller can tell which ones the kernel wrote.
    public func keepStraddling<T>(_ type: T.Type, fitting: Int) -> UnsafeMutablePointer<T> {
        let page = GuardedMemory.pageSize
        let room = min(max(fitting, 0) * MemoryLayout<T>.stride, page)
        guard let base = GuardedMemory.allocate(bytes: page) else {
            return BadMemory.noAccess.assumingMemoryBound(to: T.self)
        }
        memset(base, 0xA5, page)
        allocations.withLock { $0.append((base, page, true)) }
        return (base + (page - room)).assumingMemoryBound(to: T.self)
    }

    public func release() {
        allocations.withLock { list in
            for (raw, bytes, writable) in list {
                if bytes < 0 { raw.deallocate() } else { GuardedMemory.free(raw, bytes: bytes, writable: writable) }
            }
            list.removeAll()
        }
    }

    // No release in deinit: an owner that cannot be sure the kernel is done
    // (a call still blocked) leaves the memory allocated on purpose.
}

/// Buffers the kernel writes into, each in an anonymous mapping of its own,
/// page-aligned (O_DIRECT needs that) and followed by a PROT_NONE guard page.
/// A request longer than its buffer (`len=1048576 bufsize=1`, a legitimate
/// probe) can only fill the rest of the buffer's last page, which is ours and
/// nothing else's, and then meets the guard: the kernel returns EFAULT or a
/// short count. The heap is never in reach.
public enum GuardedMemory {
    public static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    /// The largest buffer handed out: as `cancel --length` and `bufsize=` allow.
    public static let maxBytes = 1 << 30

    /// The data pages `bytes` needs, or nil past `maxBytes` (and for overflow).
    public static func dataLength(_ bytes: Int) -> Int? {
        guard bytes >= 0, bytes <= maxBytes else { return nil }
        return (max(bytes, 1) + pageSize - 1) / pageSize * pageSize
    }

    /// Freed mappings of a few pages, kept for the next allocation of the
    /// same size: `check` makes thousands, and every munmap and mprotect in a
    /// process of many threads is a TLB shootdown on every CPU (a sixth of
    /// its CPU time went there). Only writable ones come back here, and only
    /// once their owner is done with the kernel, as for munmap.
    private static let pool = Locked<[Int: [UnsafeMutableRawPointer]]>([:])
    private static let pooledLengthLimit = 16 * 4096
    private static let pooledPerLength = 64

    /// `bytes` of zeroed memory with a guard page after the last data page;
    /// nil when that is more than `maxBytes` or the mapping fails.
    public static func allocate(bytes: Int) -> UnsafeMutableRawPointer? {
        guard let length = dataLength(bytes) else { return nil }
        if length <= pooledLengthLimit, let reused = pool.withLock({ $0[length]?.popLast() }) {
            memset(reused, 0, length)
            return reused
        }
        guard let base = mmap(nil, length + pageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              base != MAP_FAILED else { return nil }
        guard mprotect(base + length, pageSize, PROT_NONE) == 0 else {
            munmap(base, length + pageSize)
            return nil
        }
        return base
    }

    /// Gives back what `allocate(bytes:)` returned for the same `bytes`.
    /// `writable: false` for memory made read-only since: it is unmapped,
    /// never handed out again.
    public static func free(_ pointer: UnsafeMutableRawPointer?, bytes: Int, writable: Bool = true) {
        guard let pointer, let length = dataLength(bytes) else { return }
        if writable, length <= pooledLengthLimit {
            let kept = pool.withLock { pool -> Bool in
                guard pool[length, default: []].count < pooledPerLength else { return false }
                pool[length, default: []].append(pointer)
                return true
            }
            if kept { return }
        }
        munmap(pointer, length + pageSize)
    }
}
