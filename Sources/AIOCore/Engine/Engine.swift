import CAio
import Glibc
import SystemPackage

/// Executes a scenario's steps through one convention, recording every call,
/// and judges the subject call against the scenario's situation.
///
/// Everything the kernel may touch (iocbs, buffers, the iocb array, the event
/// array, *result) is allocated here at fixed addresses and freed only in
/// `cleanUp`, after every context the run made is destroyed.
public final class Engine {
    let scenario: Scenario
    let via: Via
    let lock = Locked(())

    var handles: [String: caio_context_t] = [:]
    var destroyed: Set<String> = []
    var fixtures: [String: FixtureInstance] = [:]
    var iocbs: [String: IOCBPointer] = [:]
    /// Everything the kernel may touch, freed by cleanUp after the destroys.
    let memory = KernelMemory()
    /// The calls themselves, through this run's convention.
    var aio: AIOCall { AIOCall(via: via, memory: memory) }
    /// Buffers from posix_memalign, which free() releases.
    var mallocs: [UnsafeMutableRawPointer] = []
    var calls: [CallRecord] = []
    var subject: (index: Int, step: Step)?
    var subjectRecordIndex: Int?
    var reapedAfterSubject = false
    /// Requests submitted and not yet reaped: a reap waits for no more than these.
    var outstanding = 0
    var events: [caio_event] = []
    var aioNrReadings: [Int] = []
    var notes: [String] = []
    var backgrounds: [WorkerThread] = []
    var pendingBackgrounds = 0
    var skipReason: String?

    /// Called at `.endOfQuiet`, and in any case when the run ends.
    public var onQuietEnd: (() -> Void)?
    /// Called before the first io_destroy of a context this run set up, and in
    /// any case when the run ends (a stale-handle batch's barrier).
    public var beforeFirstDestroy: (() -> Void)?

    public init(_ scenario: Scenario, via: Via) {
        self.scenario = scenario
        self.via = via
    }

    /// Runs the scenario to the end and cleans up; never throws: a failure to
    /// prepare becomes a SKIP with the reason.
    /// Runs the scenario; the teardown (io_destroy of what is left, then
    /// freeing memory) runs inline, or on `reaper` so that it overlaps others.
    public func run(reaper: Reaper? = nil) -> ScenarioResult {
        let start = Monotonic.now()
        if let reason = scenario.precondition?() {
            skipReason = reason
        } else {
            do {
                try prepare()
                for step in scenario.steps {
                    if skipReason != nil { break }
                    try execute(step, isSubject: false)
                }
            } catch let error as AioctlError {
                skipReason = "cannot prepare the scenario: \(error.message)"
            } catch {
                skipReason = "cannot prepare the scenario: \(error)"
            }
        }
        beforeFirstDestroy?()
        joinBackgrounds(withinMs: 2000)
        onQuietEnd?()
        let result = finish(elapsed: Monotonic.now() - start)
        if let reaper {
            reaper.later { self.cleanUp() }
        } else {
            cleanUp()
        }
        return result
    }

    // MARK: preparing

    func prepare() throws {
        for (name, fixture) in scenario.fixtures.sorted(by: { $0.key < $1.key }) {
            fixtures[name] = try FixtureInstance(fixture)
        }
        for (name, spec) in scenario.iocbs.sorted(by: { $0.key < $1.key }) {
            iocbs[name] = try materialize(spec, data: UInt64(iocbs.count + 1))
        }
    }

    func materialize(_ spec: IocbSpec, data: UInt64) throws -> IOCBPointer {
        let iocb = keep(caio_iocb.self, count: 1)
        iocb.pointee.aio_data = data
        iocb.pointee.aio_key = spec.key
        iocb.pointee.aio_rw_flags = spec.rwFlags
        iocb.pointee.aio_lio_opcode = spec.opcode
        iocb.pointee.aio_reqprio = spec.reqprio
        iocb.pointee.aio_fildes = UInt32(bitPattern: try descriptor(spec.fd))
        iocb.pointee.aio_nbytes = spec.nbytes
        iocb.pointee.aio_offset = spec.offset
        iocb.pointee.aio_reserved2 = spec.reserved2
        iocb.pointee.aio_flags = spec.flags
        if let resfd = spec.resfd { iocb.pointee.aio_resfd = UInt32(bitPattern: try descriptor(resfd)) }
        switch spec.buffer {
        case .own:
            var raw: UnsafeMutableRawPointer?
            let size = (max(Int(spec.nbytes), 1) + 4095) & ~4095
            guard posix_memalign(&raw, 4096, size) == 0, let raw else { throw AioctlError(.software, "out of memory") }
            memset(raw, 0x5A, size)
            mallocs.append(raw)
            iocb.pointee.aio_buf = UInt64(UInt(bitPattern: raw))
        case .null: iocb.pointee.aio_buf = 0
        case .unmapped: iocb.pointee.aio_buf = BadMemory.noAccessAddress
        case .value(let v): iocb.pointee.aio_buf = v
        }
        return iocb
    }

