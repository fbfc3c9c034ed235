@testable import AIOEngine
@testable import AIODocuments
@testable import AIOKernel
import CAio
import Foundation
import Glibc
import SystemPackage
import XCTest

/// `aioctl cancel`'s engine against the real kernel. Where the answer is the
/// kernel's to give, the tests check that it is reported faithfully: the
/// verdicts follow from the recorded outcome, the events point back at the
/// iocb, nothing hangs, and no context outlives the probe.
final class CancelProbeTests: XCTestCase {
    struct Case {
        var name: String
        var target: TargetSpec
        var request: RequestSpec
        var ready = false
        var after: DelaySpec = .nanoseconds(5_000_000)
        var unblock: UnblockMode? = nil
        /// The event's res when the tool itself decides it (bytes it wrote).
        var expectedRes: Int64? = nil
        var situation: String
    }

    static let poll = RequestSpec.poll(events: .in)
    static let read = RequestSpec.read(length: 4096, offset: 0, nowait: false)

    /// One row per target and request kind; `situation` is what the tool
    /// must classify the cancel as, from what it knows before the call.
    static let cases: [Case] = [
        Case(name: "poll pipe", target: .pipe, request: poll, situation: "io_cancel.pending-poll"),
        Case(name: "poll socketpair", target: .socketpair, request: poll, situation: "io_cancel.pending-poll"),
        Case(name: "poll eventfd", target: .eventfd, request: poll, situation: "io_cancel.pending-poll"),
        Case(name: "poll fifo", target: .fifo, request: poll, situation: "io_cancel.pending-poll"),
        Case(name: "poll ready pipe", target: .pipe, request: poll, ready: true, expectedRes: 1,
             situation: "io_cancel.completed"),
        Case(name: "poll ready eventfd", target: .eventfd, request: poll, ready: true, expectedRes: 1,
             situation: "io_cancel.completed"),
        Case(name: "poll regular file", target: .path("/etc/hostname"), request: poll,
             situation: "io_cancel.completed"),
        Case(name: "poll /dev/zero", target: .path("/dev/zero"), request: poll, situation: "io_cancel.completed"),
        Case(name: "read pipe, unblock write", target: .pipe, request: read, unblock: .write, expectedRes: 1,
             situation: "io_cancel.blocked-in-submit"),
        Case(name: "read pipe, unblock close", target: .pipe, request: read, unblock: .close, expectedRes: 0,
             situation: "io_cancel.blocked-in-submit"),
        Case(name: "read fifo, unblock close", target: .fifo, request: read, unblock: .close, expectedRes: 0,
             situation: "io_cancel.blocked-in-submit"),
        Case(name: "read socketpair", target: .socketpair, request: read, expectedRes: 1,
             situation: "io_cancel.blocked-in-submit"),
        Case(name: "read eventfd", target: .eventfd, request: read, expectedRes: 8,
             situation: "io_cancel.blocked-in-submit"),
        Case(name: "read ready pipe", target: .pipe, request: read, ready: true, expectedRes: 1,
             situation: "io_cancel.completed"),
        Case(name: "read /dev/zero", target: .path("/dev/zero"), request: read, expectedRes: 4096,
             situation: "io_cancel.completed"),
    ]

    var aioNrAtStart = 0

    // Per process: this process's [aio] ring mappings, which no other process moves.
    override func setUp() { aioNrAtStart = ContextMappings.count() }

    override func tearDown() {
        XCTAssertEqual(ContextMappings.count(), aioNrAtStart, "a context outlived the test ([aio] in /proc/self/maps)")
    }

    static func aioNr() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/fs/aio-nr", encoding: .utf8)) ?? ""
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    func testEveryCaseThroughBothConventions() throws {
        for c in Self.cases {
            for via in Via.allCases {
                var o = CancelOptions()
                o.target = c.target
                o.request = c.request
                o.ready = c.ready
                o.after = c.after
                o.unblock = c.unblock
                o.via = via
                o.timeoutNs = 5_000_000_000
                let started = Monotonic.now()
                let run = try CancelProbe(options: o).run()
                let label = "\(c.name) via \(via)"
                XCTAssertLessThan(Monotonic.now() - started, 4_000_000_000, "\(label) took too long")
                assertFaithful(run, c, via: via, label: label)
            }
        }
    }

