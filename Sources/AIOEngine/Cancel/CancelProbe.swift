import AIODocuments
import AIOKernel
import CAio
import Glibc
import SystemPackage

/// `aioctl cancel`'s engine: set up a context, submit one request, cancel it
/// after the delay, reap, destroy; every call recorded and judged.
///
/// A read's cancel comes from a timer thread, with a watchdog beside it: a
/// buffered read on an empty pipe blocks inside io_submit, and the main
/// thread is stuck there when the cancel is due. A POLL's io_submit never
/// blocks, so the main thread waits and cancels itself, as a C program
/// would: with the cancel on a second thread, the whole process took two
/// scheduler ticks longer (Benchmarks/c/poll_cycle.c, `once` against
/// `once-from-thread`: 40-44 against 48-52 ms, medians of 40 paired runs).
public struct CancelProbe {
    public let options: CancelOptions
    /// The whole run (all --count repetitions) ends by this monotonic time.
    public let deadline: UInt64

    public init(options: CancelOptions, deadline: UInt64? = nil) {
        self.options = options
        self.deadline = deadline ?? Monotonic.now() + options.timeoutNs
    }

    /// Shared between the main thread, the cancel timer and the watchdog.
    private final class Shared {
        let submitReturned = Latch()
        let timerDone = Latch()
        let runDone = Latch()
        var cancel: (record: JudgedCall, firedAt: UInt64, duringSubmit: Bool, inRing: Bool)?
        var unblock: (action: String, at: UInt64)?
        var timedOut = false
        let lock = Locked(())
    }