    func descriptor(_ ref: FDRef) throws -> Int32 {
        switch ref {
        case .raw(let n): return n
        case .fixture(let name):
            guard let f = fixtures[name] else { throw AioctlError(.software, "scenario names no fixture \(name)") }
            return f.fd
        }
    }

    func context(_ ref: CtxRef) -> caio_context_t {
        switch ref {
        case .named(let n): return lock.withLock { _ in handles[n] ?? 0 }
        case .zero: return 0
        case .unmapped: return caio_context_t(BadMemory.noAccessAddress)
        case .readable: return caio_context_t(BadMemory.readOnlyAddress)
        case .allOnes: return caio_context_t.max
        }
    }

    func iocbPointer(_ ref: IocbRef) -> IOCBPointer? {
        switch ref {
        case .named(let n): return iocbs[n]
        case .null: return nil
        case .unmapped: return BadMemory.noAccess.assumingMemoryBound(to: caio_iocb.self)
        }
    }

    func pointer<T>(_ arg: PointerArg, to valid: UnsafeMutablePointer<T>?) -> UnsafeMutablePointer<T>? {
        arg.resolve(valid)
    }

    /// Memory that lives until cleanUp.
    func keep<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        memory.keep(type, count: count)
    }

    // MARK: executing

    func execute(_ step: Step, isSubject: Bool) throws {
        switch step {
        case .subject(let inner):
            lock.withLock { _ in subject = (calls.count, inner) }
            try execute(inner, isSubject: true)
        case .background(let inner):
            lock.withLock { _ in pendingBackgrounds += 1 }
            let thread = WorkerThread { [self] in
                try? execute(inner, isSubject: isSubject)
                lock.withLock { _ in pendingBackgrounds -= 1 }
            }
            backgrounds.append(thread)
        case .join(let ms):
            joinBackgrounds(withinMs: ms)
        case .sleep(let ms):
            Monotonic.sleep(until: Monotonic.now() + UInt64(ms) * 1_000_000)
        case .ready(let name):
            guard let f = fixtures[name] else { throw AioctlError(.software, "no fixture \(name)") }
            _ = try f.makeReady()
        case .readAioNr:
            aioNrReadings.append(AioLimits.aioNr ?? -1)
        case .awaitAioNrBack(let ms):
            guard let first = aioNrReadings.first else { break }
            let deadline = Monotonic.now() + UInt64(ms) * 1_000_000
            while (AioLimits.aioNr ?? first) > first && Monotonic.now() < deadline {
                Monotonic.sleep(until: Monotonic.now() + 100_000)
            }
        case .endOfQuiet:
            onQuietEnd?()
        case .setup(let name, let nrEvents, let ctxpArg, let preset):
            try setup(name, nrEvents, ctxpArg, preset, isSubject: isSubject)
        case .submit(let ctx, let array, let nr):
            let (record, count) = submit(ctx, array, nr: nr)
            if !isSubject, record.outcome != .value(nr ?? count) {
                require(false, "the helper io_submit returned \(record.resultText)")
            }
            if case .value(let n) = record.outcome { lock.withLock { _ in outstanding += n } }
            append(record, isSubject: isSubject)
        case .fill(let ctx, let array):
            let (record, count) = submit(ctx, array, nr: nil)
            if case .value(let n) = record.outcome, n > 0 {
                lock.withLock { _ in
                    notes.append("the ring took \(n) of \(count) requests")
                    outstanding += n
                }
            } else {
                require(false, "the filling io_submit returned \(record.resultText)")
            }
            append(record, isSubject: isSubject)
        case .cancel(let ctx, let iocb, let resultArg):
            append(aio.cancel(context(ctx), iocb: iocbPointer(iocb), result: resultArg), isSubject: isSubject)
        case .getevents(let ctx, let minNr, let nr, let eventsArg, let timeoutArg, let signalAfter):
            let signaller = signalAfter.map { WakeSignal.send(to: pthread_self(), afterMs: $0) }
            let (record, got) = aio.getevents(context(ctx), minNr: minNr, nr: nr, events: eventsArg, timeout: timeoutArg)
            signaller?.join()
            collect(got, reaped: record.outcome)
            append(record, isSubject: isSubject)
        case .pgetevents(let ctx, let minNr, let nr, let eventsArg, let timeoutArg, let maskArg, let signalAfter):
            let signaller = signalAfter.map { WakeSignal.send(to: pthread_self(), afterMs: $0) }
            let (record, got) = aio.getevents(context(ctx), minNr: minNr, nr: nr, events: eventsArg,
                                                timeout: timeoutArg, sigmask: maskArg)
            signaller?.join()
            collect(got, reaped: record.outcome)
            append(record, isSubject: isSubject)
        case .reap(let ctx, let count, let ms):
            reap(context(ctx), count: count, withinMs: ms)
        case .inForkedChild(let inner):
            append(try forkedCall(inner), isSubject: isSubject)
        case .destroy(let ctx):
            if case .named = ctx { beforeFirstDestroy?() }
            let record = aio.destroy(context(ctx))
            if case .named(let n) = ctx, record.outcome == .value(0) {
                lock.withLock { _ in _ = destroyed.insert(n) }
            }
            append(record, isSubject: isSubject)
        }
    }

    func setup(_ name: String, _ nrEvents: NrEvents, _ ctxpArg: PointerArg, _ preset: UInt64,
                       isSubject: Bool) throws {
        let nr: Int
        switch nrEvents {
        case .count(let n): nr = n
        case .aioMaxNr(let plus):
            guard let max = AioLimits.aioMaxNr else { return require(false, "/proc/sys/fs/aio-max-nr is unreadable") }
            nr = max + plus
        }
        let (record, handle) = aio.setup(nrEvents: nr, ctxp: ctxpArg, preset: preset)
        if let handle { lock.withLock { _ in handles[name] = handle } }
        if !isSubject, record.outcome != .value(0) {
            require(false, "the helper io_setup(\(nr)) returned \(record.resultText)")
        }
        append(record, isSubject: isSubject)
    }

    /// io_submit of a scenario's array; also returns how many iocbs it meant.
    func submit(_ ctx: CtxRef, _ array: IocbArray, nr: Int?) -> (CallRecord, Int) {
        switch array {
        case .list(let refs):
            let names = refs.map { ref -> String in
                switch ref {
                case .named(let n): return n
                case .null: return "NULL"
                case .unmapped: return "unmapped"
                }
            }
            return (aio.submit(context(ctx), iocbs: refs.map(iocbPointer), names: names, nr: nr), refs.count)
        case .null: return (aio.submit(context(ctx), iocbs: [], names: [], nr: nr ?? 1, iocbpp: .null), 1)
        case .unmapped: return (aio.submit(context(ctx), iocbs: [], names: [], nr: nr ?? 1, iocbpp: .unmapped), 1)
        case .allOnes: return (aio.submit(context(ctx), iocbs: [], names: [], nr: nr ?? 1, iocbpp: .allOnes), 1)
        }
    }

    /// Waits up to the bound for `count` events, keeping what arrives.
    func reap(_ ctx: caio_context_t, count wanted: Int, withinMs ms: Int) {
        lock.withLock { _ in if subject != nil { reapedAfterSubject = true } }
        // Waiting for a request the kernel refused would only burn the bound.
        let count = min(wanted, lock.withLock { _ in outstanding })
        guard count > 0 else { return }
        let deadline = Monotonic.now() + UInt64(ms) * 1_000_000
        var got = 0
        repeat {
            let now = Monotonic.now()
            let (record, events) = aio.getevents(ctx, minNr: count - got, nr: 64,
                                                   timeout: .duration(deadline > now ? deadline - now : 0))
            append(record, isSubject: false)
            guard case .value(let n) = record.outcome, n > 0 else { break }
            collect(events, reaped: record.outcome)
            got += n
        } while got < count && Monotonic.now() < deadline
    }

    /// Keeps the events a getevents call returned; `reaped` is its outcome,
    /// whose count frees ring slots even when the events array was bad.
    func collect(_ got: [caio_event], reaped: Outcome) {
        guard case .value(let n) = reaped, n > 0 else { return }
        lock.withLock { _ in
            events += got
            outstanding = max(0, outstanding - n)
        }
    }

    func append(_ record: CallRecord, isSubject: Bool) {
        lock.withLock { _ in
            calls.append(record)
            if isSubject { subjectRecordIndex = calls.count - 1 }
        }
    }

    func require(_ ok: Bool, _ reason: String) {
        if !ok { lock.withLock { _ in if skipReason == nil { skipReason = "precondition failed: " + reason } } }
    }

    /// Waits for background steps; past the bound frees every fixture a read
    /// could block on, then waits once more.
    func joinBackgrounds(withinMs ms: Int) {
        let deadline = Monotonic.now() + UInt64(ms) * 1_000_000
        while lock.withLock({ _ in pendingBackgrounds }) > 0 && Monotonic.now() < deadline {
            Monotonic.sleep(until: Monotonic.now() + 200_000)
        }
        if lock.withLock({ _ in pendingBackgrounds }) > 0 {
            notes.append("a background call was still blocked after \(ms)ms; aioctl unblocked its fixtures")
            for f in fixtures.values { _ = f.forceUnblock() }
            let second = Monotonic.now() + 1_000_000_000
            while lock.withLock({ _ in pendingBackgrounds }) > 0 && Monotonic.now() < second {
                Monotonic.sleep(until: Monotonic.now() + 1_000_000)
            }
        }
        if lock.withLock({ _ in pendingBackgrounds }) == 0 {
            backgrounds.forEach { $0.join() }
            backgrounds.removeAll()
        }
    }
}
