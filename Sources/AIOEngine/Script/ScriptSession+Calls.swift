import AIODocuments
import AIOKernel
import CAio
import Glibc
import SystemPackage

/// The five AIO calls of the step language. Each records its call, judges
/// it against the catalog situation the session's state says it meets
/// (SituationClassifier), and updates what the session knows.
extension ScriptSession {
    func contextHandle(_ ref: ContextRef, line: Int) throws -> caio_context_t {
        switch ref {
        case .named(let n):
            guard let c = lock.withLock({ _ in contexts[n] }) else { throw fail(line, "no context named '\(n)'") }
            return c.handle
        case .zero: return 0
        case .garbage: return caio_context_t(BadMemory.readOnlyAddress)
        case .fakeRing:
            // A page of its own each time: id 0, nr 1, head == tail, the magic,
            // compat_features 1, header_length 32, as io_setup's ring starts.
            let page = memory.keepReadOnly(bytes: MemoryLayout<caio_ring>.size) {
                $0.storeBytes(of: caio_ring(id: 0, nr: 1, head: 0, tail: 0, magic: 0xa10a_10a1, compat_features: 1,
                                            incompat_features: 0, header_length: 32), as: caio_ring.self)
            }
            return caio_context_t(UInt(bitPattern: page))
        case .unmapped: return caio_context_t(BadMemory.noAccessAddress)
        case .literal(let v): return caio_context_t(v)
        }
    }

    /// A context the session set up and has not destroyed.
    func isLive(_ ref: ContextRef) -> Bool { lock.withLock { _ in isLiveLocked(ref) } }

    /// isLive, for a caller that holds the lock.
    func isLiveLocked(_ ref: ContextRef) -> Bool {
        guard case .named(let n) = ref else { return false }
        return contexts[n].map { !$0.destroyed } ?? false
    }

    /// The engine's calls, through `via`, in this session's kernel memory.
    func aio(_ via: Via) -> AIOCall { AIOCall(via: via, memory: memory) }

    func setup(name: String, nr: Int64, ctxp: PointerArg, preset: UInt64, via: Via,
               into record: inout ScriptStepRecord) throws {
        let situation = SituationClassifier.setup(nr: nr, ctxp: ctxp, preset: preset)
        let (made, handle) = aio(via).setup(nrEvents: Int(nr), ctxp: ctxp, preset: preset)
        var call = JudgedCall(made)
        call.judge(classifiedAs: situation)
        if let handle {
            // The ring is ours and mapped: its header says how many slots the kernel made.
            let ringNr = Int(UnsafePointer<caio_ring>(bitPattern: UInt(handle))?.pointee.nr ?? 0)
            let ctx = ScriptContext(name: name, handle: handle, nrEvents: nr, ringNr: ringNr)
            lock.withLock { _ in contexts[name] = ctx }
            record.messages.append("\(name) = \(hex(handle))")
        } else {
            // Keep the name usable (as a handle no io_setup returned) so later lines still run.
            let ctx = ScriptContext(name: name, handle: 0, nrEvents: nr, ringNr: 0)
            ctx.destroyed = true
            lock.withLock { _ in contexts[name] = ctx }
            record.messages.append("\(name) holds no context (handle 0)")
        }
        record.calls.append(call)
    }