    /// Runs one probe. Throws only when the probe cannot start (target,
    /// AIO unavailable); whatever the kernel answers is in the returned run.
    public func run(sequence: Int = 0) throws -> CancelRun {
        let target = try OpenTarget(options.target)
        defer { target.close() }
        let unblockMode = try chooseUnblockMode(for: target)

        var run = CancelRun()
        run.requestedDelayNs = options.requestedDelayNs
        let (maybeContext, setupRecord) = AIOContext.setup(nrEvents: options.nrEvents, via: options.via)
        var setup = JudgedCall(setupRecord)
        guard let context = maybeContext else { throw Self.setupFailure(setup.record) }

        if options.ready { run.readyAction = try target.makeReady() }

        // Kept alive, unmoved, until after io_destroy below.
        let request = Request(spec: options.request, fd: target.readFD, data: 0xA10C_0000 + UInt64(sequence))
        // The engine's call layer; its memory lives until after io_destroy below.
        let memory = KernelMemory()
        defer { memory.release() }
        let aio = AIOCall(via: options.via, memory: memory)

        let shared = Shared()
        let t0 = Locked<UInt64>(0)
        let armed = Latch()
        // The thread that submits; the timer asks the kernel where it sleeps.
        let submitter = caio_gettid()
        // The timer and the watchdog run for a read only (see the type's comment).
        let timerBody = { [options] in
            let cancelArguments = aio.prepareCancel(result: .valid)
            armed.wait(until: UInt64.max / 2)
            let start = t0.value
            let fireAt = start + (options.requestedDelayNs ?? CancelOptions.unblockDelayWithoutCancelNs)
            while !shared.runDone.wait(until: min(fireAt, Monotonic.now() + 10_000_000)) {
                if Monotonic.now() >= fireAt { break }
            }
            if shared.runDone.value { shared.timerDone.set(); return }
            if options.requestedDelayNs != nil {
                // "During io_submit" is what the kernel says, not a guess from
                // the delay: on a slow machine the submitting thread may not
                // have reached its sleep yet. Cancel once it sleeps in
                // io_submit, or once io_submit has returned.
                let seenAsleep = Self.awaitSubmitSleep(submitter, returned: shared.submitReturned, until: deadline)
                let duringSubmit = !shared.submitReturned.value
                let inRing = context.completionsInRing > 0
                let firedAt = Monotonic.now()
                var record = JudgedCall(aio.cancel(context.handle, iocb: request.iocb, prepared: cancelArguments))
                if seenAsleep && duringSubmit {
                    record.remarks.append("made once the kernel showed the submitting thread asleep inside io_submit")
                }
                shared.lock.withLock { _ in shared.cancel = (record, firedAt, duringSubmit, inRing) }
            }
            if !shared.submitReturned.value, unblockMode != .none {
                let action = target.unblock(unblockMode)
                shared.lock.withLock { _ in shared.unblock = (action, Monotonic.now()) }
            }
            shared.timerDone.set()
            // Ends after io_destroy, not before: a thread's exit queues RCU
            // work, and an io_destroy right behind it waited a scheduler tick
            // longer (4 ms in the median of 30 runs of a C program each way).
            _ = shared.runDone.wait(until: UInt64.max / 2)
        }
        let watchdogBody = { [deadline] in
            if shared.runDone.wait(until: deadline) { return }
            shared.lock.withLock { _ in shared.timedOut = true }
            if !shared.submitReturned.value {
                let action = target.forceUnblock()
                shared.lock.withLock { _ in shared.unblock = ("--timeout: " + action, Monotonic.now()) }
                // A read nothing can free would hold the process forever; the
                // kernel reclaims the context when the process exits.
                if !shared.submitReturned.wait(until: Monotonic.now() + 1_000_000_000) {
                    Self.abandon("--timeout: io_submit is still blocked and nothing can unblock it")
                }
            }
        }

        // A read can block inside io_submit, so the timer and the watchdog
        // must be running before it; a POLL needs neither (see the type's comment).
        var helpers: [WorkerThread] = []
        let submitCanBlock = !options.request.isPoll
        if submitCanBlock { helpers = [WorkerThread(timerBody), WorkerThread(watchdogBody)] }
        let submitRecord = AIO.submit(context.handle, nr: 1, iocbpp: request.iocbList, via: options.via) { start in
            t0.withLock { $0 = start }
            armed.set()
        }
        shared.submitReturned.set()
        // Judged now, not before the submit: the catalog is built on first
        // use, and here that happens while the timer runs, not before it.
        if case .value(0) = setup.outcome { setup.judge(as: "io_setup.success") }
        run.calls.append(setup)
        var submit = JudgedCall(submitRecord)
        let start = t0.value
        run.submitElapsedNs = submit.elapsedNs
        if case .value(1) = submit.outcome { submit.judge(as: "io_submit.success") }
        if submit.elapsedNs > 1_000_000 && shared.timerDone.value {
            submit.remarks.append("blocked \(formatDuration(submit.elapsedNs)) inside io_submit")
        }
        let submitted = (submit.outcome == .value(1))
        run.calls.append(submit)

        if submitCanBlock {
            // Wait for the timer, in slices, so that a signal can cut the wait short.
            while !shared.timerDone.wait(until: Monotonic.now() + 10_000_000) {
                if Interrupts.pending != nil { break }
            }
        } else if let delay = options.requestedDelayNs {
            cancelInline(at: start + delay, context: context, request: request, aio: aio, into: shared)
        }
        shared.lock.withLock { _ in
            if let cancel = shared.cancel {
                run.actualDelayNs = cancel.firedAt - start
                run.cancelledDuringSubmit = cancel.duringSubmit
            }
            if let unblock = shared.unblock {
                run.unblockAction = unblock.action
                run.unblockAfterNs = unblock.at - start
            }
        }
        let cancelIndex = shared.lock.withLock { _ in shared.cancel }.map { cancel -> Int in
            run.calls.append(cancel.record)
            return run.calls.count - 1
        }

        run.expectedEvents = submitted ? 1 : 0
        reap(context: context, request: request, start: start, aio: aio, into: &run)

        if let index = cancelIndex, let cancel = shared.lock.withLock({ _ in shared.cancel }) {
            var record = run.calls[index]
            let ours = run.events.contains { $0.objMatches }
            record.observations[Fact.eventInRing] = ours
            record.judge(as: Self.cancelSituation(options.request, submitted: submitted,
                                                  duringSubmit: cancel.duringSubmit, inRing: cancel.inRing))
            if !cancel.inRing && !cancel.duringSubmit {
                record.remarks.append("the ring held no completion just before the call")
            }
            run.calls[index] = record
        }

        var destroy = JudgedCall(context.destroy())
        if case .value(0) = destroy.outcome { destroy.judge(as: "io_destroy.success") }
        run.calls.append(destroy)
        shared.runDone.set()
        helpers.forEach { $0.join() }
        // Without a watchdog (a POLL), the run timed out if it ended past the deadline.
        if helpers.isEmpty && Monotonic.now() >= deadline { shared.lock.withLock { _ in shared.timedOut = true } }
        run.timedOut = shared.lock.withLock { _ in shared.timedOut }
        run.interruptedBy = Interrupts.pending
        if run.timedOut { run.notes.append("--timeout passed; the run was cut short") }
        return run
    }

    /// Waits until thread `tid` is seen asleep inside io_submit (true),
    /// `returned` is set, or `deadline` passes. Where the syscall's number is
    /// unknown (KernelFacts) nothing can be seen, and it does not wait.
    static func awaitSubmitSleep(_ tid: pid_t, returned: Latch, until deadline: UInt64) -> Bool {
        guard KernelFacts.ioSubmitNumber >= 0 else { return false }
        while !KernelFacts.blockedInSyscall(tid: tid, number: KernelFacts.ioSubmitNumber) {
            if returned.wait(until: min(deadline, Monotonic.now() + 200_000)) || Monotonic.now() >= deadline { return false }
        }
        return true
    }

