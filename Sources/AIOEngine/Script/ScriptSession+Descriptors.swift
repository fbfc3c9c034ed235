import AIODocuments
import AIOKernel
import CAio
import Glibc
import SystemPackage

extension ScriptSession {
    func makeDescriptor(_ kind: DescriptorKind, name: String, line: Int) throws -> ScriptDescriptor {
        var fds: [Int32] = [0, 0]
        switch kind {
        case .pipe:
            guard caio_pipe2(&fds, O_CLOEXEC) == 0 else { throw fail(line, "pipe2: \(Errno.current.name)") }
            return ScriptDescriptor(name: name, kind: kind, fds: ["read": fds[0], "write": fds[1]])
        case .socketpair:
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
                throw fail(line, "socketpair: \(Errno.current.name)")
            }
            return ScriptDescriptor(name: name, kind: kind, fds: ["0": fds[0], "1": fds[1]])
        case .eventfd:
            let fd = caio_eventfd(0, Int32(O_CLOEXEC))
            guard fd >= 0 else { throw fail(line, "eventfd: \(Errno.current.name)") }
            return ScriptDescriptor(name: name, kind: kind, fds: ["": fd])
        case .fifo:
            // OpenTarget makes and opens a FIFO without blocking on the missing peer.
            do {
                let (dir, r, w) = try OpenTarget.makeFifo()
                let d = ScriptDescriptor(name: name, kind: kind, fds: ["read": r, "write": w])
                d.tempDirectory = dir
                return d
            } catch let e as AioctlError {
                throw fail(line, e.message)
            }
        case .tmpfile:
            return try makeScratchFile(name: name, line: line)
        }
    }

    func openFlags(_ flags: [OpenFlag]) -> Int32 {
        var mode = O_RDONLY
        var extra = O_CLOEXEC
        for f in flags {
            switch f {
            case .rdonly: mode = O_RDONLY
            case .wronly: mode = O_WRONLY
            case .rdwr: mode = O_RDWR
            case .direct: extra |= 0o40000  // O_DIRECT, hidden by glibc without _GNU_SOURCE
            case .nonblock: extra |= O_NONBLOCK
            case .create: extra |= O_CREAT
            case .append: extra |= O_APPEND
            case .sync: extra |= O_SYNC
            }
        }
        return mode | extra
    }

    /// The descriptor number a reference names; raw numbers pass through.
    func resolve(_ ref: DescriptorRef, line: Int) throws -> (ScriptDescriptor?, Int32) {
        if let n = ref.number { return (nil, n) }
        guard let name = ref.name, let d = lock.withLock({ _ in descriptors[name] }) else {
            throw fail(line, "no descriptor named '\(ref)'")
        }
        guard let fd = d.fd(ref.end) else { throw fail(line, "'\(d.name)' has no end '\(ref.end ?? "")'") }
        // A closed end's number is passed on as it is: the kernel's EBADF is worth seeing.
        return (d, fd)
    }

    func writeBytes(_ fd: Int32, _ count: Int, eventfd: Bool) -> String {
        if eventfd {
            var value = UInt64(count)
            let n = write(fd, &value, 8)
            return n == 8 ? "added \(count) to the eventfd counter" : "write: \(Errno.current.name)"
        }
        // Never block the script on a full pipe or socket: write what fits,
        // waiting for room no later than --timeout, and say how much went.
        let bytes = [UInt8](repeating: 0x2A, count: max(count, 0))
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
        defer { if flags >= 0 { _ = fcntl(fd, F_SETFL, flags) } }
        var written = 0
        while written < count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, count - written) }
            if n > 0 { written += n; continue }
            let error = Errno.current
            guard n < 0, error == .resourceTemporarilyUnavailable else {
                return "write to fd \(fd): \(error.name)" + (written > 0 ? " after \(written) byte(s)" : "")
            }
            let left = Monotonic.remaining(until: deadline)
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            if timedOut || left == 0 || poll(&p, 1, Int32(min(left / 1_000_000, 1000))) < 0 { break }
        }
        return written == count ? "wrote \(written) byte(s) to fd \(fd)"
            : "wrote \(written) of \(count) byte(s) to fd \(fd): no room left before --timeout"
    }

    func readBytes(_ fd: Int32, _ count: Int, eventfd: Bool) -> String {
        // Never block the script on an empty descriptor: peek with poll first.
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) == 1 else { return "fd \(fd) has nothing to read (not read, to avoid blocking)" }
        var buffer = [UInt8](repeating: 0, count: max(count, 8))
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, eventfd ? 8 : count) }
        guard n >= 0 else { return "read fd \(fd): \(Errno.current.name)" }
        if eventfd, n == 8 {
            let value = buffer.withUnsafeBytes { $0.load(as: UInt64.self) }
            return "read the eventfd counter: \(value)"
        }
        return "read \(n) byte(s) from fd \(fd)"
    }

    func show(_ what: ShowTarget, line: Int) throws -> [String] {
        switch what {
        case .iocb(let name):
            guard let r = lock.withLock({ _ in iocbs[name] }) else { throw fail(line, "no iocb named '\(name)'") }
            let i = r.iocb.pointee
            return [
                "iocb \(name) at \(hex(r.address)) (64 bytes, kernel layout):",
                "  +0  aio_data       \(hex(i.aio_data))",
                "  +8  aio_key        \(i.aio_key)   (io_submit writes 0, KIOCB_KEY)",
                "  +12 aio_rw_flags   \(hex(UInt32(bitPattern: i.aio_rw_flags)))",
                "  +16 aio_lio_opcode \(i.aio_lio_opcode) (\(r.decl.opcodeName))",
                "  +18 aio_reqprio    \(i.aio_reqprio) (class \(UInt16(bitPattern: i.aio_reqprio) >> 13), level \(UInt16(bitPattern: i.aio_reqprio) & 0x1fff))",
                "  +20 aio_fildes     \(Int32(bitPattern: i.aio_fildes))",
                "  +24 aio_buf        \(hex(i.aio_buf))" + (r.isPoll ? " (poll events \(PollEvents(rawValue: UInt32(truncatingIfNeeded: i.aio_buf))))" : ""),
                "  +32 aio_nbytes     \(i.aio_nbytes)",
                "  +40 aio_offset     \(i.aio_offset)",
                "  +48 aio_reserved2  \(i.aio_reserved2)",
                "  +56 aio_flags      \(hex(i.aio_flags))",
                "  +60 aio_resfd      \(i.aio_resfd)",
                "  state: " + (r.submitInFlight ? "io_submit in progress" : r.submittedTo == nil ? "not submitted"
                               : r.completed ? "completed" : r.cancelled ? "cancel requested" : "submitted, no event yet"),
            ]
        case .ring(let ref):
            let handle = try contextHandle(ref, line: line)
            guard case .named(let n) = ref else { return ["not reading a ring at \(hex(handle)): it is not a context aioctl made"] }
            // Read under the lock a destroy marks the context under first.
            let header = lock.withLock { _ in
                isLiveLocked(ref) ? UnsafePointer<caio_ring>(bitPattern: UInt(handle))?.pointee : nil
            }
            guard let ring = header else { return ["context \(n) is destroyed; its ring is unmapped"] }
            let pending = ring.nr > 0 ? (ring.tail &+ ring.nr &- ring.head) % ring.nr : 0
            return [
                "ring at \(hex(handle)) (the context handle is its address):",
                "  id \(ring.id)  nr \(ring.nr)  head \(ring.head)  tail \(ring.tail)  (\(pending) event(s) waiting)",
                "  magic \(hex(ring.magic))  compat_features \(ring.compat_features)  incompat_features \(ring.incompat_features)  header_length \(ring.header_length)",
            ]
        case .timeout:
            return showTimeout()
        case .handles:
            return lock.withLock { _ in
                contexts.values.sorted { $0.name < $1.name }.map { "context \($0.name) = \(hex($0.handle))" + ($0.destroyed ? " (destroyed)" : "") }
                + descriptors.values.sorted { $0.name < $1.name }.map { d in
                    "descriptor \(d.name): " + d.fds.sorted { $0.key < $1.key }.map { ($0.key.isEmpty ? "" : $0.key + "=") + "\($0.value)" + (d.closed.contains($0.key) ? " (closed)" : "") }.joined(separator: ", ")
                }
                + iocbs.values.sorted { $0.name < $1.name }.map { "iocb \($0.name) at \(hex($0.address)): \($0.decl.opcodeName)" }
            }
        }
    }
}
