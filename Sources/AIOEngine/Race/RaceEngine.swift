import AIODocuments
import AIOKernel
import CAio
import Glibc
import SystemPackage

/// `aioctl race`'s loop: one context, one iocb and one target for the whole
/// run; per iteration submit a POLL(IN), let the readiness thread make the
/// target ready, cancel, reap exactly what arrives, drain the target.
///
/// Nothing in an iteration allocates: calls go straight to CAio (the AIO.*
/// wrappers build call records), buffers are allocated once here, and the
/// tallies' outcome keys exist after the first few iterations.
public final class RaceEngine {
    public let options: RaceOptions
    private let target: OpenTarget
    private let context: AIOContext
    /// Alive and unmoved until after io_destroy (deinit runs after finish()).
    private let request: Request
    private let cancelResult: EventPointer
    private let events: EventPointer
    private static let eventCapacity = 8
    /// The longest write or io_cancel call whose timing still places it.
    public static let cleanCallNs: UInt64 = 5_000
    /// The completion ring's header, mapped by the kernel at the context's address.
    private let ring: UnsafePointer<caio_ring>
    private let drainBuffer: UnsafeMutableRawPointer
    private let reapTimeout: UnsafeMutablePointer<timespec>
    /// The second wait after a --reap-timeout shorter than this passed with
    /// no event: only silence past it says a completion was lost.
    private let graceTimeout: UnsafeMutablePointer<timespec>
    public static let reapGraceNs: UInt64 = 1_000_000_000
    /// Iterations whose event came after --reap-timeout, within the grace.
    public private(set) var lateEvents = 0
    private let noWait: UnsafeMutablePointer<timespec>
    private var readiness: ReadinessThread?
    private var iteration: UInt64 = 0
    private var finished = false

    public private(set) var interruptedBy: Int32?
    /// Why the run stopped early other than a signal (a lost event, a failed call).
    public private(set) var stoppedBecause: String?

    /// Opens the target and sets up the context; throws when AIO is unavailable.
    public init(options: RaceOptions) throws {
        try options.validate()
        self.options = options
        target = try OpenTarget(options.target)
        let (maybeContext, setup) = AIOContext.setup(nrEvents: RaceEngine.eventCapacity, via: options.via)
        guard let context = maybeContext else {
            target.close()
            throw CancelProbe.setupFailure(setup)
        }
        self.context = context
        ring = UnsafePointer(bitPattern: UInt(context.handle))!
        request = Request(spec: .poll(events: .in), fd: target.readFD, data: 0)
        cancelResult = .allocate(capacity: 1)
        cancelResult.initialize(to: caio_event())
        events = .allocate(capacity: RaceEngine.eventCapacity)
        events.initialize(repeating: caio_event(), count: RaceEngine.eventCapacity)
        drainBuffer = .allocate(byteCount: 8, alignment: 8)
        reapTimeout = .allocate(capacity: 1)
        reapTimeout.initialize(to: Monotonic.timespecFor(nanoseconds: options.reapTimeoutNs))
        noWait = .allocate(capacity: 1)
        noWait.initialize(to: timespec(tv_sec: 0, tv_nsec: 0))
        graceTimeout = .allocate(capacity: 1)
        graceTimeout.initialize(to: Monotonic.timespecFor(nanoseconds: max(options.reapTimeoutNs, RaceEngine.reapGraceNs)))
    }

    deinit {
        finish()
        cancelResult.deallocate()
        events.deallocate()
        drainBuffer.deallocate()
        reapTimeout.deallocate()
        graceTimeout.deallocate()
        noWait.deallocate()
    }