    func submit(_ ref: ContextRef, items: [SubmitItem], iocbpp: PointerArg, nr: Int64?, via: Via,
                line: Int, into record: inout ScriptStepRecord) throws {
        let handle = try contextHandle(ref, line: line)
        // q[*] and q[2..5] stand for their elements. The array may be
        // missing although declared: its line failed and --keep-going went on.
        let items = try items.flatMap { item -> [SubmitItem] in
            guard case .iocbRange(let name, let range) = item else { return [item] }
            guard let count = lock.withLock({ _ in iocbArrays[name] }) else {
                throw fail(line, "no iocb array named '\(name)'")
            }
            return (range.map(Array.init) ?? Array(0..<count)).map { .iocb("\(name)[\($0)]") }
        }
        var pointers: [IOCBPointer?] = []
        var names: [String] = []
        var named: [ScriptIocb?] = []
        for item in items {
            switch item {
            case .iocb(let n):
                guard let r = lock.withLock({ _ in iocbs[n] }) else { throw fail(line, "no iocb named '\(n)'") }
                (pointers, names, named) = (pointers + [r.iocb], names + [n], named + [r])
            case .iocbRange: throw fail(line, "an iocb range left unexpanded")
            case .null: (pointers, names, named) = (pointers + [nil], names + ["NULL"], named + [nil])
            case .unmapped:
                let bad = BadMemory.noAccess.assumingMemoryBound(to: caio_iocb.self)
                (pointers, names, named) = (pointers + [bad], names + ["unmapped"], named + [nil])
            case .kernel:
                let bad = IOCBPointer(bitPattern: UInt(BadMemory.kernelAddress))
                (pointers, names, named) = (pointers + [bad], names + [hex(BadMemory.kernelAddress)], named + [nil])
            }
        }
        let count = nr ?? Int64(items.count)
        let context = contextState(ref)
        let slots = context.flatMap { c in lock.withLock { _ in c.slots } }
        let (situation, remark) = SituationClassifier.submit(live: isLive(ref), nr: count, items: items, iocbpp: iocbpp,
                                                             iocbs: named, slots: slots)
        // Happens-before, not timing: the flag is set before the syscall and
        // cleared after it returns, under the lock a cancel classifies under.
        let tid = caio_gettid()
        lock.withLock { _ in
            for r in named.prefix(Int(max(count, 0))) {
                r?.submitInFlight = true
                r?.submitter = tid
                r?.submitTarget = handle
            }
        }
        let keys = SubmitKeys.read(named)
        var call = JudgedCall(aio(via).submit(handle, iocbs: pointers, names: names, nr: Int(count),
                                              iocbpp: IocbppArg(iocbpp)))
        let queued: Int
        if case .value(let k) = call.outcome { queued = k } else { queued = 0 }
        if let written = SubmitKeys.written(before: keys, after: SubmitKeys.read(named), queued: queued) {
            call.observations[Fact.aioKeyWritten] = written
        }
        lock.withLock { _ in
            for (i, r) in named.prefix(Int(max(count, 0))).enumerated() {
                r?.submitInFlight = false
                r?.submitsReturned += 1
                if i < queued {
                    r?.submittedTo = handle
                    r?.completed = false
                    r?.cancelled = false
                }
            }
            context?.outstanding += queued
        }
        if let situation { call.judge(classifiedAs: situation) } else if let remark {
            call.remarks.append(remark)
        }
        record.calls.append(call)
        if call.elapsedNs > 1_000_000 { record.messages.append("io_submit blocked for \(formatDuration(call.elapsedNs))") }
    }

    func cancel(_ ref: ContextRef, item: SubmitItem, result: PointerArg, via: Via,
                line: Int, into record: inout ScriptStepRecord) throws {
        let handle = try contextHandle(ref, line: line)
        var iocbPointer: IOCBPointer?
        var target: ScriptIocb?
        switch item {
        case .iocb(let n):
            guard let r = lock.withLock({ _ in iocbs[n] }) else { throw fail(line, "no iocb named '\(n)'") }
            iocbPointer = r.iocb
            target = r
        case .null: iocbPointer = nil
        case .unmapped: iocbPointer = BadMemory.noAccess.assumingMemoryBound(to: caio_iocb.self)
        case .kernel: iocbPointer = IOCBPointer(bitPattern: UInt(BadMemory.kernelAddress))
        case .iocbRange(let name, _): throw fail(line, "cancel takes one iocb, not \(name)[...]")
        }
        // Liveness and the ring peek under the lock a destroy marks the
        // context under before it starts: the ring is never read once it may be unmapped.
        let situation = lock.withLock { _ -> String in
            let live = isLiveLocked(ref)
            let inRing = target.map { ringHolds(handle, obj: $0.address, live: live) } ?? false
            return SituationClassifier.cancel(live: live, handle: handle, item: item, iocb: target,
                                              completionInRing: inRing)
        }
        var call = JudgedCall(aio(via).cancel(handle, iocb: iocbPointer, result: result))
        call.judge(classifiedAs: situation)
        if call.outcome == .value(0) || call.outcome == .error(.nowInProgress) {
            lock.withLock { _ in target?.cancelled = true }
        }
        let ringClaims = Catalog.situation(situation)?.claims.contains { $0.facts[Fact.eventInRing] != nil } ?? false
        if ringClaims, let target {
            lock.withLock { _ in target.cancelAwaitingEvent = line }
            record.messages.append("whether \(target.name)'s event reaches the ring is judged when a getevents shows it")
        }
        record.calls.append(call)
    }

    /// Whether the ring of a live context holds an unreaped event for `obj`,
    /// read in user space (the io_event array follows the header, whose
    /// size the header itself gives).
    func ringHolds(_ handle: caio_context_t, obj: UInt64, live: Bool) -> Bool {
        guard live, let base = UnsafeRawPointer(bitPattern: UInt(handle)) else { return false }
        let ring = base.load(as: caio_ring.self)
        guard ring.nr > 0 else { return false }
        var i = ring.head
        while i != ring.tail {
            let offset = Int(ring.header_length) + Int(i) * MemoryLayout<caio_event>.stride
            let event = base.load(fromByteOffset: offset, as: caio_event.self)
            if event.obj == obj { return true }
            i = (i + 1) % ring.nr
        }
        return false
    }

    func contextState(_ ref: ContextRef) -> ScriptContext? {
        guard case .named(let n) = ref else { return nil }
        return lock.withLock { _ in contexts[n].flatMap { $0.destroyed ? nil : $0 } }
    }

