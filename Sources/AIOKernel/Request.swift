import CAio
import Glibc

/// What one iocb asks the kernel to do.
public enum RequestSpec: Sendable, CustomStringConvertible {
    case poll(events: PollEvents)
    case read(length: Int, offset: Int64, nowait: Bool)

    public static let maxReadLength = 1 << 30
    static let rwfNowait: Int32 = 0x8

    public var isPoll: Bool {
        if case .poll = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .poll(let events): return "POLL(\(events))"
        case .read(let length, let offset, let nowait):
            return "PREAD(length=\(length), offset=\(offset)\(nowait ? ", RWF_NOWAIT" : ""))"
        }
    }
}

/// An iocb and everything it points at, at addresses that never move.
///
/// The kernel writes into the iocb (aio_key), the buffer and the event's obj
/// field refers back to the iocb, so all of it lives here until the owner has
/// reaped the request's event or destroyed its context. Owners keep the
/// Request alive at least that long.
public final class Request {
    public let spec: RequestSpec
    public let iocb: IOCBPointer
    /// The one-element iocb array io_submit takes.
    public let iocbList: UnsafeMutablePointer<IOCBPointer?>
    public let buffer: UnsafeMutableRawPointer?
    public let bufferLength: Int

    /// Page alignment keeps the buffer usable for O_DIRECT targets too.
    public init(spec: RequestSpec, fd: Int32, data: UInt64) {
        self.spec = spec
        iocb = .allocate(capacity: 1)
        iocb.initialize(to: caio_iocb())
        iocbList = .allocate(capacity: 1)
        iocbList.initialize(to: iocb)
        iocb.pointee.aio_fildes = UInt32(bitPattern: fd)
        iocb.pointee.aio_data = data
        switch spec {
        case .poll(let events):
            buffer = nil
            bufferLength = 0
            iocb.pointee.aio_lio_opcode = UInt16(CAIO_CMD_POLL)
            iocb.pointee.aio_buf = UInt64(events.rawValue)
        case .read(let length, let offset, let nowait):
            // A mapping of its own with a guard page after it (GuardedMemory):
            // page-aligned for O_DIRECT, zeroed, out of the heap's reach.
            let size = min(max(length, 1), GuardedMemory.maxBytes)
            let raw = GuardedMemory.allocate(bytes: size)
            buffer = raw
            bufferLength = raw == nil ? 0 : size
            iocb.pointee.aio_lio_opcode = UInt16(CAIO_CMD_PREAD)
            iocb.pointee.aio_buf = UInt64(UInt(bitPattern: raw))
            iocb.pointee.aio_nbytes = UInt64(length)
            iocb.pointee.aio_offset = offset
            if nowait { iocb.pointee.aio_rw_flags = RequestSpec.rwfNowait }
        }
    }

    public var address: UInt64 { UInt64(UInt(bitPattern: iocb)) }
    public var data: UInt64 { iocb.pointee.aio_data }

    deinit {
        iocbList.deallocate()
        iocb.deallocate()
        GuardedMemory.free(buffer, bytes: bufferLength)
    }
}
