import AIODocuments
import AIOKernel
import CAio
import Glibc

/// The world model the runner keeps from what the kernel did: the contexts,
/// descriptors and iocbs of one session. The classifier reads it; the
/// runner updates it after each call, under the session's lock.

/// A context a script set up.
final class ScriptContext {
    let name: String
    let handle: caio_context_t
    let nrEvents: Int64
    /// The ring's own `nr`, read from its header at setup: the kernel's slot count.
    let ringNr: Int
    /// Set under the session lock before io_destroy starts: from then on
    /// nothing reads the ring in user space (it may be unmapped any moment).
    var destroyed = false
    /// io_destroy calls on this context that have started and not returned.
    var destroysInFlight = 0
    /// The thread making the io_destroy, so a release can ask the kernel
    /// whether it still sleeps inside the call.
    var destroyer: pid_t = 0
    /// io_destroy calls on this context that have returned: `await` stops
    /// waiting for one to sleep once it is over.
    var destroysReturned = 0
    /// Set by a write that freed a request of this context while its
    /// io_destroy still slept in the kernel: the requests it freed.
    var destroySleptThroughRelease: [String] = []
    /// Requests queued and not yet reaped: they hold ring slots.
    var outstanding = 0

    init(name: String, handle: caio_context_t, nrEvents: Int64, ringNr: Int) {
        self.name = name
        self.handle = handle
        self.nrEvents = nrEvents
        self.ringNr = ringNr
    }

    var slots: RingSlots? { ringNr > 1 ? RingSlots(ringNr: ringNr, outstanding: outstanding) : nil }
}

/// How many requests a ring takes, as the kernel counts: reqs_available
/// starts at nr - 1 and moves to per-CPU caches req_batch at a time, so one
/// CPU can hold at most floor((nr - 1) / batch) * batch in flight, and slots
/// cached on other CPUs (up to 2 * batch - 1 each) may be out of reach.
struct RingSlots {
    let ringNr: Int
    let outstanding: Int

    var batch: Int { max(1, (ringNr - 1) / Int(KernelFacts.possibleCPUs * 4)) }
    var inFlightMax: Int { ((ringNr - 1) / batch) * batch }
    var certainRoom: Int { max(0, inFlightMax - Int(KernelFacts.possibleCPUs - 1) * (2 * batch - 1)) }

