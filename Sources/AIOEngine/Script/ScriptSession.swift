import AIODocuments
import AIOKernel
import CAio
import Glibc
import SystemPackage

/// Executes the step language against the real kernel, one line at a time,
/// keeping named handles between lines (so `aioctl shell` can use it too).
///
/// Syscalls are made outside the state lock: a read blocked in io_submit on
/// the main thread must not stop an `after` timer from writing the byte that
/// frees it. Everything the kernel can touch lives until `finish()`, after
/// every context is destroyed.
public final class ScriptSession {
    public private(set) var via: Via
    public let expect: Source
    let onStep: (ScriptStepRecord) -> Void
    let lock = Locked(())
    let outputLock = Locked(())

    var contexts: [String: ScriptContext] = [:]
    var descriptors: [String: ScriptDescriptor] = [:]
    var iocbs: [String: ScriptIocb] = [:]
    var iocbArrays: [String: Int] = [:]
    var checker = ScriptChecker()
    /// Memory the kernel may write through (events arrays, *result, timespecs).
    let memory = KernelMemory()
    var timers: [WorkerThread] = []
    /// `after` timers scheduled and not yet finished, for `wait`.
    var pendingTimers = 0
    /// The main thread's io_getevents in progress (a sequence number), and
    /// the signals a timer will send into it: happens-before facts the
    /// classifier reads, set under the lock around the call.
    var mainWait: Int?
    var mainWaits = 0
    var scheduledSignals: [PendingSignal] = []
    /// Readings of /proc/sys/fs/aio-nr by `aionr`, in order.
    var aioNrReadings: [Int] = []
    /// The timespec the last getevents passed, for `show timeout`.
    var lastTimeout: TimeoutWatch?
    public internal(set) var records: [ScriptStepRecord] = []
    let mainThread = pthread_self()
    let deadline: UInt64
    let watchdog: Deadlines.Entry
    let finished = Latch()
    public private(set) var timedOut = false
    /// The signal the timeout and `signal` use to wake the main thread.
    static let wakeSignal = SIGALRM

    public init(via: Via = .libaio, expect: Source = .kapi, timeoutNs: UInt64 = 60_000_000_000,
                onStep: @escaping (ScriptStepRecord) -> Void = { _ in }) {
        self.via = via
        self.expect = expect
        self.onStep = onStep
        deadline = Monotonic.now() + timeoutNs
        caio_install_counting_handler(Self.wakeSignal)
        let unblocker = Locked<(() -> Void)?>(nil)
        let main = pthread_self()
        var expired = false
        // At the deadline: free what a byte can free; then wake the main
        // thread out of any wait, every 50 ms, until finish() cancels this.
        watchdog = Deadlines.shared.schedule(at: deadline) {
            if expired {
                pthread_kill(main, ScriptSession.wakeSignal)
            } else {
                expired = true
                unblocker.withLock { $0?() }
            }
            return 50_000_000
        }
        unblocker.withLock { $0 = { [weak self] in self?.expire() } }
    }

    /// --timeout passed: free every read a byte can free, stop the script.
    /// The writes never block (a full pipe is skipped) and are made outside
    /// the lock, so the watchdog cannot wedge behind a call in progress.
    private func expire() {
        lock.withLock { _ in timedOut = true }
        unblockReads()
    }

    public var names: [String: Declared] { checker.names }

    /// Checks and runs one line; throws ScriptParseError for a name problem
    /// (nothing ran) and ScriptRuntimeError when the step could not run.
    public func execute(_ line: ScriptLine) throws {
        try checker.check(line)
        if timedOut { throw ScriptRuntimeError(line: line.number, message: "--timeout passed; the script was stopped") }
        var record = ScriptStepRecord(line: line.number, text: line.text.trimmingWhitespace())
        do {
            try perform(line.statement, line: line.number, into: &record)
        } catch let error as ScriptRuntimeError {
            record.error = error.message
            emit(record)
            throw error
        }
        emit(record)
    }

