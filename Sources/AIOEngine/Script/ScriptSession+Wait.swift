import AIODocuments
import AIOKernel
import CAio
import Glibc

/// io_getevents and io_pgetevents as the step language makes them: every
/// pointer the kernel reads or writes is one aioctl built (or made bad) in
/// its own memory, and what the kernel did to it is read back afterwards:
/// which slots of a straddling events array it wrote, whether it changed the
/// timespec.
extension ScriptSession {
    /// The timespec of the last getevents, for `show timeout`.
    struct TimeoutWatch {
        var line: Int
        var address: UInt
        var sec: Int
        var nsec: Int
    }

    func getevents(_ ref: ContextRef, min: Int64, max: Int64, timeout: Timeout, events: PointerArg,
                   mask: SigmaskArg?, via: Via, line: Int, into record: inout ScriptStepRecord,
                   extras: WaitExtras = WaitExtras()) throws {
        let handle = try contextHandle(ref, line: line)
        let live = isLive(ref)
        if extras.needsRawUsig, via == .libaio {
            throw fail(line, "usig= and sigsetsize= need via=syscall: libaio's io_pgetevents builds the usig struct itself")
        }
        // At most 65536 slots are mapped, a guard page after them: a larger
        // max reaches the kernel as it is, and any event past the slots faults.
        let capacity = Int(Swift.min(Swift.max(max, 1), 65536))
        if max > 65536 {
            record.messages.append("max=\(max): aioctl maps 65536 event slots with a guard page after them")
        }
        var timeout = timeout
        if case .duration(let ns) = timeout {
            let left = Monotonic.remaining(until: deadline)
            if ns > left {
                record.messages.append("timeout cut to \(formatDuration(left)) by --timeout")
                timeout = .duration(left)
            }
        }
        var a = aio(via).waitArguments(events: events, timeout: timeout, sigmask: mask, capacity: capacity)
        var straddle: EventPointer?
        if let k = extras.straddle {
            straddle = memory.keepStraddling(caio_event.self, fitting: k)
            a.events = straddle
        }
        // libaio reads the ring at the handle, and the timeout, in user space:
        // on anything but a live context, or with a bad timeout pointer, that
        // can kill aioctl, so the call runs in a child and its fate is reported.
        if via == .libaio, (!live && handle != 0) || !timeout.readable {
            isolatedLibaioGetevents(handle, min: min, max: max, arguments: a, withMask: mask != nil, live: live,
                                    timeout: timeout, into: &record)
            return
        }
        let onMain = pthread_equal(pthread_self(), mainThread) != 0
        let signal = lock.withLock { _ -> Int32? in
            guard onMain else { return nil }
            mainWaits += 1
            mainWait = mainWaits
            // A signal whose wait already returned is spent, even if its timer has not ended yet.
            return scheduledSignals.first { $0.target == nil || $0.target == mainWaits }?.sig
        }
        if let t = a.timeout, timeout.readable {
            lock.withLock { _ in
                lastTimeout = TimeoutWatch(line: line, address: UInt(bitPattern: t), sec: t.pointee.tv_sec, nsec: t.pointee.tv_nsec)
            }
        }
        let headBefore = ringHead(ref)
        let made: CallRecord
        if extras.needsRawUsig {
            made = pgeteventsWithUsig(handle, min: min, max: max, arguments: a, extras: extras)
        } else if mask == nil {
            made = AIO.getevents(handle, minNr: Int(min), nr: Int(max), events: a.events, timeout: a.timeout, via: via,
                                 timeoutDescription: a.timeoutText)
        } else {
            made = AIO.pgetevents(handle, minNr: Int(min), nr: Int(max), events: a.events, timeout: a.timeout,
                                  sigmask: a.sigmask, via: via, timeoutDescription: a.timeoutText)
        }
        var call = JudgedCall(made)
        if onMain { lock.withLock { _ in mainWait = nil } }
        let (situation, remark) = SituationClassifier.getevents(
            live: live, min: min, max: max, events: events, timeout: timeout, mask: mask, signal: signal,
            outcome: call.outcome, extras: extras)
        if let situation { call.judge(classifiedAs: situation) } else if let remark { call.remarks.append(remark) }
        record.calls.append(call)
        if let straddle, let k = extras.straddle {
            record.messages += straddleReport(straddle, slots: k, outcome: call.outcome, headBefore: headBefore,
                                              headAfter: ringHead(ref))
        }
        guard case .value(let n) = call.outcome, n > 0 else { return }
        let got: [caio_event]
        if let straddle, let k = extras.straddle {
            got = Array(UnsafeBufferPointer(start: straddle, count: Swift.min(n, k)))
        } else if events == .valid {
            got = Array(UnsafeBufferPointer(start: a.buffer, count: Swift.min(n, capacity)))
        } else {
            got = []
        }
        let context = contextState(ref)
        lock.withLock { _ in context?.outstanding -= n }
        record.events += got.map(describe)
        settleRingClaims(for: record.events, into: &record)
    }