    /// An event reached the ring for an iocb whose cancel had claims about
    /// that: records the observation on the cancel's call and judges it again.
    func settleRingClaims(for events: [ScriptEvent], into record: inout ScriptStepRecord) {
        for event in events {
            guard let name = event.iocb, let iocb = lock.withLock({ _ in iocbs[name] }),
                  let line = lock.withLock({ _ in iocb.cancelAwaitingEvent }) else { continue }
            lock.withLock { _ in iocb.cancelAwaitingEvent = nil }
            let address = hex(UnsafeRawPointer(iocb.iocb))
            let verdicts: String? = outputLock.withLock { _ in
                guard let r = records.lastIndex(where: { $0.line == line }),
                      let c = records[r].calls.lastIndex(where: {
                          $0.syscall == .io_cancel && $0.args.contains { $0.name == "iocb" && $0.value == address }
                      }), let situation = records[r].calls[c].situation else { return nil }
                records[r].calls[c].observations[Fact.eventInRing] = true
                records[r].calls[c].judge(as: situation)
                return records[r].calls[c].judgements
                    .map { "\($0.source.rawValue) \($0.agrees ? "agrees" : "differs")" }.joined(separator: ", ")
            }
            if let verdicts {
                record.messages.append("\(name)'s event reached the ring: the cancel on line \(line), judged again: \(verdicts)")
            }
        }
    }

    func isolatedLibaioGetevents(_ handle: caio_context_t, min: Int64, max: Int64, arguments a: AIOCall.WaitArguments,
                                 withMask: Bool, live: Bool, timeout: Timeout, into record: inout ScriptStepRecord) {
        let syscall: AIOSyscall = withMask ? .io_pgetevents : .io_getevents
        var ret: Int32 = 0
        var sig: Int32 = 0
        let start = Monotonic.now()
        let fate = caio_isolated_lib_getevents(handle, Int(min), Int(max), a.events, a.timeout, a.sigmask,
                                               withMask ? 1 : 0, 2000, &ret, &sig)
        let end = Monotonic.now()
        let name = "libaio \(syscall.rawValue)(ctx=\(hex(handle)), min_nr=\(min), nr=\(max))"
        switch fate {
        case 1:
            record.messages.append("\(name): killed by \(SignalNames.name(sig)) in an isolated child: libaio reads the ring and the timeout in user space")
        case 0:
            var call = JudgedCall(CallRecord(syscall: syscall, via: .libaio,
                                  args: [("ctx", hex(handle)), ("min_nr", "\(min)"), ("nr", "\(max)"),
                                         ("events", hex(UnsafeRawPointer(a.events))), ("timeout", a.timeoutText)],
                                  outcome: .decode(Int(ret), err: 0, via: .libaio), startNs: start, endNs: end))
            call.remarks.append("run in an isolated child: libaio reads the ring and the timeout in user space")
            let (s, remark) = SituationClassifier.getevents(live: live, min: min, max: max, events: .valid,
                                                            timeout: timeout, mask: nil, signal: nil, outcome: call.outcome)
            if let s { call.judge(classifiedAs: s) } else if let remark { call.remarks.append(remark) }
            record.calls.append(call)
        default:
            record.messages.append("\(name) in an isolated child did not return within 2s; it was killed")
        }
    }

    /// Matches an event back to its iocb by obj, and marks the iocb completed.
    func describe(_ e: caio_event) -> ScriptEvent {
        lock.withLock { _ in
            let owner = iocbs.values.first { $0.address == e.obj }
            owner?.completed = true
            return ScriptEvent(iocb: owner?.name, data: e.data, obj: e.obj, res: e.res, res2: e.res2,
                               isPoll: owner?.isPoll ?? false)
        }
    }

    func destroy(_ ref: ContextRef, via: Via, line: Int, into record: inout ScriptStepRecord) throws {
        let handle = try contextHandle(ref, line: line)
        // Marked destroyed before the call: from here no thread reads its ring.
        // A destroy already running on another thread is a happens-before
        // fact too: this one overlaps it.
        let (wasLive, overlapping) = lock.withLock { _ -> (Bool, Bool) in
            let live = isLiveLocked(ref)
            guard case .named(let n) = ref, let c = contexts[n] else { return (live, false) }
            let overlapping = c.destroysInFlight > 0
            c.destroyed = true
            c.destroysInFlight += 1
            c.destroyer = caio_gettid()
            return (live, overlapping)
        }
        var call = JudgedCall(aio(via).destroy(handle))
        if call.outcome == .value(0), let (waited, why) = destroyWaitObservation(ref) {
            call.observations[Fact.destroyWaited] = waited
            record.messages.append(why)
        }
        if case .named(let n) = ref {
            lock.withLock { _ in
                contexts[n]?.destroysInFlight -= 1
                contexts[n]?.destroysReturned += 1
            }
        }
        call.judge(classifiedAs: SituationClassifier.destroy(live: wasLive, ref: ref, overlapping: overlapping))
        if wasLive, case .named(let n) = ref, call.outcome != .value(0), case .error(let e) = call.outcome, e != .invalidArgument {
            // Refused for another reason than a dead handle: the ring is still there.
            lock.withLock { _ in contexts[n]?.destroyed = false }
        }
        record.calls.append(call)
    }
}
