import CAio
import Glibc

/// Which catalog situation a script's call meets, decided from what the
/// session knows just before the call. The order of the checks follows the
/// kernel's own order of validation where the documents agree on it.
enum ScriptSituations {
    static let internalLimit: Int64 = 0x1000_0000 / 32

    static func setup(nr: Int64, ctxp: PointerArg, preset: UInt64) -> String {
        if ctxp != .valid { return "io_setup.bad-ctxp" }
        if preset != 0 { return "io_setup.ctxp-nonzero" }
        if nr < 0 { return "io_setup.nr-negative" }
        // The kernel reads nr_events as unsigned: a negative one is huge.
        let asUnsigned = Int64(UInt32(truncatingIfNeeded: nr))
        if asUnsigned == 0 { return "io_setup.nr-zero" }
        if asUnsigned > internalLimit { return "io_setup.nr-over-internal-limit" }
        let maxNr = SystemInfo.readNumber("/proc/sys/fs/aio-max-nr").map(Int64.init) ?? Int64.max
        let nowNr = SystemInfo.readNumber("/proc/sys/fs/aio-nr").map(Int64.init) ?? 0
        if asUnsigned > maxNr || nowNr + asUnsigned > maxNr { return "io_setup.over-max-nr" }
        return "io_setup.success"
    }

    static func destroy(live: Bool, ref: ContextRef) -> String {
        if live { return "io_destroy.success" }
        switch ref {
        case .garbage, .unmapped: return "io_destroy.garbage-handle"
        default: return "io_destroy.bad-ctx"
        }
    }

    static let knownOpcodes: Set<UInt16> = [0, 1, 2, 3, 5, 6, 7, 8]

    /// nil when the batch is only bad after its first iocb: no document
    /// states that case beyond "the count before the bad one".
    static func submit(live: Bool, nr: Int64, items: [SubmitItem], iocbpp: PointerArg,
                       iocbs: [ScriptIocb?]) -> String? {
        if !live { return "io_submit.bad-ctx" }
        if nr < 0 { return "io_submit.nr-negative" }
        if nr == 0 { return "io_submit.nr-zero" }
        if iocbpp != .valid { return "io_submit.bad-address" }
        let batch = Array(items.prefix(Int(nr)))
        for (i, item) in batch.enumerated() {
            let problem: String?
            switch item {
            case .null, .unmapped: problem = "io_submit.bad-address"
            case .iocb, .iocbRange: problem = iocbs[i].flatMap(iocbProblem)
            }
            guard let problem else { continue }
            if i == 0 { return problem }
            // The catalog's claim is about exactly this shape; other batches
            // bad past their first iocb have none beyond "the count before it".
            return i == 2 && batch.count == 3 ? "io_submit.later-iocb-bad" : nil
        }
        if let first = iocbs.first ?? nil {
            if first.decl.opcode == UInt16(CAIO_CMD_NOOP) { return "io_submit.noop" }
            if nowaitWouldBlock(first) { return "io_submit.nowait-would-block" }
        }
        return "io_submit.success"
    }

    /// What is wrong with one iocb, in the order the kernel checks.
    static func iocbProblem(_ r: ScriptIocb) -> String? {
        let d = r.decl
        let i = r.iocb.pointee
        if d.reserved2 != 0 { return "io_submit.bad-iocb" }
        let fd = Int32(bitPattern: i.aio_fildes)
        if d.aioFlags & UInt32(CAIO_FLAG_RESFD) != 0 {
            let resfd = Int32(bitPattern: i.aio_resfd)
            if fcntl(resfd, F_GETFD) < 0 { return "io_submit.bad-fd" }
            if OpenTarget.kind(of: resfd) != .eventfd { return "io_submit.resfd-not-eventfd" }
        }
        if fcntl(fd, F_GETFD) < 0 { return "io_submit.bad-fd" }
        if !knownOpcodes.contains(d.opcode) { return "io_submit.bad-iocb" }
        if d.aioFlags & UInt32(CAIO_FLAG_IOPRIO) != 0, (UInt16(bitPattern: d.reqprio) >> 13) > 3 { return "io_submit.bad-ioprio" }
        let accessMode = fcntl(fd, F_GETFL) & O_ACCMODE
        switch d.opcode {
        case 5:
            if i.aio_offset != 0 || i.aio_nbytes != 0 || i.aio_rw_flags != 0 || i.aio_buf & ~0xFFFF != 0 {
                return "io_submit.bad-iocb"
            }
        case 0, 7:
            if accessMode == O_WRONLY { return "io_submit.wrong-mode" }
            if OpenTarget.kind(of: fd) == .directory { return "io_submit.op-unsupported" }
        case 1, 8:
            if accessMode == O_RDONLY { return "io_submit.wrong-mode" }
        default: break
        }
        if [0, 1].contains(d.opcode), i.aio_nbytes > 0, d.buffer == .null || d.buffer == .unmapped {
            return "io_submit.bad-address"
        }
        if i.aio_rw_flags & ~0x7F != 0 { return "io_submit.rw-flags-unsupported" }
        return nil
    }

    /// RWF_NOWAIT on a read of a pipe, FIFO or socket with nothing to read.
    static func nowaitWouldBlock(_ r: ScriptIocb) -> Bool {
        let i = r.iocb.pointee
        guard i.aio_rw_flags & 0x8 != 0, [0, 7].contains(r.decl.opcode) else { return false }
        let fd = Int32(bitPattern: i.aio_fildes)
        guard [.pipe, .fifo, .socket].contains(OpenTarget.kind(of: fd)) else { return false }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) == 0
    }

    static func cancel(live: Bool, handle: caio_context_t, item: SubmitItem, iocb: ScriptIocb?,
                       completionInRing: Bool) -> String {
        if !live { return "io_cancel.bad-ctx" }
        guard case .iocb = item, let r = iocb else { return "io_cancel.bad-iocb" }
        if r.iocb.pointee.aio_key != 0 { return "io_cancel.key-nonzero" }
        if r.submitInFlight { return "io_cancel.blocked-in-submit" }
        guard let target = r.submittedTo else { return "io_cancel.never-submitted" }
        if target != handle { return "io_cancel.other-ctx" }
        if r.cancelled { return "io_cancel.cancelled-twice" }
        if r.completed || completionInRing { return "io_cancel.completed" }
        return r.isPoll ? "io_cancel.pending-poll" : "io_cancel.not-cancellable"
    }

    static func getevents(live: Bool, min: Int64, max: Int64, events: PointerArg, timeout: Timeout,
                          outcome: Outcome) -> String? {
        if !live { return "io_getevents.bad-ctx" }
        if min < 0 || max < 0 || min > max { return "io_getevents.bad-range" }
        if events != .valid || timeout == .unmapped { return "io_getevents.bad-address" }
        if timeout == .outOfRange { return "io_getevents.bad-timeout" }
        if outcome == .error(.interrupted) { return "io_getevents.interrupted" }
        if case .value(let n) = outcome { return n > 0 ? "io_getevents.events" : "io_getevents.timeout" }
        return nil
    }
}