    /// Runs every setting (stopping early on a signal or a lost event),
    /// then destroys the context. `progress` sees the fraction done.
    public func run(progress: ProgressBar? = nil) -> RaceReport {
        let settings = options.settings
        var tallies: [RaceTally] = []
        let runStart = Monotonic.now()
        for (index, setting) in settings.enumerated() {
            var tally = RaceTally(setting: setting)
            runSetting(&tally, index: index, of: settings.count, progress: progress)
            tallies.append(tally)
            if interruptedBy != nil || stoppedBecause != nil { break }
        }
        progress?.finish()
        finish()
        var report = RaceReport(options: options, tallies: tallies, elapsedNs: Monotonic.now() - runStart,
                                interruptedBy: interruptedBy, stoppedBecause: stoppedBecause)
        report.lateEvents = lateEvents
        return report
    }

    /// Stops the readiness thread (after its pending write), destroys the
    /// context, which ends whatever is still in flight, and closes the target.
    private func finish() {
        guard !finished else { return }
        finished = true
        readiness?.stopAndJoin()
        context.destroy()
        target.close()
    }

    private func runSetting(_ tally: inout RaceTally, index: Int, of total: Int, progress: ProgressBar?) {
        if tally.setting.readyAfterNs != nil, readiness == nil, let fd = target.writeFD {
            readiness = ReadinessThread(writeFD: fd, isEventfd: target.kind == .eventfd)
        }
        let start = Monotonic.now()
        // The clock is read here only when the stop or the bar needs it.
        let needsClock = progress != nil || options.stop.isDuration
        loop: while true {
            if let sig = Interrupts.pending { interruptedBy = sig; break }
            let now = needsClock ? Monotonic.now() : 0
            let done: Double
            switch options.stop {
            case .iterations(let n):
                if tally.iterations >= n { break loop }
                done = Double(tally.iterations) / Double(n)
            case .duration(let ns):
                if now - start >= ns { break loop }
                done = Double(now - start) / Double(ns)
            }
            progress?.update(fraction: (Double(index) + done) / Double(total), now: now)
            if !step(&tally) { break }
        }
        tally.elapsedNs = Monotonic.now() - start
    }

    /// One iteration; false when the run must stop (signal, lost event, failure).
    @inline(__always)
    private func step(_ tally: inout RaceTally) -> Bool {
        iteration += 1
        let seq = iteration
        let readyAfter = tally.setting.readyAfterNs
        request.iocb.pointee.aio_data = seq

        let t0 = Monotonic.now()
        if let readyAfter { readiness?.arm(iteration: seq, deadline: t0 + readyAfter) }
        let submitted = submitOnce()
        let t1 = Monotonic.now()
        guard submitted == 1 else {
            if readyAfter != nil { settleReadiness(seq, tally: &tally, cancel: nil) }
            stoppedBecause = "io_submit returned \(describe(submitted)) in iteration \(seq)"
            return false
        }
        tally.submitLatency.record(t1 - t0)

        // With no delay the cancel follows at once: t1 is its start.
        var c0 = t1
        if tally.setting.cancelAfterNs > 0 {
            let cancelAt = t0 + tally.setting.cancelAfterNs
            while Monotonic.now() < cancelAt {}
            c0 = Monotonic.now()
        }
        let cancelReturn = cancelOnce()
        let c1 = Monotonic.now()
        tally.cancelLatency.record(c1 - c0)

        var count = 0
        var res: Int64?
        var arrivedAt: UInt64 = 0
        var wait = reapTimeout
        while count == 0 {
            // An event already in the ring needs no bound on the wait, and
            // io_getevents without a timeout skips arming one.
            let n = reap(minNr: 1, timeout: ring.pointee.head != ring.pointee.tail ? nil : wait)
            if n == -Int(EINTR) {
                if let sig = Interrupts.pending { interruptedBy = sig; return false }
                continue
            }
            if n == 0 {
                // The user's own short --reap-timeout is no lost completion:
                // wait once more, long enough that silence would be one.
                if wait == reapTimeout, options.reapTimeoutNs < RaceEngine.reapGraceNs {
                    wait = graceTimeout
                    continue
                }
                break
            }
            if wait == graceTimeout { lateEvents += 1 }
            if n < 0 {
                stoppedBecause = "io_getevents returned \(describe(n)) in iteration \(seq)"
                return false
            }
            let now = Monotonic.now()
            account(n, seq: seq, count: &count, res: &res, arrivedAt: &arrivedAt, at: now, tally: &tally)
        }
        // A duplicate already waiting in the ring is visible without a syscall;
        // a later one carries this aio_data into a later iteration's reap.
        if count > 0, context.completionsInRing > 0 {
            let n = reap(minNr: 0, timeout: noWait)
            if n > 0 { account(n, seq: seq, count: &count, res: &res, arrivedAt: &arrivedAt, at: arrivedAt, tally: &tally) }
        }
        let outcome = RaceOutcome(cancelReturn: Int32(truncatingIfNeeded: cancelReturn), eventRes: res, eventCount: count)
        if readyAfter != nil, !settleReadiness(seq, tally: &tally, cancel: (c0, c1), outcome: outcome.category) {
            return false
        }
        tally.count(outcome, iteration: seq)
        if outcome.category == .cancelled { tally.cancelledArrival.record(arrivedAt &- c1) }
        if count == 0 {
            stoppedBecause = "iteration \(seq): no event within --reap-timeout \(formatDuration(options.reapTimeoutNs)) (\(outcome.summary)); stopped and destroyed the context, which still held the iocb"
            return false
        }
        return true
    }