    /// io_pgetevents through syscall(2) with a usig struct aioctl built:
    /// {the mask, sigsetsize}, in its own memory, a read-only page or a bad pointer.
    func pgeteventsWithUsig(_ handle: caio_context_t, min: Int64, max: Int64, arguments a: AIOCall.WaitArguments,
                            extras: WaitExtras) -> CallRecord {
        let content = caio_sigset_arg(sigmask: a.sigmask, sigsetsize: Int(truncatingIfNeeded: extras.sigsetsize ?? 8))
        let usig: UnsafePointer<caio_sigset_arg>?
        switch extras.usig ?? .valid {
        case .valid:
            let p = memory.keep(caio_sigset_arg.self, count: 1)
            p.pointee = content
            usig = UnsafePointer(p)
        case .readOnly:
            usig = UnsafePointer(memory.keepReadOnly(bytes: MemoryLayout<caio_sigset_arg>.size) {
                $0.storeBytes(of: content, as: caio_sigset_arg.self)
            }.assumingMemoryBound(to: caio_sigset_arg.self))
        case let other:
            usig = UnsafePointer(other.resolve(UnsafeMutablePointer<caio_sigset_arg>(nil)))
        }
        var err: Int32 = 0
        let start = Monotonic.now()
        let ret = caio_sys_io_pgetevents_usig(handle, Int(min), Int(max), a.events, a.timeout, usig, &err)
        let end = Monotonic.now()
        let usigText = hex(UnsafeRawPointer(usig)) + (extras.usig?.readable ?? true
            ? " {sigmask=\(hex(UnsafeRawPointer(a.sigmask))), sigsetsize=\(content.sigsetsize)}" : "")
        return CallRecord(syscall: .io_pgetevents, via: .syscall,
                          args: [("ctx", hex(handle)), ("min_nr", "\(min)"), ("nr", "\(max)"),
                                 ("events", hex(UnsafeRawPointer(a.events))), ("timeout", a.timeoutText),
                                 ("usig", usigText)],
                          outcome: .decode(ret, err: err, via: .syscall), startNs: start, endNs: end)
    }

    /// Which of the K slots before the unmapped page the kernel wrote (they
    /// start as 0xA5 bytes), and whether the ring's head moved.
    func straddleReport(_ slots: EventPointer, slots k: Int, outcome: Outcome, headBefore: UInt32?,
                        headAfter: UInt32?) -> [String] {
        let raw = UnsafeRawPointer(slots)
        let written = (0..<k).filter { i in
            (0..<MemoryLayout<caio_event>.stride).contains { raw.load(fromByteOffset: i * MemoryLayout<caio_event>.stride + $0, as: UInt8.self) != 0xA5 }
        }
        var lines = ["events=straddle:\(k) at \(hex(raw)): \(k) slot(s) before an unmapped page; the kernel wrote \(written.count) of them"]
        if outcome.errno != nil {
            for i in written {
                let e = slots[i]
                let owner = lock.withLock { _ in iocbs.values.first { $0.address == e.obj }?.name }
                lines.append("  slot \(i), written before the fault: \(owner ?? "unknown iocb " + hex(e.obj)) res=\(e.res) data=\(hex(e.data))")
            }
        }
        if let headBefore, let headAfter {
            lines.append(headBefore == headAfter ? "the ring's head stayed at \(headAfter): the events are still in the ring"
                                                 : "the ring's head moved from \(headBefore) to \(headAfter)")
        }
        return lines
    }

    /// The ring header's head of a live context aioctl made, read under the
    /// lock a destroy marks the context under first.
    func ringHead(_ ref: ContextRef) -> UInt32? {
        guard case .named = ref else { return nil }
        return lock.withLock { _ in
            guard isLiveLocked(ref), case .named(let n) = ref, let c = contexts[n] else { return nil }
            return UnsafePointer<caio_ring>(bitPattern: UInt(c.handle))?.pointee.head
        }
    }

    /// `show timeout`: the last getevents' timespec, before the call and now.
    func showTimeout() -> [String] {
        guard let w = lock.withLock({ _ in lastTimeout }), let now = UnsafePointer<timespec>(bitPattern: w.address)?.pointee else {
            return ["no getevents has passed a timespec of aioctl's yet"]
        }
        let same = now.tv_sec == w.sec && now.tv_nsec == w.nsec
        return ["timeout of line \(w.line) at \(hex(UInt64(w.address))): {\(w.sec), \(w.nsec)} before the call, {\(now.tv_sec), \(now.tv_nsec)} now"
                + (same ? ": the kernel left it unchanged" : ": the kernel changed it")]
    }
}
