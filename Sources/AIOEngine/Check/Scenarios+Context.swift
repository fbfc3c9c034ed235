import AIODocuments
import AIOKernel
import Glibc

extension Scenarios {
    /// io_setup: nr_events around every limit, and ctxp in every bad shape.
    static let ioSetup: [Scenario] = [
        Scenario("io_setup.nr-1", "io_setup.success", ltp: ["io_setup01 #1", "io_setup02 #5"], [.subject(.setup("a", nrEvents: .count(1)))]),
        Scenario("io_setup.nr-0", "io_setup.nr-zero", [.subject(.setup("a", nrEvents: .count(0)))]),
        Scenario("io_setup.nr-negative", "io_setup.nr-negative", ltp: ["io_setup01 #3", "io_setup02 #3"], [.subject(.setup("a", nrEvents: .count(-1)))]),
        Scenario("io_setup.nr-int-max", "io_setup.nr-over-internal-limit",
                 [.subject(.setup("a", nrEvents: .count(Int(Int32.max))))]),
        // The kernel doubles nr_events before its internal check, so the
        // limit a caller meets is half the documented 0x10000000 / 32.
        Scenario("io_setup.nr-at-internal-limit", "io_setup.over-max-nr", precondition: {
            (AioLimits.aioMaxNr ?? 0) >= AioLimits.internalLimit
                ? "aio-max-nr is not below the internal limit, so this nr_events would be allowed" : nil
        }, [.subject(.setup("a", nrEvents: .count(AioLimits.internalLimit)))]),
        Scenario("io_setup.nr-internal-limit-plus-1", "io_setup.nr-over-internal-limit",
                 [.subject(.setup("a", nrEvents: .count(AioLimits.internalLimit + 1)))]),
        Scenario("io_setup.nr-documented-limit-plus-1", "io_setup.nr-over-internal-limit",
                 [.subject(.setup("a", nrEvents: .count(0x1000_0000 / 32 + 1)))]),
        Scenario("io_setup.nr-aio-max-nr", "io_setup.success", exclusive: true, precondition: {
            let nr = AioLimits.aioNr ?? -1
            return nr == 0 ? nil : "aio-nr is \(nr): other contexts hold events, so exactly aio-max-nr cannot fit"
        }, [.readAioNr, .subject(.setup("a", nrEvents: .aioMaxNr(plus: 0))), .background(.destroy("a")),
            .awaitAioNrBack(withinMs: 200), .endOfQuiet, .join(withinMs: 2000)]),
        Scenario("io_setup.nr-aio-max-nr-plus-1", "io_setup.over-max-nr", ltp: ["io_setup02 #4"],
                 [.subject(.setup("a", nrEvents: .aioMaxNr(plus: 1)))]),
        Scenario("io_setup.ctxp-nonzero", "io_setup.ctxp-nonzero", ltp: ["io_setup01 #2", "io_setup02 #2"], [.subject(.setup("a", preset: 1))]),
        Scenario("io_setup.ctxp-null", "io_setup.bad-ctxp", ltp: ["io_setup01 #4", "io_setup02 #1"], [.subject(.setup("a", ctxp: .null))]),
        Scenario("io_setup.ctxp-unmapped", "io_setup.bad-ctxp", [.subject(.setup("a", ctxp: .unmapped))]),
        // Readable, so the zero check passes; the handle cannot be written back.
        Scenario("io_setup.ctxp-read-only", "io_setup.bad-ctxp", [.subject(.setup("a", ctxp: .readOnly))]),
        // kapi's aio-nr claims, both halves in one run: the growth at setup and
        // the return at destroy. aio-nr is system-wide, so other processes
        // creating contexts meanwhile show up here too.
        Scenario("io_setup.aio-nr-accounting", "io_setup.success", exclusive: true, [
            .readAioNr, .subject(.setup("a", nrEvents: .count(1))), .readAioNr, .background(.destroy("a")),
            .awaitAioNrBack(withinMs: 200), .readAioNr, .endOfQuiet, .join(withinMs: 2000),
        ]),
    ]

    /// io_destroy: valid, invalid in every way, and with requests still in flight.
    static let ioDestroy: [Scenario] = [
        Scenario("io_destroy.valid", "io_destroy.success", [.setup("a"), .subject(.destroy("a"))]),
        Scenario("io_destroy.ctx-zero", "io_destroy.bad-ctx", [.subject(.destroy(.zero))]),
        Scenario("io_destroy.twice", "io_destroy.bad-ctx", isolate: .staleHandle, [.setup("a"), .destroy("a"), .subject(.destroy("a"))]),
        // fork() copies the ring's mapping but not the context: the child's mm has none.
        Scenario("io_destroy.ctx-from-parent-in-child", "io_destroy.bad-ctx",
                 [.setup("a"), .subject(.inForkedChild(.destroy("a")))]),
        Scenario("io_destroy.ctx-all-ones", "io_destroy.bad-ctx", ltp: ["io_destroy01", "io_destroy02"],
                 [.subject(.destroy(.allOnes))]),
        Scenario("io_destroy.garbage-unmapped", "io_destroy.garbage-handle", [.subject(.destroy(.unmapped))]),
        Scenario("io_destroy.garbage-readable", "io_destroy.garbage-handle", [.subject(.destroy(.readable))]),
        Scenario("io_destroy.pending-poll", "io_destroy.success",
                 fixtures: ["p": .pipe], iocbs: ["p1": .poll("p")],
                 [.setup("a"), .submit("a", ["p1"]), .subject(.destroy("a"))]),
        // io_submit holds a reference to the context while the read blocks;
        // the documents say the destroy waits for it, until a byte frees the
        // read. Whether it waited is judged from where the kernel says the two
        // threads sleep at the write and at the destroy's return, not from
        // durations. The byte comes late enough that a destroy that does not
        // wait would have returned: only after three idle contexts, b, c and d,
        // have been destroyed one after another while `a`'s destroy runs. Each
        // waits out a grace period begun after `a`'s, so a destroy of `a` that
        // did not wait for the read would have come back before the second of
        // them; the margin is counted in the kernel's own grace periods, and
        // grows with a slow machine as they do.
        Scenario("io_destroy.read-blocked-in-submit", "io_destroy.success",
                 fixtures: ["p": .pipe], iocbs: ["r1": .pread("p")], [
                    // Ordered after the submit has been entered, whatever the load:
                    // a destroy that overtook it would make it a different case.
                    .setup("a"), .setup("b"), .setup("c"), .setup("d"),
                    .background(.submit("a", ["r1"])), .awaitSleeping("r1"),
                    .background(.subject(.destroy("a"))), .awaitSleeping("a"),
                    .destroy("b"), .destroy("c"), .destroy("d"), .ready("p"),
                    .join(withinMs: 2000),
                 ]),
        // The second destroy starts while the first sleeps in the kernel, having
        // marked the context dead. The first cannot return before the byte that
        // frees a read asleep in io_submit, so the two overlap on any machine: a
        // grace period alone passed between two looks in a TCG guest.
        Scenario("io_destroy.concurrent", "io_destroy.concurrent",
                 fixtures: ["p": .pipe], iocbs: ["r1": .pread("p")], isolate: .staleHandle, [
                    .setup("a"), .background(.submit("a", ["r1"])), .awaitSleeping("r1"),
                    .background(.destroy("a")), .awaitSleeping("a"), .subject(.destroy("a")), .ready("p"),
                    .join(withinMs: 2000),
                 ]),
    ]
}
