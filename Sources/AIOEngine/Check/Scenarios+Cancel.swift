import AIODocuments
import AIOKernel
extension Scenarios {
    /// io_cancel: what can be cancelled, what cannot, and every bad argument.
    /// Each cancel of a submitted request is followed by a reap, so the
    /// report shows whether the event came through the ring.
    static let ioCancel: [Scenario] = [
        Scenario("io_cancel.pending-poll-pipe", "io_cancel.pending-poll", fixtures: ["p": .pipe],
                 iocbs: ["p1": .poll("p")],
                 [.setup("a"), .submit("a", ["p1"]), .subject(.cancel("a", "p1")), .reap("a", count: 1, withinMs: 200)]),
        Scenario("io_cancel.pending-poll-socketpair", "io_cancel.pending-poll", fixtures: ["s": .socketpair],
                 iocbs: ["p1": .poll("s")],
                 [.setup("a"), .submit("a", ["p1"]), .subject(.cancel("a", "p1")), .reap("a", count: 1, withinMs: 200)]),
        Scenario("io_cancel.pending-poll-eventfd", "io_cancel.pending-poll", fixtures: ["e": .eventfd],
                 iocbs: ["p1": .poll("e")],
                 [.setup("a"), .submit("a", ["p1"]), .subject(.cancel("a", "p1")), .reap("a", count: 1, withinMs: 200)]),
        // The pages say the event is copied to *result: with NULL there is nowhere to copy it.
        Scenario("io_cancel.pending-poll-result-null", "io_cancel.pending-poll", fixtures: ["p": .pipe],
                 iocbs: ["p1": .poll("p")], [
                    .setup("a"), .submit("a", ["p1"]), .subject(.cancel("a", "p1", result: .null)),
                    .reap("a", count: 1, withinMs: 200),
                 ]),
        Scenario("io_cancel.pending-poll-result-unmapped", "io_cancel.pending-poll", fixtures: ["p": .pipe],
                 iocbs: ["p1": .poll("p")], [
                    .setup("a"), .submit("a", ["p1"]), .subject(.cancel("a", "p1", result: .unmapped)),
                    .reap("a", count: 1, withinMs: 200),
                 ]),
        Scenario("io_cancel.same-iocb-twice", "io_cancel.cancelled-twice", fixtures: ["p": .pipe],
                 iocbs: ["p1": .poll("p")], [
                    .setup("a"), .submit("a", ["p1"]), .cancel("a", "p1"), .subject(.cancel("a", "p1")),
                    .reap("a", count: 1, withinMs: 200),
                 ]),
        // A poll on a readable pipe completes inside io_submit.
        Scenario("io_cancel.completed-poll", "io_cancel.completed", fixtures: ["p": .pipe], iocbs: ["p1": .poll("p")],
                 [.setup("a"), .ready("p"), .submit("a", ["p1"]), .subject(.cancel("a", "p1")),
                  .reap("a", count: 1, withinMs: 200)]),
        // A buffered read of cached pages completes inside io_submit.
        Scenario("io_cancel.completed-pread", "io_cancel.completed", fixtures: ["f": .cachedFile],
                 iocbs: ["r1": .pread("f")],
                 [.setup("a"), .submit("a", ["r1"]), .subject(.cancel("a", "r1")), .reap("a", count: 1, withinMs: 200)]),
        Scenario("io_cancel.completed-poll-reaped", "io_cancel.completed", fixtures: ["p": .pipe],
                 iocbs: ["p1": .poll("p")],
                 [.setup("a"), .ready("p"), .submit("a", ["p1"]), .reap("a", count: 1, withinMs: 200),
                  .subject(.cancel("a", "p1"))]),
        // A read of an empty pipe blocks inside io_submit on its own thread;
        // a byte frees it after the cancel, so nothing hangs.
        Scenario("io_cancel.pread-blocked-in-submit", "io_cancel.blocked-in-submit", fixtures: ["p": .pipe],
                 iocbs: ["r1": .pread("p")], [
                    .setup("a"), .background(.submit("a", ["r1"])), .awaitSleeping("r1"),
                    .subject(.cancel("a", "r1")), .ready("p"), .join(withinMs: 2000),
                    .reap("a", count: 1, withinMs: 200),
                 ]),
        Scenario("io_cancel.never-submitted", "io_cancel.never-submitted", fixtures: ["p": .pipe],
                 iocbs: ["p1": .poll("p")], [.setup("a"), .subject(.cancel("a", "p1"))]),
        Scenario("io_cancel.key-nonzero", "io_cancel.key-nonzero", fixtures: ["p": .pipe],
                 iocbs: ["p1": .poll("p").with { $0.key = 1 }], [.setup("a"), .subject(.cancel("a", "p1"))]),
        Scenario("io_cancel.iocb-null", "io_cancel.bad-iocb", [.setup("a"), .subject(.cancel("a", .null))]),
        // LTP's case exactly: no context at all, and NULL for both pointers.
        Scenario("io_cancel.ctx-zero-iocb-null", "io_cancel.bad-iocb", ltp: ["io_cancel01", "io_cancel02"],
                 [.subject(.cancel(.zero, .null, result: .null))]),
        Scenario("io_cancel.iocb-unmapped", "io_cancel.bad-iocb", [.setup("a"), .subject(.cancel("a", .unmapped))]),
        Scenario("io_cancel.ctx-zero", "io_cancel.bad-ctx", fixtures: ["p": .pipe], iocbs: ["p1": .poll("p")],
                 [.setup("a"), .submit("a", ["p1"]), .subject(.cancel(.zero, "p1"))]),
        Scenario("io_cancel.ctx-destroyed", "io_cancel.bad-ctx", fixtures: ["p": .pipe], iocbs: ["p1": .poll("p")],
                 isolate: .staleHandle,
                 [.setup("a"), .submit("a", ["p1"]), .destroy("a"), .subject(.cancel("a", "p1"))]),
        Scenario("io_cancel.ctx-from-parent-in-child", "io_cancel.bad-ctx", fixtures: ["p": .pipe],
                 iocbs: ["p1": .poll("p")],
                 [.setup("a"), .submit("a", ["p1"]), .subject(.inForkedChild(.cancel("a", "p1")))]),
        Scenario("io_cancel.ctx-garbage", "io_cancel.bad-ctx", fixtures: ["p": .pipe], iocbs: ["p1": .poll("p")],
                 [.setup("a"), .submit("a", ["p1"]), .subject(.cancel(.readable, "p1"))]),
        Scenario("io_cancel.other-ctx", "io_cancel.other-ctx", fixtures: ["p": .pipe], iocbs: ["p1": .poll("p")],
                 [.setup("a"), .setup("b"), .submit("a", ["p1"]), .subject(.cancel("b", "p1"))]),
    ]
}
