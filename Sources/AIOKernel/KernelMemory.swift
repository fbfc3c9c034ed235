/// A pointer argument the kernel reads or writes: one of ours, or one it
/// must refuse. Shared by the scenarios of `check` and the step language.
public enum PointerArg: String, Sendable, CaseIterable {
    case valid, null, unmapped
    case readOnly = "readonly"
    /// (void *)-1: a kernel address, LTP's invalid pointer.
    case allOnes = "allones"

    /// The pointer to pass: `valid` itself, NULL, or one of BadMemory's pages.
    public func resolve<T>(_ valid: UnsafeMutablePointer<T>?) -> UnsafeMutablePointer<T>? {
        switch self {
        case .valid: return valid
        case .null: return nil
        case .unmapped: return BadMemory.noAccess.assumingMemoryBound(to: T.self)
        case .readOnly: return BadMemory.readOnly.assumingMemoryBound(to: T.self)
        case .allOnes: return UnsafeMutablePointer(bitPattern: UInt.max)
        }
    }
}

/// Memory the kernel may write through (event arrays, *result, timespecs,
/// iocb arrays): zeroed, at fixed addresses, freed only by `release()`, which
/// the owner calls after destroying every context it made.
public final class KernelMemory {
    private let allocations = Locked<[UnsafeMutableRawPointer]>([])

    public init() {}

    public func keep<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = MemoryLayout<T>.stride * max(count, 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: max(MemoryLayout<T>.alignment, 16))
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        allocations.withLock { $0.append(raw) }
        return raw.assumingMemoryBound(to: T.self)
    }

    public func release() {
        allocations.withLock { list in
            for raw in list { raw.deallocate() }
            list.removeAll()
        }
    }

    // No release in deinit: an owner that cannot be sure the kernel is done
    // (a call still blocked) leaves the memory allocated on purpose.
}
