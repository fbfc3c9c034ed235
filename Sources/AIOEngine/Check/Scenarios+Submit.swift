import AIODocuments
import AIOKernel
import CAio
import Glibc

extension Scenarios {
    static let rwfHipri: Int32 = 0x1
    static let rwfNowait: Int32 = 0x8
    static let unknownRWFlag: Int32 = 1 << 30
    static let ioprioClassShift = 13

    /// Requests that pend on an empty pipe, for filling a ring.
    static let fillers: [String: IocbSpec] =
        Dictionary(uniqueKeysWithValues: (0..<300).map { ("q\($0)", IocbSpec.poll("p")) })
    static let fillerList: IocbArray = .list((0..<300).map { .named("q\($0)") })

    /// io_submit: the batch, the context, and every iocb field.
    static let ioSubmit: [Scenario] = [
        Scenario("io_submit.nr-0", "io_submit.nr-zero", ltp: ["io_submit01 #9", "io_submit02 #2"],
                 [.setup("a"), .subject(.submit("a", .null, nr: 0))]),
        Scenario("io_submit.nr-negative", "io_submit.nr-negative", fixtures: ["p": .pipe], iocbs: ["p1": .poll("p")],
                 ltp: ["io_submit01 #2", "io_submit03 #2"],
                 [.setup("a"), .subject(.submit("a", ["p1"], nr: -1))]),
        Scenario("io_submit.ctx-zero", "io_submit.bad-ctx", fixtures: ["p": .pipe], iocbs: ["p1": .poll("p")],
                 ltp: ["io_submit01 #1", "io_submit03 #1"],
                 [.subject(.submit(.zero, ["p1"]))]),
        Scenario("io_submit.ctx-destroyed", "io_submit.bad-ctx", fixtures: ["p": .pipe], iocbs: ["p1": .poll("p")],
                 isolate: .staleHandle,
                 [.setup("a"), .destroy("a"), .subject(.submit("a", ["p1"]))]),
        Scenario("io_submit.ctx-from-parent-in-child", "io_submit.bad-ctx", fixtures: ["p": .pipe],
                 iocbs: ["p1": .poll("p")],
                 [.setup("a"), .subject(.inForkedChild(.submit("a", ["p1"])))]),
        Scenario("io_submit.ctx-garbage", "io_submit.bad-ctx", fixtures: ["p": .pipe], iocbs: ["p1": .poll("p")],
                 [.subject(.submit(.readable, ["p1"]))]),
        Scenario("io_submit.iocbpp-null", "io_submit.bad-address", [.setup("a"), .subject(.submit("a", .null))]),
        Scenario("io_submit.iocbpp-all-ones", "io_submit.bad-address", ltp: ["io_submit01 #3", "io_submit03 #3"],
                 [.setup("a"), .subject(.submit("a", .allOnes))]),
        Scenario("io_submit.iocbpp-unmapped", "io_submit.bad-address",
                 [.setup("a"), .subject(.submit("a", .unmapped))]),
        Scenario("io_submit.iocbpp-holds-null", "io_submit.bad-address",
                 ltp: ["io_submit01 #4", "io_submit03 #4"], [.setup("a"), .subject(.submit("a", [.null]))]),
        Scenario("io_submit.iocb-unmapped", "io_submit.bad-address",
                 [.setup("a"), .subject(.submit("a", [.unmapped]))]),
        Scenario("io_submit.unknown-opcode", "io_submit.bad-iocb", fixtures: ["p": .pipe],
                 iocbs: ["x": .poll("p").with { $0.opcode = 99; $0.buffer = .own; $0.nbytes = 16 }],
                 [.setup("a"), .subject(.submit("a", ["x"]))]),
        Scenario("io_submit.noop", "io_submit.noop", fixtures: ["p": .pipe],
                 iocbs: ["n": .poll("p").with { $0.opcode = UInt16(CAIO_CMD_NOOP); $0.buffer = .null }],
                 [.setup("a"), .subject(.submit("a", ["n"]))]),
        Scenario("io_submit.reserved2-set", "io_submit.bad-iocb", fixtures: ["f": .cachedFile],
                 iocbs: ["r": .pread("f").with { $0.reserved2 = 1 }],
                 [.setup("a"), .subject(.submit("a", ["r"]))]),
        Scenario("io_submit.fd-minus-1", "io_submit.bad-fd", iocbs: ["r": .pread(.raw(-1))],
                 ltp: ["io_submit01 #5", "io_submit03 #5"],
                 [.setup("a"), .subject(.submit("a", ["r"]))]),
        Scenario("io_submit.fd-closed", "io_submit.bad-fd", fixtures: ["c": .closedFD], iocbs: ["r": .pread("c")],
                 [.setup("a"), .subject(.submit("a", ["r"]))]),
        Scenario("io_submit.pread-write-only-fd", "io_submit.wrong-mode", fixtures: ["w": .writeOnlyFile],
                 iocbs: ["r": .pread("w")], ltp: ["io_submit01 #7", "io_submit03 #7"],
                 [.setup("a"), .subject(.submit("a", ["r"]))]),
        Scenario("io_submit.pwrite-read-only-fd", "io_submit.wrong-mode", fixtures: ["f": .cachedFile],
                 iocbs: ["w": .pwrite("f")], ltp: ["io_submit01 #6", "io_submit03 #6"],
                 [.setup("a"), .subject(.submit("a", ["w"]))]),
        Scenario("io_submit.pread-directory", "io_submit.op-unsupported", fixtures: ["d": .directory],
                 iocbs: ["r": .pread("d")], [.setup("a"), .subject(.submit("a", ["r"]))]),
        Scenario("io_submit.pread-cached-file", "io_submit.success", fixtures: ["f": .cachedFile],
                 iocbs: ["r": .pread("f")],
                 [.setup("a"), .subject(.submit("a", ["r"])), .reap("a", count: 1, withinMs: 500)]),
        Scenario("io_submit.pread-zero-length", "io_submit.success", fixtures: ["f": .cachedFile],
                 iocbs: ["r": .pread("f", length: 0)], ltp: ["io_submit01 #8", "io_submit02 #1"],
                 [.setup("a"), .subject(.submit("a", ["r"])), .reap("a", count: 1, withinMs: 500)]),
        // access_ok passes for any user address; the copy fails later.
        Scenario("io_submit.pread-unmapped-buffer", "io_submit.bad-address", fixtures: ["f": .cachedFile],
                 iocbs: ["r": .pread("f", buffer: .unmapped)],
                 [.setup("a"), .subject(.submit("a", ["r"])), .reap("a", count: 1, withinMs: 500)]),
        Scenario("io_submit.pread-null-buffer", "io_submit.bad-address", fixtures: ["f": .cachedFile],
                 iocbs: ["r": .pread("f", buffer: .null)],
                 [.setup("a"), .subject(.submit("a", ["r"])), .reap("a", count: 1, withinMs: 500)]),
        Scenario("io_submit.pread-offset-overflow", "io_submit.overflow", fixtures: ["f": .cachedFile],
                 iocbs: ["r": .pread("f").with { $0.offset = Int64.max - 10 }],
                 [.setup("a"), .subject(.submit("a", ["r"])), .reap("a", count: 1, withinMs: 100)]),
        Scenario("io_submit.poll-offset", "io_submit.bad-iocb", fixtures: ["p": .pipe],
                 iocbs: ["p1": .poll("p").with { $0.offset = 1 }], [.setup("a"), .subject(.submit("a", ["p1"]))]),
        Scenario("io_submit.poll-length", "io_submit.bad-iocb", fixtures: ["p": .pipe],
                 iocbs: ["p1": .poll("p").with { $0.nbytes = 1 }], [.setup("a"), .subject(.submit("a", ["p1"]))]),
        Scenario("io_submit.poll-rw-flags", "io_submit.bad-iocb", fixtures: ["p": .pipe],
                 iocbs: ["p1": .poll("p").with { $0.rwFlags = rwfHipri }], [.setup("a"), .subject(.submit("a", ["p1"]))]),
        Scenario("io_submit.poll-pipe", "io_submit.success", fixtures: ["p": .pipe], iocbs: ["p1": .poll("p")],
                 [.setup("a"), .subject(.submit("a", ["p1"]))]),
        Scenario("io_submit.poll-eventfd", "io_submit.success", fixtures: ["e": .eventfd], iocbs: ["p1": .poll("e")],
                 [.setup("a"), .subject(.submit("a", ["p1"]))]),
        Scenario("io_submit.poll-socketpair", "io_submit.success", fixtures: ["s": .socketpair],
                 iocbs: ["p1": .poll("s")], [.setup("a"), .subject(.submit("a", ["p1"]))]),
        Scenario("io_submit.poll-regular-file", "io_submit.success", fixtures: ["f": .cachedFile],
                 iocbs: ["p1": .poll("f")],
                 [.setup("a"), .subject(.submit("a", ["p1"])), .reap("a", count: 1, withinMs: 500)]),
        Scenario("io_submit.nowait-empty-pipe", "io_submit.nowait-would-block", fixtures: ["p": .pipe],
                 iocbs: ["r": .pread("p").with { $0.rwFlags = rwfNowait }], ltp: ["io_submit04"],
                 [.setup("a"), .subject(.submit("a", ["r"])), .reap("a", count: 1, withinMs: 500)]),
        Scenario("io_submit.unknown-rw-flag", "io_submit.rw-flags-unsupported", fixtures: ["f": .cachedFile],
                 iocbs: ["r": .pread("f").with { $0.rwFlags = unknownRWFlag }],
                 [.setup("a"), .subject(.submit("a", ["r"])), .reap("a", count: 1, withinMs: 100)]),
        Scenario("io_submit.resfd-not-eventfd", "io_submit.resfd-not-eventfd", fixtures: ["f": .cachedFile, "p": .pipe],
                 iocbs: ["r": .pread("f").with { $0.flags = UInt32(CAIO_FLAG_RESFD); $0.resfd = "p" }],
                 [.setup("a"), .subject(.submit("a", ["r"])), .reap("a", count: 1, withinMs: 100)]),
        Scenario("io_submit.resfd-closed", "io_submit.bad-fd", fixtures: ["f": .cachedFile, "c": .closedFD],
                 iocbs: ["r": .pread("f").with { $0.flags = UInt32(CAIO_FLAG_RESFD); $0.resfd = "c" }],
                 [.setup("a"), .subject(.submit("a", ["r"])), .reap("a", count: 1, withinMs: 100)]),
        Scenario("io_submit.resfd-eventfd", "io_submit.success", fixtures: ["f": .cachedFile, "e": .eventfd],
                 iocbs: ["r": .pread("f").with { $0.flags = UInt32(CAIO_FLAG_RESFD); $0.resfd = "e" }],
                 [.setup("a"), .subject(.submit("a", ["r"])), .reap("a", count: 1, withinMs: 500)]),
        Scenario("io_submit.ioprio-bad-class", "io_submit.bad-ioprio", fixtures: ["f": .cachedFile],
                 iocbs: ["r": .pread("f").with {
                     $0.flags = UInt32(CAIO_FLAG_IOPRIO); $0.reqprio = Int16(truncatingIfNeeded: 7 << ioprioClassShift)
                 }],
                 [.setup("a"), .subject(.submit("a", ["r"])), .reap("a", count: 1, withinMs: 100)]),
        Scenario("io_submit.ioprio-rt-unprivileged", "io_submit.rt-priority", fixtures: ["f": .cachedFile],
                 iocbs: ["r": .pread("f").with {
                     $0.flags = UInt32(CAIO_FLAG_IOPRIO); $0.reqprio = Int16(1 << ioprioClassShift)
                 }],
                 precondition: {
                     Capabilities.effectiveHas(21) || Capabilities.effectiveHas(23)
                         ? "aioctl runs with CAP_SYS_ADMIN or CAP_SYS_NICE; the EPERM case needs a caller without both"
                         : nil
                 },
                 [.setup("a"), .subject(.submit("a", ["r"])), .reap("a", count: 1, withinMs: 100)]),
        Scenario("io_submit.ring-full", "io_submit.ring-full", fixtures: ["p": .pipe],
                 iocbs: fillers.merging(["extra": .poll("p")]) { a, _ in a },
                 [.setup("a", nrEvents: .count(1)), .fill("a", fillerList), .subject(.submit("a", ["extra"]))]),
        Scenario("io_submit.third-iocb-bad", "io_submit.later-iocb-bad", fixtures: ["p": .pipe],
                 iocbs: ["p1": .poll("p"), "p2": .poll("p"), "x": .poll("p").with { $0.opcode = 99 }],
                 [.setup("a"), .subject(.submit("a", ["p1", "p2", "x"]))]),
    ]
}

/// The effective capability set of the calling thread (capabilities are per
/// thread: the step language's `without` drops some for one call), from
/// /proc/thread-self/status.
enum Capabilities {
    static func effectiveHas(_ bit: Int) -> Bool {
        guard let field = SystemInfo.statusField("CapEff", thread: true), let mask = UInt64(field, radix: 16) else { return false }
        return mask & (1 << UInt64(bit)) != 0
    }
}
