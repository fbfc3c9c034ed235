import AIODocuments
import AIOKernel
import CAio
import Glibc
import SystemPackage

/// The statements that exist so a `check` scenario is an ordinary script:
/// scratch files, waiting for timers, reaping, a call from a forked child,
/// and aio-nr readings that become a setup's observations.
extension ScriptSession {
    /// A scratch file of `size` bytes in $TMPDIR (or /tmp): written, read
    /// back so its pages are cached, opened read-only and write-only, and
    /// unlinked at once so nothing is left behind whatever happens next.
    func makeScratchFile(name: String, size: Int = 4096, line: Int) throws -> ScriptDescriptor {
        let dir = ProcessEnvironment.tmpdir
        var template = Array((dir + "/aioctl-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw fail(line, "cannot make a scratch file in \(dir): \(Errno.current.name)") }
        // The path's own bytes, not a String: $TMPDIR need not be UTF-8.
        defer { unlink(template) }
        let bytes = [UInt8](repeating: 0x41, count: size)
        let wrote = bytes.withUnsafeBytes { write(fd, $0.baseAddress, size) }
        var back = [UInt8](repeating: 0, count: size)
        _ = back.withUnsafeMutableBytes { pread(fd, $0.baseAddress, size, 0) }
        close(fd)
        guard wrote == size else { throw fail(line, "cannot fill a scratch file in \(dir): \(Errno.current.name)") }
        let r = open(template, O_RDONLY | O_CLOEXEC)
        let w = open(template, O_WRONLY | O_CLOEXEC)
        guard r >= 0, w >= 0 else {
            let e = Errno.current.name
            if r >= 0 { close(r) }
            if w >= 0 { close(w) }
            throw fail(line, "cannot open the scratch file: \(e)")
        }
        return ScriptDescriptor(name: name, kind: .tmpfile, fds: ["read": r, "write": w])
    }

    /// `wait`: joins every timer within the bound; past it, frees every read
    /// a byte can free (as --timeout does) and waits once more.
    func waitForTimers(within bound: UInt64, into record: inout ScriptStepRecord) {
        let until = min(Monotonic.now() + bound, deadline)
        while lock.withLock({ _ in pendingTimers }) > 0 && Monotonic.now() < until {
            Monotonic.sleep(until: min(Monotonic.now() + 200_000, until))
        }
        if lock.withLock({ _ in pendingTimers }) > 0 {
            record.messages.append("a timer's call was still running after \(formatDuration(bound)); aioctl wrote to every descriptor that can free a read")
            unblockReads()
            let second = Monotonic.now() + 1_000_000_000
            while lock.withLock({ _ in pendingTimers }) > 0 && Monotonic.now() < second {
                Monotonic.sleep(until: Monotonic.now() + 1_000_000)
            }
        }
    }

    /// `reap`: io_getevents until `count` events, no more than are
    /// outstanding, have come or the bound passed. Each call is recorded
    /// and judged like any getevents.
    func reap(_ ref: ContextRef, count: Int64, within: UInt64, via: Via, line: Int,
              into record: inout ScriptStepRecord) throws {
        let outstanding = contextState(ref).map { c in lock.withLock { _ in c.outstanding } } ?? 0
        let wanted = Int(min(count, Int64(outstanding)))
        guard wanted > 0 else {
            record.messages.append("nothing outstanding to reap")
            return
        }
        let until = min(Monotonic.now() + within, deadline)
        var got = 0
        repeat {
            let now = Monotonic.now()
            try getevents(ref, min: Int64(wanted - got), max: 64, timeout: .duration(until > now ? until - now : 0),
                          events: .valid, mask: nil, via: via, line: line, into: &record)
            guard let last = record.calls.last, case .value(let n) = last.outcome, n > 0 else { break }
            got += n
        } while got < wanted && Monotonic.now() < until
    }

    /// `fork STMT`: a destroy, a one-iocb submit or a cancel made by a forked
    /// child on this process's context. The child's mm has no context (fork
    /// copies the ring's mapping, not the kioctx), so the classifier treats
    /// the handle as not live.
    func forked(_ statement: Statement, line: Int, into record: inout ScriptStepRecord) throws {
        let op: Int32
        let syscall: AIOSyscall
        let ref: ContextRef
        var iocb: ScriptIocb?
        var stepVia = via
        switch statement {
        case .destroy(let ctx, let v):
            (op, syscall, ref) = (Int32(CAIO_CHILD_DESTROY), .io_destroy, ctx)
            stepVia = v ?? via
        case .submit(let ctx, let items, _, _, let v):
            (op, syscall, ref) = (Int32(CAIO_CHILD_SUBMIT), .io_submit, ctx)
            iocb = try namedIocb(items.first, line: line)
            stepVia = v ?? via
        case .cancel(let ctx, let item, _, let v):
            (op, syscall, ref) = (Int32(CAIO_CHILD_CANCEL), .io_cancel, ctx)
            iocb = try namedIocb(item, line: line)
            stepVia = v ?? via
        default:
            throw fail(line, "fork makes one destroy, one cancel or a submit of one iocb")
        }
        let handle = try contextHandle(ref, line: line)
        var ret = 0, err: Int32 = 0, signal: Int32 = 0
        let start = Monotonic.now()
        let fate = caio_forked_call(op, stepVia == .libaio ? 1 : 0, handle, iocb?.iocb, 2000, &ret, &err, &signal)
        let end = Monotonic.now()
        switch fate {
        case 0: break
        case 1: throw fail(line, "the forked child was killed by \(SignalNames.name(signal))")
        default: throw fail(line, "the forked child did not answer within 2s")
        }
        var args: [(String, String)] = [("ctx", hex(handle))]
        if syscall != .io_destroy { args.append(("iocb", iocb.map { hex($0.address) } ?? "NULL")) }
        var call = JudgedCall(CallRecord(syscall: syscall, via: stepVia, args: args,
                                         outcome: .decode(ret, err: err, via: stepVia), startNs: start, endNs: end))
        call.remarks.append("made by a forked child on its parent's context")
        call.judge(classifiedAs: SituationClassifier.forkedChild(syscall))
        record.calls.append(call)
    }

    func namedIocb(_ item: SubmitItem?, line: Int) throws -> ScriptIocb {
        guard case .iocb(let n)? = item, let r = lock.withLock({ _ in iocbs[n] }) else {
            throw fail(line, "fork needs one named iocb")
        }
        return r
    }

    /// `aionr`: one reading of /proc/sys/fs/aio-nr. With two readings around
    /// the last io_setup (and a third after its destroy), the readings become
    /// that call's observations and it is judged again. aio-nr is
    /// machine-wide: other processes' contexts show up in it too.
    func readAioNr(into record: inout ScriptStepRecord) {
        let now = AioLimits.aioNr ?? -1
        let readings = lock.withLock { _ -> [Int] in
            aioNrReadings.append(now)
            return aioNrReadings
        }
        record.messages.append("aio-nr is \(now)")
        guard readings.count >= 2 else { return }
        let verdicts: String? = outputLock.withLock { _ in
            guard let r = records.lastIndex(where: { $0.calls.contains { $0.syscall == .io_setup } }),
                  let c = records[r].calls.lastIndex(where: { $0.syscall == .io_setup }),
                  let situation = records[r].calls[c].situation,
                  let nr = records[r].calls[c].argumentValue("nr_events") else { return nil }
            let promised = Set(Catalog.situation(situation)?.claims.flatMap { $0.facts.keys } ?? [])
            var call = records[r].calls[c]
            // The io_setup draft: aio_nr grows by nr_events (the doubling is the ring's).
            if promised.contains(Fact.aioNrGrewByNrEvents) {
                call.observations[Fact.aioNrGrewByNrEvents] = readings[1] - readings[0] == nr
            }
            if promised.contains(Fact.aioNrRestored), readings.count >= 3 {
                call.observations[Fact.aioNrRestored] = readings.first == readings.last
            }
            guard !call.observations.isEmpty else { return nil }
            call.judge(classifiedAs: situation)
            records[r].calls[c] = call
            return call.judgements.map { "\($0.source.rawValue) \($0.agrees ? "agrees" : "differs")" }
                .joined(separator: ", ")
        }
        if let verdicts {
            record.messages.append("aio-nr " + readings.map(String.init).joined(separator: " -> ")
                                   + ": the io_setup judged again: " + verdicts)
        }
    }

    /// A signal for the main thread after `delay`, sent while the main thread
    /// is inside an io_getevents and again every 20 ms until that wait
    /// returns: a signal that fired just before the syscall was entered would
    /// otherwise leave the wait to its timeout (or forever). If the main
    /// thread is not waiting when the delay is up, it is sent once it starts
    /// to, within 2 s, or at once after that.
    ///
    /// With `resumeAfter`, the signal is SIGSTOP to the whole process, sent
    /// once (caio_stop_self: a forked child sends SIGCONT, since a thread of
    /// a stopped process cannot).
    func scheduleSignal(_ sig: Int32, after delay: UInt64, resumeAfter: UInt64? = nil) {
        let main = mainThread
        let entry = PendingSignal(sig)
        lock.withLock { _ in
            scheduledSignals.append(entry)
            pendingTimers += 1
        }
        let thread = WorkerThread { [self] in
            defer {
                lock.withLock { _ in
                    scheduledSignals.removeAll { $0 === entry }
                    pendingTimers -= 1
                }
            }
            Monotonic.sleep(until: min(Monotonic.now() + delay, deadline))
            let enterBy = min(Monotonic.now() + 2_000_000_000, deadline)
            func lockOn() -> Int? {
                lock.withLock { _ in
                    entry.target = mainWait
                    return mainWait
                }
            }
            var target = lockOn()
            while target == nil && Monotonic.now() < enterBy && !finished.value {
                Monotonic.sleep(until: Monotonic.now() + 200_000)
                target = lockOn()
            }
            if let resumeAfter {
                _ = caio_stop_self(Int32(clamping: (resumeAfter + 999_999) / 1_000_000))
                return
            }
            pthread_kill(main, sig)
            guard let target else { return }
            while lock.withLock({ _ in mainWait }) == target && Monotonic.now() < deadline {
                Monotonic.sleep(until: min(Monotonic.now() + 20_000_000, deadline))
                if lock.withLock({ _ in mainWait }) == target { pthread_kill(main, sig) }
            }
        }
        lock.withLock { _ in timers.append(thread) }
    }

    /// Writes to every descriptor whose other end a read may be blocked on.
    func unblockReads() {
        let ends = lock.withLock { _ in descriptors.values.compactMap { d in d.writeEnd.map { (d.kind, $0) } } }
        for (kind, w) in ends {
            // A full pipe already has something to read: skip it rather than block.
            var p = pollfd(fd: w, events: Int16(POLLOUT), revents: 0)
            guard poll(&p, 1, 0) == 1, p.revents & Int16(POLLOUT) != 0 else { continue }
            if kind == .eventfd {
                var one: UInt64 = 1
                _ = write(w, &one, 8)
            } else {
                var byte: UInt8 = 0x2A
                _ = write(w, &byte, 1)
            }
        }
    }
}

extension ScriptSession {
    /// `set IOCB FIELD=VALUE...`: raw writes into the iocb, as a C probe
    /// would make between its io_submit and its io_cancel.
    func setFields(_ name: String, _ values: [IocbFieldValue], line: Int, into record: inout ScriptStepRecord) throws {
        guard let r = lock.withLock({ _ in iocbs[name] }) else { throw fail(line, "no iocb named '\(name)'") }
        for v in values where !r.set(v.field, v.value) {
            throw fail(line, "\(name) is in a read-only page: set cannot write it (neither can the kernel)")
        }
        record.messages.append("\(name) at \(hex(r.address)): " + values.map { "\($0.field.rawValue)=\(hex($0.value))" }.joined(separator: ", ")
                               + " written in place (show \(name) dumps every field)")
    }

    /// `without CAPS STMT`: the capabilities leave this thread's effective
    /// set for the one call (capabilities are per thread) and come back after it.
    func withoutCapabilities(_ caps: [CapabilityName], line: Int, _ body: () throws -> Void) throws -> String {
        let mask = caps.reduce(UInt64(0)) { $0 | (UInt64(1) << UInt64($1.bit)) }
        var before: UInt64 = 0
        guard caio_caps_drop_effective(mask, &before) == 0 else {
            throw fail(line, "cannot drop \(caps.map(\.rawValue).joined(separator: ",")): capset \(Errno.current.name)")
        }
        defer { _ = caio_caps_set_effective(before) }
        let had = caps.filter { before & (UInt64(1) << UInt64($0.bit)) != 0 }
        try body()
        return "made with this thread's effective capabilities without " + caps.map(\.rawValue).joined(separator: ",")
            + (had.isEmpty ? " (it had none of them)" : " (it had " + had.map(\.rawValue).joined(separator: ",") + ")")
    }
}


extension ScriptSession {
    /// `await NAME`: polls, within the bound, until the kernel says the call
    /// sleeps — an iocb's io_submit, or a context's io_destroy — on whichever
    /// thread makes it, or until that call has returned (on a slow machine a
    /// destroy's grace period can pass between two looks). Returns the step's
    /// message.
    func awaitSleep(_ name: String, within: UInt64, line: Int) throws -> String {
        enum Seen { case notYet, asleep, returned }
        let look: () -> Seen
        let what: String
        func seen(_ inFlight: Bool, _ returned: Int, _ tid: pid_t, _ number: Int) -> Seen {
            if inFlight && KernelFacts.blockedInSyscall(tid: tid, number: number) { return .asleep }
            return !inFlight && returned > 0 ? .returned : .notYet
        }
        if let r = lock.withLock({ _ in iocbs[name] }) {
            what = "\(name)'s io_submit"
            look = { [self] in
                let (inFlight, returned, tid) = lock.withLock { _ in (r.submitInFlight, r.submitsReturned, r.submitter) }
                return seen(inFlight, returned, tid, KernelFacts.ioSubmitNumber)
            }
        } else if let ctx = lock.withLock({ _ in contexts[name] }) {
            what = "io_destroy(\(name))"
            look = { [self] in
                let (inFlight, returned, tid) = lock.withLock { _ in
                    (ctx.destroysInFlight > 0, ctx.destroysReturned, ctx.destroyer)
                }
                return seen(inFlight, returned, tid, KernelFacts.ioDestroyNumber)
            }
        } else {
            throw fail(line, "no iocb or context named '\(name)'")
        }
        let until = min(Monotonic.now() + within, deadline)
        var state = look()
        while state == .notYet && Monotonic.now() < until {
            Monotonic.sleep(until: Monotonic.now() + 100_000)
            state = look()
        }
        switch state {
        case .asleep: return "\(what) sleeps in the kernel"
        case .returned: return "\(what) had returned before it was seen sleeping in the kernel"
        case .notYet: return "\(what) was not seen sleeping in the kernel within \(formatDuration(within))"
        }
    }

    /// "N/M": how many of a regular file's pages are cached, or nil.
    func cachedPages(_ fd: Int32) -> String? {
        var resident = 0, total = 0
        guard caio_cached_pages(fd, &resident, &total) == 0 else { return nil }
        return "\(resident)/\(total)"
    }
}