    /// A POLL's cancel on the calling thread: waits until `fireAt` in slices
    /// (a signal ends the wait, and then there is no cancel), then cancels.
    /// io_submit has returned, so the cancel cannot have met it.
    private func cancelInline(at fireAt: UInt64, context: AIOContext, request: Request, aio: AIOCall,
                              into shared: Shared) {
        let cancelArguments = aio.prepareCancel(result: .valid)
        while Interrupts.pending == nil {
            let now = Monotonic.now()
            if now >= fireAt { break }
            Monotonic.sleep(until: min(fireAt, now + 10_000_000))
        }
        guard Interrupts.pending == nil else { return }
        let inRing = context.completionsInRing > 0
        let firedAt = Monotonic.now()
        let record = JudgedCall(aio.cancel(context.handle, iocb: request.iocb, prepared: cancelArguments))
        shared.lock.withLock { _ in shared.cancel = (record, firedAt, false, inRing) }
    }

    /// The unblock mode to use, or a usage error when the one asked for
    /// cannot work on this target and the request could block.
    private func chooseUnblockMode(for target: OpenTarget) throws -> UnblockMode {
        guard case .read = options.request else { return options.unblock ?? .none }
        guard let asked = options.unblock else { return target.canWrite ? .write : .none }
        if let problem = target.unblockProblem(asked) {
            throw UsageError("--unblock \(asked.rawValue): \(problem)")
        }
        return asked
    }

    /// Reaps until the expected events arrive or the reap timeout passes,
    /// then asks once more, without waiting, for anything extra.
    private func reap(context: AIOContext, request: Request, start: UInt64, aio: AIOCall,
                      into run: inout CancelRun) {
        let capacity = 8
        let reapDeadline = min(Monotonic.now() + options.reapTimeoutNs, deadline)

        func collect(_ record: inout JudgedCall, _ events: [caio_event]) -> Int {
            let now = Monotonic.now()
            guard case .value(let n) = record.outcome else {
                if record.outcome == .error(.interrupted) { record.judge(as: "io_getevents.interrupted") }
                return -1
            }
            record.judge(as: n > 0 ? "io_getevents.events" : "io_getevents.timeout")
            for e in events {
                run.events.append(ObservedEvent(
                    data: e.data, obj: e.obj, res: e.res, res2: e.res2,
                    objMatches: e.obj == request.address, dataMatches: e.data == request.data,
                    afterNs: now - start, isPoll: request.spec.isPoll))
            }
            return n
        }

        var waited = false
        while run.events.count < run.expectedEvents, Interrupts.pending == nil {
            let now = Monotonic.now()
            guard now < reapDeadline || !waited else { break }
            let (made, events) = aio.getevents(context.handle, minNr: run.expectedEvents - run.events.count,
                                               nr: capacity, timeout: .duration(reapDeadline > now ? reapDeadline - now : 0),
                                               capacity: capacity)
            var record = JudgedCall(made)
            waited = true
            let n = collect(&record, events)
            run.calls.append(record)
            if n <= 0 { break }
        }
        // One look, without waiting, for an event nobody expected (or, after
        // a signal, for what already arrived).
        let ringWasEmpty = context.completionsInRing == 0
        let (made, events) = aio.getevents(context.handle, minNr: 0, nr: capacity, timeout: .duration(0),
                                           capacity: capacity)
        var record = JudgedCall(made)
        _ = collect(&record, events)
        if options.via == .libaio && ringWasEmpty {
            record.remarks.append("libaio answered from the ring in user space; the kernel was not entered")
        }
        run.calls.append(record)
        if run.events.count < run.expectedEvents {
            let why = Interrupts.pending != nil ? "before the signal" : "within the reap timeout"
            run.notes.append("\(run.expectedEvents - run.events.count) expected event(s) did not arrive \(why)")
        }
    }

    /// Which catalog situation the cancel met, from what was known just before it.
    static func cancelSituation(_ request: RequestSpec, submitted: Bool, duringSubmit: Bool, inRing: Bool) -> String {
        if duringSubmit { return "io_cancel.blocked-in-submit" }
        if !submitted { return "io_cancel.never-submitted" }
        if inRing { return "io_cancel.completed" }
        return request.isPoll ? "io_cancel.pending-poll" : "io_cancel.not-cancellable"
    }


    static func setupFailure(_ record: CallRecord) -> AioctlError {
        let name = record.outcome.errno?.name ?? "handle 0"
        switch record.outcome.errno {
        case .noFunction?:
            return AioctlError(.unavailable, "AIO is unavailable here: io_setup failed with ENOSYS (no CONFIG_AIO)")
        case .notPermitted?:
            return AioctlError(.unavailable, "AIO is unavailable here: io_setup failed with EPERM (a seccomp filter?)")
        case .resourceTemporarilyUnavailable?:
            return AioctlError(.unavailable, "AIO is unavailable here: io_setup failed with EAGAIN (/proc/sys/fs/aio-max-nr reached)")
        default:
            return AioctlError(.software, "io_setup(\(record.args[0].value)) failed: \(name)")
        }
    }

    static func abandon(_ message: String) -> Never {
        let line = "aioctl: \(message); exiting (the kernel reclaims the context)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        _exit(ExitStatus.software.rawValue)
    }
}