    func assertFaithful(_ run: CancelRun, _ c: Case, via: Via, label: String) {
        XCTAssertEqual(run.calls.map(\.syscall).first, .io_setup, label)
        XCTAssertEqual(run.calls.map(\.syscall).last, .io_destroy, label)
        XCTAssertEqual(run.calls.last?.outcome, .value(0), label)
        XCTAssertFalse(run.timedOut, label)
        guard let cancel = run.cancelCall else { return XCTFail("\(label): no io_cancel recorded") }
        XCTAssertEqual(cancel.situation, c.situation, label)
        XCTAssertEqual(cancel.via, via, label)
        // The conventions: libaio shows -errno, syscall(2) shows -1.
        if let e = cancel.outcome.errno {
            XCTAssertEqual(cancel.returnValue, via == .libaio ? -Int(e.rawValue) : -1, label)
        }
        // Every verdict must follow from the recorded outcome and observations.
        for j in cancel.judgements {
            let returnMatches: Bool
            switch j.claim.expected {
            case .value(let v): returnMatches = cancel.outcome == .value(v)
            case .error(let e): returnMatches = cancel.outcome == .error(e)
            default: returnMatches = true
            }
            let factsMatch = j.claim.facts.allSatisfy { fact in cancel.observations[fact.key].map { $0 == fact.value } ?? true }
            XCTAssertEqual(j.agrees, returnMatches && factsMatch, "\(label): \(j.source)")
        }
        // Exactly one event, pointing back at the iocb and carrying aio_data.
        XCTAssertEqual(run.events.count, 1, "\(label): \(run.events)")
        XCTAssertEqual(run.expectedEvents, 1, label)
        if let e = run.events.first {
            XCTAssertTrue(e.objMatches, label)
            XCTAssertTrue(e.dataMatches, label)
            if let res = c.expectedRes { XCTAssertEqual(e.res, res, label) }
            XCTAssertEqual(cancel.observations[Fact.eventInRing], true, label)
        }
        if case .read = c.request, c.situation == "io_cancel.blocked-in-submit" {
            XCTAssertTrue(run.cancelledDuringSubmit, label)
            XCTAssertNotNil(run.unblockAction, label)
            XCTAssertGreaterThanOrEqual(run.submitElapsedNs, run.actualDelayNs ?? 0, "\(label): io_submit blocked until freed")
        }
        XCTAssertGreaterThanOrEqual(run.actualDelayNs ?? 0, run.requestedDelayNs ?? 0, label)
    }

    /// The probe must report what a plain libaio call returns in the same
    /// situation: a pending poll on an empty pipe, cancelled.
    func testReportMatchesADirectCallForAPendingPoll() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(caio_pipe2(&fds, 0), 0)
        defer { close(fds[0]); close(fds[1]) }
        var ctx: caio_context_t = 0
        XCTAssertEqual(caio_lib_io_setup(8, &ctx), 0)
        defer { _ = caio_lib_io_destroy(ctx) }
        let iocb = IOCBPointer.allocate(capacity: 1)
        defer { iocb.deallocate() }
        iocb.initialize(to: caio_iocb())
        iocb.pointee.aio_lio_opcode = UInt16(CAIO_CMD_POLL)
        iocb.pointee.aio_fildes = UInt32(fds[0])
        iocb.pointee.aio_buf = 1
        var list: IOCBPointer? = iocb
        XCTAssertEqual(caio_lib_io_submit(ctx, 1, &list), 1)
        var event = caio_event()
        let direct = caio_lib_io_cancel(ctx, iocb, &event)
        var reap = caio_event()
        var ts = timespec(tv_sec: 1, tv_nsec: 0)
        XCTAssertEqual(caio_lib_io_getevents(ctx, 1, 1, &reap, &ts), 1, "the cancelled poll still completes")

