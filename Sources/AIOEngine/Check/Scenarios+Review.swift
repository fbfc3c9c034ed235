import AIODocuments
import AIOKernel
import CAio
import Glibc

extension Scenarios {
    static let rwfAppend: Int32 = 0x10
    static let rwfNoappend: Int32 = 0x20

    /// Provocations the catalog's newer situations need and the older tables
    /// lack: refusals the kapi drafts and the pages name, one each.
    static let forReview: [Scenario] = [
        // A regular file has no f_op->poll: vfs_poll answers the default mask,
        // which has no POLLPRI, so nothing is queued and the kernel refuses
        // the request as it would a file without POLL support.
        Scenario("io_submit.poll-pri-regular-file", "io_submit.poll-unsupported", fixtures: ["f": .cachedFile],
                 iocbs: ["p1": .poll("f").with { $0.buffer = .value(UInt64(POLLPRI)) }],
                 [.setup("a"), .subject(.submit("a", ["p1"]))]),
        Scenario("io_submit.rw-flags-append-noappend", "io_submit.rw-flags-conflict", fixtures: ["w": .writeOnlyFile],
                 iocbs: ["w1": .pwrite("w").with { $0.rwFlags = rwfAppend | rwfNoappend }],
                 [.setup("a"), .subject(.submit("a", ["w1"])), .reap("a", count: 1, withinMs: 100)]),
        // The top of the io_setup draft's nr_events range, 1..8388608.
        Scenario("io_setup.nr-kapi-range-top", "io_setup.nr-over-internal-limit",
                 [.subject(.setup("a", nrEvents: .count(8_388_608)))]),
        // The io_submit draft: the kernel writes KIOCB_KEY (0) into aio_key of
        // each iocb it queues. A nonzero key before the call makes it visible.
        Scenario("io_submit.key-nonzero-written-back", "io_submit.success", fixtures: ["f": .cachedFile],
                 iocbs: ["r1": .pread("f").with { $0.key = 0x5A }],
                 [.setup("a"), .subject(.submit("a", ["r1"])), .reap("a", count: 1, withinMs: 100)]),
        Scenario("io_submit.pread-offset-negative", "io_submit.bad-offset", fixtures: ["f": .cachedFile],
                 iocbs: ["r": .pread("f").with { $0.offset = -1 }],
                 [.setup("a"), .subject(.submit("a", ["r"])), .reap("a", count: 1, withinMs: 100)]),
    ]
}
