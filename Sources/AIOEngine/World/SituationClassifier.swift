import AIODocuments
import AIOKernel
import CAio
import Glibc

/// Which catalog situation a call meets: (call, arguments, world) ->
/// situation, decided from what the world model knows just before the call,
/// never from which door asked and never from how long anything took. The
/// order of the checks follows the kernel's own order of validation (fs/aio.c)
/// where the documents agree on it. nil: no documented situation is certain
/// (the call is recorded, not judged, with a remark saying why).
public enum SituationClassifier {
    /// 0x10000000 / sizeof(struct io_event): io_setup refuses a doubled
    /// nr_events above this with EINVAL.
    static let ringEventsLimit: Int64 = 0x1000_0000 / 32

    public static func setup(nr: Int64, ctxp: PointerArg, preset: UInt64) -> String {
        // get_user(ctx, ctxp) comes first: an unreadable ctxp faults there.
        if !ctxp.readable { return "io_setup.bad-ctxp" }
        // A read-only ctxp holds the preset: the value checks come before
        // the write-back, which is the only step that faults.
        let checked = setupValues(nr: nr, preset: preset)
        return checked == "io_setup.success" && ctxp == .readOnly ? "io_setup.bad-ctxp" : checked
    }

    /// io_setup's checks of *ctxp and nr_events, in the kernel's order.
    static func setupValues(nr: Int64, preset: UInt64) -> String {
        if preset != 0 { return "io_setup.ctxp-nonzero" }
        if nr < 0 { return "io_setup.nr-negative" }
        let unsigned = Int64(UInt32(truncatingIfNeeded: nr))
        if unsigned == 0 { return "io_setup.nr-zero" }
        // ioctx_alloc: max(nr, 4 per possible CPU), doubled, against the ring limit.
        if max(unsigned, 4 * KernelFacts.possibleCPUs) * 2 > ringEventsLimit { return "io_setup.nr-over-internal-limit" }
        let maxNr = AioLimits.aioMaxNr.map(Int64.init) ?? Int64.max
        let nowNr = AioLimits.aioNr.map(Int64.init) ?? 0
        if unsigned > maxNr || nowNr + unsigned > maxNr { return "io_setup.over-max-nr" }
        return "io_setup.success"
    }

    public static func destroy(live: Bool, ref: ContextRef, overlapping: Bool = false) -> String {
        if overlapping { return "io_destroy.concurrent" }
        if live { return "io_destroy.success" }
        switch ref {
        case .garbage, .unmapped, .fakeRing: return "io_destroy.garbage-handle"
        default: return "io_destroy.bad-ctx"
        }
    }

    /// A call made by a forked child on its parent's context: the child's
    /// mm has the ring's mapping but no kioctx.
    public static func forkedChild(_ syscall: AIOSyscall) -> String {
        switch syscall {
        case .io_destroy: return "io_destroy.bad-ctx"
        case .io_submit: return "io_submit.bad-ctx"
        default: return "io_cancel.bad-ctx"
        }
    }

    static let knownOpcodes: Set<UInt16> = [0, 1, 2, 3, 5, 7, 8]

    /// What io_submit meets. `slots` is what the world knows of the ring:
    /// nil when the context is not one the tool set up.
    static func submit(live: Bool, nr: Int64, items: [SubmitItem], iocbpp: PointerArg,
                       iocbs: [ScriptIocb?], slots: RingSlots?) -> (String?, remark: String?) {
        if nr < 0 { return ("io_submit.nr-negative", nil) }
        if !live { return ("io_submit.bad-ctx", nil) }
        if nr == 0 { return ("io_submit.nr-zero", nil) }
        // A read-only iocbpp holds the listed iocbs: io_submit only reads it.
        // Listed fewer than nr, the rest of its page reads as NULL pointers.
        if iocbpp != .valid && !(iocbpp == .readOnly && !items.isEmpty) { return ("io_submit.bad-address", nil) }
        if iocbpp == .readOnly && nr > Int64(items.count) && items.allSatisfy({ $0 != .null && $0 != .unmapped && $0 != .kernel }) {
            let first = iocbs.first ?? nil
            if first.map({ earlyProblem($0) == nil && iocbProblem($0) == nil }) ?? false {
                return (nil, "iocbpp in a read-only page lists \(items.count) iocb(s) and nr=\(nr): past them it reads NULL pointers; the documents only say the count before the bad one")
            }
        }
        let batch = Array(items.prefix(Int(nr)))
        for (i, item) in batch.enumerated() {
            let problem: String?
            switch item {
            case .null, .unmapped, .kernel: problem = "io_submit.bad-address"
            case .iocb, .iocbRange:
                guard let r = iocbs[i] else { problem = nil; break }
                // Checked before a ring slot is taken (io_submit_one).
                if let early = earlyProblem(r) { problem = early; break }
                if let slots, let full = slots.verdict(adding: i + 1) { return full }
                // The slot is taken, then aio_key written: a read-only iocb faults there.
                if r.readOnlyPage { problem = "io_submit.bad-address"; break }
                problem = iocbProblem(r)
            }
            guard let problem else { continue }
            if i == 0 { return (problem, nil) }
            // The catalog's claim is about exactly this shape; other batches
            // bad past their first iocb have none beyond "the count before it".
            return i == 2 && batch.count == 3 ? ("io_submit.later-iocb-bad", nil)
                : (nil, "a batch with a bad iocb after the first: the documents only say the count before it")
        }
        if let first = iocbs.first ?? nil {
            if first.decl.opcode == UInt16(CAIO_CMD_NOOP) { return ("io_submit.noop", nil) }
            if nowaitWouldBlock(first) { return ("io_submit.nowait-would-block", nil) }
        }
        return ("io_submit.success", nil)
    }