        let run = try CancelProbe(options: CancelOptions()).run()
        XCTAssertEqual(run.cancelCall?.returnValue, Int(direct))
    }

    func testReadsWithoutUnblockAreFreedByTheTimeout() throws {
        var o = CancelOptions()
        o.request = Self.read
        o.unblock = UnblockMode.none
        o.timeoutNs = 300_000_000
        let started = Monotonic.now()
        let run = try CancelProbe(options: o).run()
        XCTAssertLessThan(Monotonic.now() - started, 2_000_000_000)
        XCTAssertTrue(run.timedOut)
        XCTAssertEqual(run.unblockAction?.hasPrefix("--timeout"), true, "\(run.unblockAction ?? "nil")")
        XCTAssertEqual(run.calls.last?.syscall, .io_destroy)
    }

    func testNeverCancelsAndReportsTheMissingEvent() throws {
        var o = CancelOptions()
        o.after = .never
        o.reapTimeoutNs = 50_000_000
        let run = try CancelProbe(options: o).run()
        XCTAssertNil(run.cancelCall)
        XCTAssertEqual(run.missingEvents, 1)
        XCTAssertTrue(run.notes.contains { $0.contains("did not arrive") })
    }

    func testNeverStillFreesABlockedRead() throws {
        var o = CancelOptions()
        o.after = .never
        o.request = Self.read
        let run = try CancelProbe(options: o).run()
        XCTAssertNil(run.cancelCall)
        XCTAssertEqual(run.events.map(\.res), [1])
        XCTAssertFalse(run.timedOut)
    }

    func testCountRepeatsUnderOneDeadline() throws {
        var o = CancelOptions()
        o.count = 3
        o.after = .nanoseconds(0)
        let report = try CancelSession(options: o).run()
        XCTAssertEqual(report.runs.count, 3)
        XCTAssertEqual(report.summary.cancel.map(\.1).reduce(0, +), 3)
    }

    /// A POLL's io_submit cannot block, so its cancel comes from the thread
    /// that submitted it, with no helper thread (a cancel from a second
    /// thread cost the process two scheduler ticks); a read needs the timer
    /// and the watchdog. Threads are counted in /proc/self/task while each
    /// probe runs, by a sampler started before it.
    func testOnlyAReadStartsHelperThreads() throws {
        func mostThreads(during body: () throws -> Void) rethrows -> (before: Int, most: Int) {
            let stop = Latch()
            let most = Locked(0)
            let sampler = WorkerThread {
                while !stop.wait(until: Monotonic.now() + 500_000) {
                    let n = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
                    most.withLock { $0 = max($0, n) }
                }
            }
            Monotonic.sleep(until: Monotonic.now() + 5_000_000)
            let before = most.value
            defer { stop.set(); sampler.join() }
            try body()
            return (before, most.value)
        }
        var poll = CancelOptions()
        poll.after = .nanoseconds(30_000_000)
        let polled = try mostThreads { _ = try CancelProbe(options: poll).run() }
        XCTAssertGreaterThan(polled.before, 0)
        XCTAssertEqual(polled.most, polled.before, "a POLL probe started a thread")

        var read = CancelOptions()
        read.request = Self.read
        read.after = .nanoseconds(30_000_000)
        let readRun = try mostThreads { _ = try CancelProbe(options: read).run() }
        XCTAssertEqual(readRun.most, readRun.before + 2, "a read probe runs a timer and a watchdog")
    }

    /// A read's cancel counts as made during io_submit only once the kernel
    /// shows the submitting thread asleep there: with --after 0 the timer is
    /// armed before the submit enters the kernel, and must wait for that.
    func testAReadIsCancelledOnlyOnceTheKernelShowsItAsleep() throws {
        var o = CancelOptions()
        o.request = Self.read
        o.after = .nanoseconds(0)
        o.count = 5
        let report = try CancelSession(options: o).run()
        XCTAssertEqual(report.runs.count, 5)
        for run in report.runs {
            let cancel = try XCTUnwrap(run.cancelCall)
            XCTAssertEqual(cancel.situation, "io_cancel.blocked-in-submit")
            XCTAssertTrue(cancel.remarks.contains { $0.contains("asleep inside io_submit") }, "\(cancel.remarks)")
        }
    }

    /// The wait itself, on a thread that sleeps elsewhere first (nanosleep)
    /// and only then blocks in io_submit: it returns once the kernel shows
    /// that thread inside io_submit, not before.
    func testTheWaitEndsOnlyWhenTheThreadSleepsInsideIoSubmit() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        let (maybeContext, _) = AIOContext.setup(nrEvents: 4, via: .syscall)
        let context = try XCTUnwrap(maybeContext)
        let request = Request(spec: Self.read, fd: fds[0], data: 1)
        let tid = Locked<pid_t>(0)
        let returned = Latch()
        let submitter = WorkerThread {
            tid.withLock { $0 = caio_gettid() }
            Monotonic.sleep(until: Monotonic.now() + 30_000_000)
            _ = AIO.submit(context.handle, nr: 1, iocbpp: request.iocbList, via: .syscall)
            returned.set()
        }
        while tid.value == 0 { Monotonic.sleep(until: Monotonic.now() + 100_000) }
        let seen = CancelProbe.awaitSubmitSleep(tid.value, returned: returned, until: Monotonic.now() + 5_000_000_000)
        let inside = KernelFacts.blockedInSyscall(tid: tid.value, number: KernelFacts.ioSubmitNumber)
        XCTAssertEqual(write(fds[1], "x", 1), 1)
        submitter.join()
        _ = context.destroy()
        XCTAssertTrue(seen)
        XCTAssertTrue(inside, "the wait ended before the thread was inside io_submit")
    }

    /// The printed program says the same: sleep, then cancel, on one thread.
    func testAPollProgramSleepsAndCancelsOnItsOwnThread() {
        var o = CancelOptions()
        o.after = .nanoseconds(10_000_000)
        let program = CancelProgram.statements(for: o)
        XCTAssertFalse(program.contains { if case .after = $0 { return true } else { return false } })
        let sleepAt = program.firstIndex { if case .sleep(10_000_000) = $0 { return true } else { return false } }
        let cancelAt = program.firstIndex { if case .cancel = $0 { return true } else { return false } }
        XCTAssertNotNil(sleepAt)
        XCTAssertEqual(cancelAt, sleepAt.map { $0 + 1 })
    }

    func testUnusableUnblockModeIsAUsageError() {
        var o = CancelOptions()
        o.request = Self.read
        o.target = .eventfd
        o.unblock = .close
        XCTAssertThrowsError(try CancelProbe(options: o).run()) { error in
            XCTAssertEqual((error as? AioctlError)?.status, .usage)
        }
    }
}
