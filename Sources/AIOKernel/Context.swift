import CAio

/// An AIO context: the handle io_setup returned, destroyed exactly once.
public final class AIOContext {
    public let handle: caio_context_t
    public let nrEvents: Int
    public let via: Via
    public private(set) var destroyRecord: CallRecord?

    /// Sets up a context; returns the call record, and the context when it succeeded.
    public static func setup(nrEvents: Int, via: Via) -> (AIOContext?, CallRecord) {
        var handle: caio_context_t = 0
        let record = AIO.setup(nrEvents: nrEvents, ctxp: &handle, via: via)
        guard case .value(0) = record.outcome, handle != 0 else { return (nil, record) }
        return (AIOContext(handle: handle, nrEvents: nrEvents, via: via), record)
    }

    init(handle: caio_context_t, nrEvents: Int, via: Via) {
        self.handle = handle
        self.nrEvents = nrEvents
        self.via = via
    }

    public var isDestroyed: Bool { destroyRecord != nil }

    /// Destroys the context once; later calls return the first call's record.
    @discardableResult
    public func destroy() -> CallRecord {
        if let destroyRecord { return destroyRecord }
        let record = AIO.destroy(handle, via: via)
        destroyRecord = record
        return record
    }

    /// The ring header the kernel maps at the handle's address.
    public var ringHeader: caio_ring? {
        guard !isDestroyed, let pointer = UnsafePointer<caio_ring>(bitPattern: UInt(handle)) else { return nil }
        return pointer.pointee
    }

    /// Completions waiting in the ring, read in user space without a syscall.
    public var completionsInRing: Int {
        guard let ring = ringHeader, ring.nr > 0 else { return 0 }
        return Int((ring.tail &+ ring.nr &- ring.head) % ring.nr)
    }

    deinit {
        // A safety net only: every path is meant to destroy explicitly and record it.
        if destroyRecord == nil { _ = AIO.destroy(handle, via: via) }
    }
}