    /// io_submit_one's checks before it takes a ring slot.
    static func earlyProblem(_ r: ScriptIocb) -> String? {
        let i = r.iocb.pointee
        if i.aio_reserved2 != 0 { return "io_submit.bad-iocb" }
        if Int64(bitPattern: i.aio_nbytes) < 0 { return "io_submit.bad-iocb" }
        return nil
    }

    /// What is wrong with one iocb after its slot is taken, in the kernel's order.
    static func iocbProblem(_ r: ScriptIocb) -> String? {
        let i = r.iocb.pointee
        let fd = Int32(bitPattern: i.aio_fildes)
        if fcntl(fd, F_GETFD) < 0 { return "io_submit.bad-fd" }
        if i.aio_flags & UInt32(CAIO_FLAG_RESFD) != 0 {
            let resfd = Int32(bitPattern: i.aio_resfd)
            if fcntl(resfd, F_GETFD) < 0 { return "io_submit.bad-fd" }
            if OpenTarget.kind(of: resfd) != .eventfd { return "io_submit.resfd-not-eventfd" }
        }
        let kind = OpenTarget.kind(of: fd)
        let accessMode = fcntl(fd, F_GETFL) & O_ACCMODE
        switch i.aio_lio_opcode {
        case 0, 1, 7, 8:
            return rwProblem(r, kind: kind, accessMode: accessMode)
        case 2, 3:
            if i.aio_buf != 0 || i.aio_offset != 0 || i.aio_nbytes != 0 || i.aio_rw_flags != 0 { return "io_submit.bad-iocb" }
            // Pipes, sockets and eventfds have no ->fsync.
            if [FileKind.pipe, .fifo, .socket, .eventfd].contains(kind) { return "io_submit.op-unsupported" }
        case 5:
            if i.aio_buf & ~0xFFFF != 0 || i.aio_offset != 0 || i.aio_nbytes != 0 || i.aio_rw_flags != 0 {
                return "io_submit.bad-iocb"
            }
            // A file without ->poll answers DEFAULT_POLLMASK (IN|OUT|RDNORM|WRNORM)
            // at once; asking only for other bits leaves aio_poll no waitqueue: EINVAL.
            if [FileKind.regular, .directory].contains(kind), i.aio_buf & 0x145 == 0 { return "io_submit.poll-unsupported" }
        case 6:
            return "io_submit.noop"
        default:
            return "io_submit.bad-iocb"
        }
        return nil
    }