    @inline(__always)
    private func account(_ n: Int, seq: UInt64, count: inout Int, res: inout Int64?, arrivedAt: inout UInt64,
                         at now: UInt64, tally: inout RaceTally) {
        for i in 0..<n {
            let event = events[i]
            if event.data == seq {
                count += 1
                if res == nil { res = event.res; arrivedAt = now }
            } else {
                tally.noteAnomaly("an event for iteration \(event.data) (res \(event.res)) arrived during iteration \(seq): a second completion for one iocb")
            }
        }
    }

    /// Waits for the readiness write, records the measured offset and empties
    /// the target so the next iteration starts not ready.
    @discardableResult
    private func settleReadiness(_ seq: UInt64, tally: inout RaceTally, cancel: (start: UInt64, end: UInt64)?,
                                 outcome: RaceOutcome.Category = .other) -> Bool {
        guard let readiness else { return true }
        guard let write = readiness.waitUntilWritten(iteration: seq) else {
            stoppedBecause = "the readiness write failed: \(Errno(rawValue: readiness.failure).name)"
            return false
        }
        if let cancel {
            // A call that took long was preempted somewhere inside, so its
            // start says little about when it acted: such samples stay out of the bins.
            let clean = write.end &- write.start <= Self.cleanCallNs && cancel.end &- cancel.start <= Self.cleanCallNs
            tally.recordOffset(Int64(bitPattern: write.start &- cancel.start), category: outcome, binned: clean)
        }
        let length = target.kind == .eventfd ? 8 : 1
        if read(target.readFD, drainBuffer, length) != length {
            stoppedBecause = "draining \(target.spec) failed: \(Errno(rawValue: errno).name)"
            return false
        }
        return true
    }

    // The calls through --via's convention (Via+Calls.swift, inlined here),
    // read in libaio's: a count, or -errno.

    @inline(__always)
    private func submitOnce() -> Int {
        options.via.submit(context.handle, nr: 1, iocbpp: request.iocbList).negatedErrnoForm
    }

    @inline(__always)
    private func cancelOnce() -> Int {
        options.via.cancel(context.handle, iocb: request.iocb, result: cancelResult).negatedErrnoForm
    }

    @inline(__always)
    private func reap(minNr: Int, timeout: UnsafeMutablePointer<timespec>?) -> Int {
        options.via.getevents(context.handle, minNr: minNr, nr: RaceEngine.eventCapacity, events: events,
                              timeout: timeout).negatedErrnoForm
    }

    private func describe(_ value: Int) -> String {
        value < 0 ? "-\(Errno(rawValue: Int32(-value)).name)" : "\(value)"
    }
}