    /// nil when the k-th iocb of a batch certainly gets a slot; otherwise the
    /// situation (a full ring for the first) or why none is certain.
    func verdict(adding k: Int) -> (String?, remark: String?)? {
        let total = outstanding + k
        if total <= certainRoom { return nil }
        if total > inFlightMax {
            if k == 1 { return ("io_submit.ring-full", nil) }
            return (nil, "\(outstanding) of at most \(inFlightMax) in flight: only \(k - 1) of the batch can get a slot; the documents only say the count queued")
        }
        return (nil, "\(outstanding) in flight of \(inFlightMax) (\(certainRoom) certain): whether this batch gets its slots depends on which CPUs earlier calls ran on")
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
        case .tmpfile?: return nil
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
    let iovecBytes: Int
    /// `page=readonly`: the iocb sits in a guarded mapping the kernel can read
    /// but not write (io_submit's write of aio_key faults).
    let readOnlyPage: Bool
    /// The context it was last submitted to, by handle.
    var submittedTo: caio_context_t?
    var submitInFlight = false
    /// The context of that io_submit, while it is in flight.
    var submitTarget: caio_context_t = 0
    /// The thread making that io_submit, so `await` can ask the kernel
    /// whether it sleeps inside the call (/proc/self/task/TID/syscall).
    var submitter: pid_t = 0
    /// io_submit calls naming this iocb that have returned.
    var submitsReturned = 0
    var completed = false
    var cancelled = false
    /// The line of a cancel whose claims say whether this iocb's event
    /// reaches the ring: judged once a later getevents shows the event.
    var cancelAwaitingEvent: Int?

    init(name: String, decl: IocbDecl, fd: Int32, resfd: Int32?, data: UInt64) {
        self.name = name
        self.decl = decl
        // Filled here, then (page=readonly) write-protected at the end of init.
        if decl.page == .readOnly, let page = GuardedMemory.allocate(bytes: MemoryLayout<caio_iocb>.size) {
            iocb = page.bindMemory(to: caio_iocb.self, capacity: 1)
            readOnlyPage = true
        } else {
            iocb = .allocate(capacity: 1)
            readOnlyPage = false
        }
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
        let nbytes = decl.length ?? (isPoll || decl.opcode == 2 || decl.opcode == 3 || decl.opcode == 6 ? 0 : 4096)
        // A length past what aioctl maps (up to 2^64-1) gets one page and its
        // guard: the kernel refuses it, or meets the guard; nothing of that
        // size is ever allocated.
        let length = nbytes > UInt64(GuardedMemory.maxBytes) ? GuardedMemory.pageSize : Int(nbytes)
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
            // The array in a guarded mapping of its own: read past its end,
            // the kernel meets the guard page, not the heap.
            let count = decl.iovecs
            let bytes = count * MemoryLayout<iovec>.stride
            let vectors = GuardedMemory.allocate(bytes: bytes).map { $0.bindMemory(to: iovec.self, capacity: count) }
                ?? UnsafeMutablePointer<iovec>.allocate(capacity: count)
            iovecBytes = GuardedMemory.dataLength(bytes) == nil ? -1 : bytes
            let piece = nbytes / UInt64(count)
            let inBuffer = length / count
            for i in 0..<count {
                let size = i == count - 1 ? nbytes &- piece &* UInt64(count - 1) : piece
                // Every base inside our buffer: a length past it meets the guard page.
                vectors[i] = iovec(iov_base: b + min(i * inBuffer, ownSize), iov_len: Int(truncatingIfNeeded: size))
            }
            iovecs = vectors
            p.pointee.aio_buf = UInt64(UInt(bitPattern: vectors))
            p.pointee.aio_nbytes = UInt64(count)
        } else {
            iovecs = nil
            iovecBytes = 0
            p.pointee.aio_buf = isPoll ? UInt64(decl.pollEvents ?? 1) : address
            p.pointee.aio_nbytes = nbytes
        }
        if isPoll, case .value(let v) = decl.buffer { p.pointee.aio_buf = v }
        if readOnlyPage { mprotect(UnsafeMutableRawPointer(iocb), GuardedMemory.pageSize, PROT_READ) }
    }

    /// Writes one field in place (`set`); false for an iocb in a read-only page.
    func set(_ field: IocbField, _ v: UInt64) -> Bool {
        guard !readOnlyPage else { return false }
        let p = iocb
        switch field {
        case .data: p.pointee.aio_data = v
        case .key: p.pointee.aio_key = UInt32(truncatingIfNeeded: v)
        case .rwflags: p.pointee.aio_rw_flags = Int32(truncatingIfNeeded: v)
        case .opcode: p.pointee.aio_lio_opcode = UInt16(truncatingIfNeeded: v)
        case .reqprio: p.pointee.aio_reqprio = Int16(truncatingIfNeeded: v)
        case .fd: p.pointee.aio_fildes = UInt32(truncatingIfNeeded: v)
        case .buf: p.pointee.aio_buf = v
        case .len: p.pointee.aio_nbytes = v
        case .off: p.pointee.aio_offset = Int64(bitPattern: v)
        case .reserved2: p.pointee.aio_reserved2 = v
        case .flags: p.pointee.aio_flags = UInt32(truncatingIfNeeded: v)
        case .resfd: p.pointee.aio_resfd = UInt32(truncatingIfNeeded: v)
        }
        return true
    }

    var address: UInt64 { UInt64(UInt(bitPattern: iocb)) }
    /// How many iovecs aioctl made (preadv/pwritev with a buffer of its own).
    var iovecCount: Int { iovecs == nil ? 0 : decl.iovecs }
    var isPoll: Bool { decl.opcode == UInt16(CAIO_CMD_POLL) }

    deinit {
        if readOnlyPage { GuardedMemory.free(UnsafeMutableRawPointer(iocb), bytes: MemoryLayout<caio_iocb>.size, writable: false) } else { iocb.deallocate() }
        if iovecBytes < 0 { iovecs?.deallocate() } else { GuardedMemory.free(iovecs.map(UnsafeMutableRawPointer.init), bytes: iovecBytes) }
        GuardedMemory.free(buffer, bytes: bufferSize)
    }
}