    func emit(_ record: ScriptStepRecord) {
        outputLock.withLock { _ in
            records.append(record)
            onStep(record)
        }
    }

    func fail(_ line: Int, _ message: String) -> ScriptRuntimeError {
        ScriptRuntimeError(line: line, message: message)
    }

    func perform(_ s: Statement, line: Int, into record: inout ScriptStepRecord) throws {
        switch s {
        case .setup(let name, let nr, let ctxp, let preset, let stepVia):
            try setup(name: name, nr: nr, ctxp: ctxp, preset: preset, via: stepVia ?? via, into: &record)
        case .descriptor(let kind, let name):
            let d = try makeDescriptor(kind, name: name, line: line)
            lock.withLock { _ in descriptors[name] = d }
            record.messages.append(d.fds.sorted { $0.key < $1.key }
                .map { ($0.key.isEmpty ? name : "\(name).\($0.key)") + "=fd \($0.value)" }.joined(separator: ", "))
        case .open(let name, let path, let flags):
            let fd = open(path, openFlags(flags), 0o600)
            guard fd >= 0 else { throw fail(line, "open \(path): \(Errno.current.name)") }
            lock.withLock { _ in descriptors[name] = ScriptDescriptor(name: name, kind: nil, fds: ["": fd]) }
            record.messages.append("\(name)=fd \(fd)")
        case .close(let ref):
            let (d, fd) = try resolve(ref, line: line)
            close(fd)
            lock.withLock { _ in _ = d?.closed.insert(ref.end ?? "") }
            record.messages.append("closed fd \(fd)")
        case .write(let ref, let bytes):
            let (d, fd) = try resolve(ref, line: line)
            record.messages += noteRelease()
            record.messages.append(writeBytes(fd, bytes, eventfd: d?.kind == .eventfd))
        case .read(let ref, let bytes):
            let (d, fd) = try resolve(ref, line: line)
            record.messages.append(readBytes(fd, bytes, eventfd: d?.kind == .eventfd))
        case .iocb(let name, let decl):
            let fd = try decl.fd.map { try resolve($0, line: line).1 } ?? -1
            let resfd = try decl.resfd.map { try resolve($0, line: line).1 }
            let names = decl.count.map { n in (0..<n).map { "\(name)[\($0)]" } } ?? [name]
            var made: [ScriptIocb] = []
            for element in names {
                let data = UInt64(lock.withLock { _ in iocbs.count } + 1)
                let iocb = ScriptIocb(name: element, decl: decl, fd: fd, resfd: resfd, data: data)
                lock.withLock { _ in iocbs[element] = iocb }
                made.append(iocb)
            }
            if let count = decl.count {
                lock.withLock { _ in iocbArrays[name] = count }
                record.messages.append("\(name)[0..\(count - 1)]: \(count) x \(decl.opcodeName) fd=\(fd), aio_data=\(hex(made[0].iocb.pointee.aio_data))..")
            } else {
                record.messages.append("\(name) at \(hex(made[0].address)): \(decl.opcodeName) fd=\(fd), aio_data=\(hex(made[0].iocb.pointee.aio_data))"
                                       + (made[0].readOnlyPage ? ", in a read-only page" : ""))
            }
            if let length = decl.length, made[0].bufferSize > 0, length > UInt64(made[0].bufferSize) {
                record.messages.append("aio_nbytes \(length) is more than the \(made[0].bufferSize)-byte buffer; a guard page follows the buffer")
            }
        case .submit(let ctx, let items, let iocbpp, let nr, let stepVia):
            try submit(ctx, items: items, iocbpp: iocbpp, nr: nr, via: stepVia ?? via, line: line, into: &record)
        case .cancel(let ctx, let item, let result, let stepVia):
            try cancel(ctx, item: item, result: result, via: stepVia ?? via, line: line, into: &record)
        case .getevents(let ctx, let min, let max, let timeout, let events, let mask, let stepVia, let extras):
            try getevents(ctx, min: min, max: max, timeout: timeout, events: events, mask: mask,
                          via: stepVia ?? via, line: line, into: &record, extras: extras)
        case .destroy(let ctx, let stepVia):
            try destroy(ctx, via: stepVia ?? via, line: line, into: &record)
        case .after(let delay, .stop(let resume)):
            // Like a signal: sent once the main sequence waits, so the wait it lands in is known.
            scheduleSignal(SIGSTOP, after: delay, resumeAfter: resume)
            record.messages.append("SIGSTOP to the process in \(formatDuration(delay)) (once the main sequence waits), SIGCONT \(formatDuration(resume)) later from a child")
        case .after(let delay, let inner):
            schedule(inner, after: delay, line: line, text: record.text)
            record.messages.append("scheduled in \(formatDuration(delay))")
        case .wait(let bound): waitForTimers(within: bound, into: &record)
        case .reap(let ctx, let count, let within):
            try reap(ctx, count: count, within: within, via: via, line: line, into: &record)
        case .fork(let inner): try forked(inner, line: line, into: &record)
        case .aioNr: readAioNr(into: &record)
        case .aioNrBack(let within):
            guard let first = lock.withLock({ _ in aioNrReadings.first }) else {
                throw fail(line, "'aionr back' needs an earlier 'aionr' reading to come back to")
            }
            let until = min(Monotonic.now() + within, deadline)
            var now = AioLimits.aioNr ?? first
            while now > first && Monotonic.now() < until {
                Monotonic.sleep(until: Monotonic.now() + 100_000)
                now = AioLimits.aioNr ?? first
            }
            record.messages.append(now <= first ? "aio-nr is back at \(first)" : "aio-nr is \(now), not back at \(first) within \(formatDuration(within))")
        case .awaitSleep(let name, let within):
            record.messages.append(try awaitSleep(name, within: within, line: line))
        case .sleep(let ns):
            Monotonic.sleep(until: min(Monotonic.now() + ns, deadline))
        case .set(let name, let values):
            try setFields(name, values, line: line, into: &record)
        case .fadvise(let ref, let advice, let offset, let length):
            let (_, fd) = try resolve(ref, line: line)
            let before = cachedPages(fd)
            let e = caio_fadvise(fd, offset, length, advice.value)
            let after = cachedPages(fd)
            record.messages.append("posix_fadvise(fd \(fd), \(offset), \(length), POSIX_FADV_\(advice.rawValue.uppercased())) = "
                                   + (e == 0 ? "0" : Errno(rawValue: e).name)
                                   + (before.map { b in after.map { "; pages in the page cache (mincore): \(b) before, \($0) after" } ?? "" } ?? ""))
        case .stop(let resume):
            guard caio_stop_self(Int32(clamping: (resume + 999_999) / 1_000_000)) == 0 else {
                throw fail(line, "cannot stop: no child to send SIGCONT could be made, so nothing was stopped")
            }
            record.messages.append("stopped the whole process (SIGSTOP); a child sent SIGCONT after \(formatDuration(resume))")
        case .without(let caps, let inner):
            let note = try withoutCapabilities(caps, line: line) { try perform(inner, line: line, into: &record) }
            record.messages.insert(note, at: 0)
        case .signal(let sig, let after, let handler, let restart):
            if restart { caio_install_counting_handler_restart(sig) }
            else if handler { caio_install_counting_handler(sig) } else { signal(sig, SIG_DFL) }
            if let after {
                scheduleSignal(sig, after: after)
                record.messages.append("\(SignalNames.name(sig)) to the main thread in \(formatDuration(after)), again until the wait it lands in returns" + (restart ? " (counting handler, SA_RESTART)" : handler ? " (counting handler)" : " (default action)"))
            } else {
                pthread_kill(mainThread, sig)
                record.messages.append("sent \(SignalNames.name(sig)) (delivered \(caio_signal_count(sig)) time(s) so far)")
            }
        case .show(let what):
            record.messages += try show(what, line: line)
        case .via(let v):
            via = v
            record.messages.append("calls now go through \(v.rawValue): \(v.conventionSummary)")
        case .help:
            record.messages += ScriptHelp.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// Runs `statement` on a timer thread after `delay`, while the main sequence goes on.
    func schedule(_ statement: Statement, after delay: UInt64, line: Int, text: String) {
        let due = Monotonic.now() + delay
        lock.withLock { _ in pendingTimers += 1 }
        let thread = WorkerThread { [self] in
            defer { lock.withLock { _ in pendingTimers -= 1 } }
            Monotonic.sleep(until: min(due, deadline))
            var record = ScriptStepRecord(line: line, text: text)
            record.fromTimer = true
            do { try perform(statement, line: line, into: &record) } catch let e as ScriptRuntimeError {
                record.error = e.message
            } catch { record.error = "\(error)" }
            emit(record)
        }
        lock.withLock { _ in timers.append(thread) }
    }

    /// Waits for timers (until --timeout), destroys every live context
    /// (recorded), waits for what the destroys woke, frees memory, closes
    /// descriptors. Returns every step record. With a reaper, the destroys
    /// and the freeing run there instead, unrecorded, so that the ~30 ms each
    /// destroy waits overlaps other work.
    @discardableResult
    public func finish(teardownOn reaper: Reaper? = nil) -> [ScriptStepRecord] {
        waitForPendingTimers(until: deadline)
        // A timer still blocked here waits in io_getevents (the destroy below
        // wakes it) or in io_submit (a byte frees it): never join it blindly.
        if lock.withLock({ _ in pendingTimers }) > 0 { unblockReads() }
        let live = lock.withLock { _ -> [ScriptContext] in
            let list = contexts.values.filter { !$0.destroyed }.sorted { $0.name < $1.name }
            list.forEach { $0.destroyed = true }
            return list
        }
        let teardownVia = via
        if let reaper {
            finished.set()
            watchdog.cancel()
            reaper.later { [self] in
                for ctx in live { _ = aio(teardownVia).destroy(ctx.handle, observe: false) }
                releaseWhenTimersAreDone()
            }
            return outputLock.withLock { _ in records }
        }
        if !live.isEmpty {
            var record = ScriptStepRecord(line: 0, text: "(end of script: destroying what is left)")
            for ctx in live {
                var call = JudgedCall(aio(via).destroy(ctx.handle))
                if call.outcome == .value(0) { call.judge(as: "io_destroy.success") }
                record.calls.append(call)
            }
            emit(record)
        }
        finished.set()
        watchdog.cancel()
        releaseWhenTimersAreDone()
        return outputLock.withLock { _ in records }
    }

    /// Joins the timers once they are done and frees what the kernel could
    /// touch. A timer still inside a call after the grace leaves its memory
    /// allocated: freeing it under the kernel would be worse than a leak.
    private func releaseWhenTimersAreDone() {
        waitForPendingTimers(until: Monotonic.now() + 2_000_000_000)
        guard lock.withLock({ _ in pendingTimers }) == 0 else { return }
        for t in lock.withLock({ _ in timers }) { t.join() }
        lock.withLock { _ in
            for d in descriptors.values { d.closeAll() }
            descriptors.removeAll()
            iocbs.removeAll()
            memory.release()
        }
    }

    /// Stops early on SIGINT/SIGTERM: the user asked for the end.
    private func waitForPendingTimers(until limit: UInt64) {
        while lock.withLock({ _ in pendingTimers }) > 0 && Monotonic.now() < limit && Interrupts.pending == nil {
            Monotonic.sleep(until: min(Monotonic.now() + 1_000_000, limit))
        }
    }

    public var agrees: Bool { records.allSatisfy { $0.agrees(with: expect) } }

    deinit {
        if !finished.value { finish() }
    }
}

/// A signal a timer will send into the main thread's next wait; `target`
/// is the wait it locked on to. Guarded by the session's lock.
final class PendingSignal: @unchecked Sendable {
    let sig: Int32
    var target: Int?
    init(_ sig: Int32) { self.sig = sig }
}