    /// aio_prep_rw, aio_setup_rw and rw_verify_area, in that order.
    static func rwProblem(_ r: ScriptIocb, kind: FileKind, accessMode: Int32) -> String? {
        let d = r.decl
        let i = r.iocb.pointee
        if i.aio_flags & UInt32(CAIO_FLAG_IOPRIO) != 0 {
            let cls = UInt16(bitPattern: i.aio_reqprio) >> 13
            if cls > 3 { return "io_submit.bad-ioprio" }
            if cls == 1, !KernelFacts.mayUseRealtimeIOPriority { return "io_submit.rt-priority" }
        }
        let flags = i.aio_rw_flags
        if flags & ~0x7F != 0 { return "io_submit.rw-flags-unsupported" }
        let opcode = i.aio_lio_opcode
        let isRead = opcode == 0 || opcode == 7
        // RWF_ATOMIC is for writes only (and files that support it).
        if flags & 0x40 != 0, isRead { return "io_submit.rw-flags-unsupported" }
        if flags & 0x30 == 0x30 { return "io_submit.rw-flags-conflict" }
        let isVector = opcode == 7 || opcode == 8
        let userSpaceEnd: UInt64 = 0x0000_8000_0000_0000
        // import_ubuf and import_iovec clamp a length to MAX_RW_COUNT first.
        let maxRWCount: UInt64 = 0x7FFF_F000
        if isVector {
            // More than UIO_MAXIOV iovecs: import_iovec refuses before reading them.
            if i.aio_nbytes > 1024 { return "io_submit.bad-iocb" }
            // The iovec array is copied in during io_submit.
            if case .own = d.buffer {} else { return "io_submit.bad-address" }
            if r.iovecCount == Int(i.aio_nbytes), let v = r.iovecs,
               (0..<r.iovecCount).contains(where: { v[$0].iov_len < 0 }) { return "io_submit.bad-iocb" }
        } else if i.aio_nbytes > 0 {
            if i.aio_buf >= userSpaceEnd || i.aio_buf &+ min(i.aio_nbytes, maxRWCount) > userSpaceEnd {
                return "io_submit.bad-address"
            }
            if d.buffer == .null || d.buffer == .unmapped { return "io_submit.bad-address" }
        }
        if i.aio_offset < 0, ![FileKind.pipe, .fifo, .socket].contains(kind) { return "io_submit.bad-offset" }
        let length = isVector ? 0 : Int64(min(i.aio_nbytes, maxRWCount))
        if i.aio_offset.addingReportingOverflow(length).overflow { return "io_submit.overflow" }
        if isRead, accessMode == O_WRONLY { return "io_submit.wrong-mode" }
        if !isRead, accessMode == O_RDONLY { return "io_submit.wrong-mode" }
        if kind == .directory { return "io_submit.op-unsupported" }
        return nil
    }

    /// RWF_NOWAIT on a read of a pipe, FIFO or socket with nothing to read.
    static func nowaitWouldBlock(_ r: ScriptIocb) -> Bool {
        let i = r.iocb.pointee
        guard i.aio_rw_flags & 0x8 != 0, [0, 7].contains(i.aio_lio_opcode) else { return false }
        let fd = Int32(bitPattern: i.aio_fildes)
        guard [.pipe, .fifo, .socket].contains(OpenTarget.kind(of: fd)) else { return false }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) == 0
    }

    /// What io_cancel meets. The iocb's `submitInFlight` is the happens-before
    /// fact: the cancel started while an io_submit of it had not returned.
    static func cancel(live: Bool, handle: caio_context_t, item: SubmitItem, iocb: ScriptIocb?,
                       completionInRing: Bool) -> String {
        // io_cancel reads iocb->aio_key before it looks the context up.
        guard case .iocb = item, let r = iocb else { return "io_cancel.bad-iocb" }
        if r.iocb.pointee.aio_key != 0 { return "io_cancel.key-nonzero" }
        if !live { return "io_cancel.bad-ctx" }
        if r.submitInFlight { return "io_cancel.blocked-in-submit" }
        guard let target = r.submittedTo else { return "io_cancel.never-submitted" }
        if target != handle { return "io_cancel.other-ctx" }
        if r.cancelled { return "io_cancel.cancelled-twice" }
        if r.completed || completionInRing { return "io_cancel.completed" }
        return r.isPoll ? "io_cancel.pending-poll" : "io_cancel.not-cancellable"
    }

    /// `signal`: a timer will send it into this wait (the runner re-sends it
    /// until the wait returns), a fact known before the call.
    ///
    /// The timespec, and io_pgetevents' usig and sigmask, are copied in
    /// before the context is looked up; a straddling events array
    /// (`straddle`: the writable slots) is only partly bad; a stop
    /// (SIGSTOP, then SIGCONT) interrupts without a handler.
    static func getevents(live: Bool, min: Int64, max: Int64, events: PointerArg, timeout: Timeout,
                          mask: SigmaskArg?, signal: Int32?, outcome: Outcome,
                          extras: WaitExtras = WaitExtras()) -> (String?, remark: String?) {
        if !timeout.readable { return ("io_getevents.bad-address", nil) }
        if mask != nil || extras.needsRawUsig {
            if let usig = extras.usig, usig != .null, !usig.readable { return ("io_getevents.bad-sigmask", nil) }
            let maskGiven = extras.usig != .null && mask != .null
            if maskGiven, let size = extras.sigsetsize, size != 8 {
                return (nil, "sigsetsize=\(size): no document in the catalog speaks of io_pgetevents' sigsetsize (the kernel wants 8)")
            }
            if maskGiven, mask == .unmapped { return ("io_getevents.bad-sigmask", nil) }
        }
        if !live { return ("io_getevents.bad-ctx", nil) }
        if min < 0 || max < 0 || min > max { return ("io_getevents.bad-range", nil) }
        if events != .valid { return ("io_getevents.bad-address", nil) }
        if let k = extras.straddle, max > Int64(k), outcome.errno != nil {
            return (nil, "events straddles into an unmapped page after \(k) slot(s): no document says what a partly writable array gives")
        }
        if !timeout.inRange { return ("io_getevents.bad-timeout", nil) }
        if signal == SIGSTOP, min > 0 {
            return (nil, "a stop and continue without a handler lands in this wait: the documents in the catalog describe interruption by a handler only")
        }
        return (getevents(min: min, max: max, timeout: timeout, mask: mask, signal: signal, outcome: outcome), nil)
    }

    /// The situations of a wait whose arguments all passed.
    static func getevents(min: Int64, max: Int64, timeout: Timeout, mask: SigmaskArg?, signal: Int32?,
                          outcome: Outcome) -> String? {
        if case .value(let n) = outcome, n > 0 || max == 0 { return "io_getevents.events" }
        if let signal, min > 0, timeout != .duration(0) {
            if case .signals(let blocked)? = mask, blocked.contains(signal) { return "io_getevents.signal-masked" }
            return "io_getevents.interrupted"
        }
        if case .value = outcome { return "io_getevents.timeout" }
        if outcome == .error(.interrupted) { return "io_getevents.interrupted" }
        return nil
    }
}

