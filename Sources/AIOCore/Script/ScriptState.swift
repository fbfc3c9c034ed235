import CAio
import Glibc

/// A context a script set up.
final class ScriptContext {
    let name: String
    let handle: caio_context_t
    let nrEvents: Int64
    var destroyed = false
    /// Requests queued and not yet reaped: they hold ring slots.
    var outstanding = 0
    /// A valid batch was queued short (or refused with EAGAIN) and nothing
    /// has been reaped since: the ring is known to be full.
    var knownFull = false

    init(name: String, handle: caio_context_t, nrEvents: Int64) {
        self.name = name
        self.handle = handle
        self.nrEvents = nrEvents
    }
}

/// Descriptors a script made or opened, by end ("read", "write", "0", "1", or "").
final class ScriptDescriptor {
    let name: String
    let kind: DescriptorKind?
    var fds: [String: Int32]
    var closed: Set<String> = []
    var tempDirectory: String?

    init(name: String, kind: DescriptorKind?, fds: [String: Int32]) {
        self.name = name
        self.kind = kind
        self.fds = fds
    }

    func fd(_ end: String?) -> Int32? { fds[end ?? ""] }

    /// The end a byte makes the other end readable through, when there is one.
    var writeEnd: Int32? {
        switch kind {
        case .pipe?, .fifo?: return closed.contains("write") ? nil : fds["write"]
        case .socketpair?: return closed.contains("1") ? nil : fds["1"]
        case .eventfd?: return closed.contains("") ? nil : fds[""]
        default: return nil
        }
    }

    func closeAll() {
        for (end, fd) in fds where !closed.contains(end) { close(fd) }
        closed = Set(fds.keys)
        if let dir = tempDirectory {
            unlink(dir + "/fifo")
            rmdir(dir)
            tempDirectory = nil
        }
    }
}

/// An iocb a script declared, with everything it points at, at fixed
/// addresses until the session ends (after every context is destroyed).
final class ScriptIocb {
    let name: String
    let decl: IocbDecl
    let iocb: IOCBPointer
    let buffer: UnsafeMutableRawPointer?
    let bufferSize: Int
    let iovecs: UnsafeMutablePointer<iovec>?
    /// The context it was last submitted to, by handle.
    var submittedTo: caio_context_t?
    var submitInFlight = false
    var completed = false
    var cancelled = false
    /// The line of a cancel whose claims say whether this iocb's event
    /// reaches the ring: judged once a later getevents shows the event.
    var cancelAwaitingEvent: Int?

    init(name: String, decl: IocbDecl, fd: Int32, resfd: Int32?, data: UInt64) {
        self.name = name
        self.decl = decl
        iocb = .allocate(capacity: 1)
        iocb.initialize(to: caio_iocb())
        let p = iocb
        p.pointee.aio_data = decl.data ?? data
        p.pointee.aio_key = decl.key
        p.pointee.aio_rw_flags = decl.rwFlags
        p.pointee.aio_lio_opcode = decl.opcode
        p.pointee.aio_reqprio = decl.reqprio
        p.pointee.aio_fildes = UInt32(bitPattern: fd)
        p.pointee.aio_offset = decl.offset
        p.pointee.aio_reserved2 = decl.reserved2
        p.pointee.aio_flags = decl.aioFlags
        p.pointee.aio_resfd = UInt32(bitPattern: resfd ?? 0)
        let isVector = decl.opcode == UInt16(CAIO_CMD_PREADV) || decl.opcode == UInt16(CAIO_CMD_PWRITEV)
        let isPoll = decl.opcode == UInt16(CAIO_CMD_POLL)
        let length = Int(decl.length ?? (isPoll || decl.opcode == 2 || decl.opcode == 3 || decl.opcode == 6 ? 0 : 4096))
        var ownBuffer: UnsafeMutableRawPointer?
        var ownSize = 0
        var address: UInt64 = 0
        switch decl.buffer {
        case .own(let size):
            // At most 1 GiB, in a mapping with a guard page after it: a
            // longer len makes the kernel meet the guard (EFAULT or a short
            // count), never our heap.
            ownSize = min(max(size ?? length, 1), GuardedMemory.maxBytes)
            if !isPoll, let b = GuardedMemory.allocate(bytes: ownSize) {
                ownBuffer = b
                // 'A's for the first MiB of data a write sends; the rest stays
                // the mapping's zero pages, which cost nothing until touched
                // (a full 1 GiB fill took seconds and outlived --timeout).
                memset(b, 0x41, min(ownSize, 1 << 20))
                address = UInt64(UInt(bitPattern: b))
            } else {
                ownSize = 0
            }
        case .null: address = 0
        case .unmapped: address = BadMemory.noAccessAddress
        case .readOnly: address = BadMemory.readOnlyAddress
        case .value(let v): address = v
        }
        buffer = ownBuffer
        bufferSize = ownSize
        if isVector, case .own = decl.buffer, let b = ownBuffer {
            // The length spread over iovcnt iovecs; aio_buf and aio_nbytes name the array.
            let count = decl.iovecs
            let vectors = UnsafeMutablePointer<iovec>.allocate(capacity: count)
            let piece = length / count
            for i in 0..<count {
                let size = i == count - 1 ? length - piece * (count - 1) : piece
                // Every base inside our buffer: a length past it meets the guard page.
                vectors[i] = iovec(iov_base: b + min(i * piece, ownSize), iov_len: size)
            }
            iovecs = vectors
            p.pointee.aio_buf = UInt64(UInt(bitPattern: vectors))
            p.pointee.aio_nbytes = UInt64(count)
        } else {
            iovecs = nil
            p.pointee.aio_buf = isPoll ? UInt64(decl.pollEvents ?? 1) : address
            p.pointee.aio_nbytes = isPoll ? (decl.length ?? 0) : UInt64(length)
        }
        if isPoll, case .value(let v) = decl.buffer { p.pointee.aio_buf = v }
    }

    var address: UInt64 { UInt64(UInt(bitPattern: iocb)) }
    var isPoll: Bool { decl.opcode == UInt16(CAIO_CMD_POLL) }

    deinit {
        iocb.deallocate()
        iovecs?.deallocate()
        GuardedMemory.free(buffer, bytes: bufferSize)
    }
}