/// Facts about this machine's kernel that decide situations.
public enum KernelFacts {
    /// num_possible_cpus(): what ioctx_alloc sizes the ring and the per-CPU
    /// request batches by.
    public static let possibleCPUs: Int64 = {
        if let text = SystemInfo.readFile("/sys/devices/system/cpu/possible") {
            var count: Int64 = 0
            for range in text.trimmingWhitespace().split(separator: ",") {
                let ends = range.split(separator: "-").compactMap { Int64($0) }
                if ends.count == 2 { count += ends[1] - ends[0] + 1 } else if ends.count == 1 { count += 1 }
            }
            if count > 0 { return count }
        }
        return Int64(sysconf(Int32(_SC_NPROCESSORS_CONF)))
    }()

    /// Whether thread `tid` is blocked inside syscall `number`: asleep,
    /// interruptibly (S, a pipe read) or not (D, io_destroy's wait for
    /// completion), as /proc/self/task/TID/syscall and stat say.
    public static func blockedInSyscall(tid: pid_t, number: Int) -> Bool {
        guard tid > 0, let call = SystemInfo.readFile("/proc/self/task/\(tid)/syscall"),
              call.split(separator: " ").first == Substring("\(number)"),
              let status = SystemInfo.readFile("/proc/self/task/\(tid)/stat"),
              let commEnd = status.lastIndex(of: ")") else { return false }
        let state = String(status[status.index(after: commEnd)...]).trimmingWhitespace()
        return state.hasPrefix("S") || state.hasPrefix("D")
    }

    /// The numbers /proc/self/task/TID/syscall shows for the calls a
    /// happens-before fact watches.
    #if arch(x86_64)
    public static let ioDestroyNumber = 207
    public static let ioSubmitNumber = 209
    #elseif arch(arm64)
    public static let ioDestroyNumber = 1
    public static let ioSubmitNumber = 2
    #else
    // Unknown here: no thread is ever seen inside them, so no wait is judged.
    public static let ioDestroyNumber = -1
    public static let ioSubmitNumber = -1
    #endif

    /// IOPRIO_CLASS_RT needs CAP_SYS_ADMIN or CAP_SYS_NICE.
    public static var mayUseRealtimeIOPriority: Bool { Capabilities.effectiveHas(21) || Capabilities.effectiveHas(23) }
}

extension JudgedCall {
    /// Judges the call against the situation the classifier named; a
    /// situation the catalog does not describe leaves the call unjudged,
    /// with a remark naming it, rather than stopping the run.
    mutating func judge(classifiedAs situation: String) {
        guard Catalog.situation(situation) != nil else {
            record.remarks.append("situation \(situation): no document in the catalog describes it")
            return
        }
        judge(as: situation)
    }
}
