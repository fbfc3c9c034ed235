import AIOKernel
import SystemPackage

extension Catalog {
    /// io_setup: the KAPI draft, io_setup(2), and libaio's io_queue_init(3),
    /// the page libaio has for creating a context.
    static let ioSetupSituations: [Situation] = [
        Situation("io_setup.success", .io_setup, "a valid nr_events and a zeroed *ctxp", [
            Claim(.kapi, .value(0), facts: [Fact.aioNrGrewByReserved: true, Fact.aioNrRestored: true],
                  "0; *ctxp holds the handle; aio-nr grows by the reserved amount (about nr_events * 2, at least 8 per CPU) and shrinks by the same on destroy",
                  ref: "KAPI io_setup, return and side effects"),
            Claim(.man2, .value(0), "0 on success", ref: "io_setup(2) RETURN VALUE"),
            Claim(.libaio, .value(0), "0 on success", ref: "io_queue_init(3) RETURN VALUES"),
        ]),
        Situation("io_setup.nr-zero", .io_setup, "nr_events is 0", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL", ref: "KAPI io_setup, error EINVAL"),
            Claim(.man2, .error(.invalidArgument), "EINVAL: nr_events should be greater than 0",
                  ref: "io_setup(2) ERRORS"),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: maxevents <= 0", ref: "io_queue_init(3) ERRORS"),
        ]),
        Situation("io_setup.nr-negative", .io_setup, "nr_events is negative (an unsigned int to the kernel)", [
            Claim(.man2, .error(.invalidArgument),
                  "EINVAL: nr_events should be greater than 0 (and as unsigned it exceeds internal limits)",
                  ref: "io_setup(2) ERRORS"),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: maxevents <= 0", ref: "io_queue_init(3) ERRORS"),
        ]),
        Situation("io_setup.nr-over-internal-limit", .io_setup,
                  "nr_events above the kernel's internal limit (about 0x10000000 / 32)", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL", ref: "KAPI io_setup, error EINVAL"),
            Claim(.man2, .error(.invalidArgument), "EINVAL: nr_events exceeds internal limits",
                  ref: "io_setup(2) ERRORS"),
        ]),
        Situation("io_setup.ctxp-nonzero", .io_setup, "*ctxp is not 0 before the call", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL", ref: "KAPI io_setup, error EINVAL"),
            Claim(.man2, .error(.invalidArgument), "EINVAL: ctx_idp is not initialized", ref: "io_setup(2) ERRORS"),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: ctx is an invalid memory location",
                  ref: "io_queue_init(3) ERRORS"),
        ]),
        Situation("io_setup.over-max-nr", .io_setup,
                  "nr_events beyond /proc/sys/fs/aio-max-nr, or the system total would pass it", [
            Claim(.kapi, .error(.resourceTemporarilyUnavailable), "EAGAIN", ref: "KAPI io_setup, error EAGAIN"),
            Claim(.man2, .error(.resourceTemporarilyUnavailable), "EAGAIN: nr_events exceeds the limit",
                  ref: "io_setup(2) ERRORS"),
            Claim(.libaio, .error(.resourceTemporarilyUnavailable), "EAGAIN: maxevents > max_aio_reqs",
                  ref: "io_queue_init(3) ERRORS"),
        ]),
        Situation("io_setup.bad-ctxp", .io_setup, "ctxp is not readable and writable", [
            Claim(.kapi, .error(.badAddress), "EFAULT", ref: "KAPI io_setup, error EFAULT"),
            Claim(.man2, .error(.badAddress), "EFAULT: an invalid pointer is passed for ctx_idp",
                  ref: "io_setup(2) ERRORS"),
            Claim(.libaio, .error(.badAddress), "EFAULT: referenced data outside the address space",
                  ref: "io_queue_init(3) ERRORS"),
        ]),
        Situation("io_setup.no-memory", .io_setup, "the kernel runs out of memory", [
            Claim(.kapi, .error(.noMemory), "ENOMEM", ref: "KAPI io_setup, error ENOMEM"),
            Claim(.man2, .error(.noMemory), "ENOMEM: insufficient kernel resources", ref: "io_setup(2) ERRORS"),
        ]),
        Situation("io_setup.fatal-signal", .io_setup, "a fatal signal arrives while the ring is mapped", [
            Claim(.kapi, .error(.interrupted), "EINTR (SIGKILL only)", ref: "KAPI io_setup, error EINTR"),
        ]),
        Situation("io_setup.no-aio", .io_setup, "the kernel was built without CONFIG_AIO", [
            Claim(.kapi, .error(.noFunction), "ENOSYS", ref: "KAPI io_setup, error ENOSYS"),
            Claim(.man2, .error(.noFunction), "ENOSYS: not implemented", ref: "io_setup(2) ERRORS"),
            Claim(.libaio, .error(.noFunction), "ENOSYS: not implemented", ref: "io_queue_init(3) ERRORS"),
        ]),
    ]

    /// io_destroy: the KAPI draft, io_destroy(2), and libaio's io_queue_release(3).
    static let ioDestroySituations: [Situation] = [
        Situation("io_destroy.success", .io_destroy, "a valid context", [
            Claim(.kapi, .value(0), "0; blocks until every in-flight request has completed",
                  ref: "KAPI io_destroy, return"),
            Claim(.man2, .value(0), "0 on success", ref: "io_destroy(2) RETURN VALUE"),
            Claim(.libaio, .value(0), "0 on success; may cancel outstanding AIOs and block on completion",
                  ref: "io_queue_release(3) DESCRIPTION, RETURN VALUES"),
        ]),
        Situation("io_destroy.bad-ctx", .io_destroy,
                  "the context is invalid: 0, never created, already destroyed, or another process's", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL", ref: "KAPI io_destroy, error EINVAL"),
            Claim(.man2, .error(.invalidArgument), "EINVAL: the AIO context specified by ctx_id is invalid",
                  ref: "io_destroy(2) ERRORS"),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: ctx refers to an uninitialized aio context",
                  ref: "io_queue_release(3) ERRORS"),
        ]),
        Situation("io_destroy.garbage-handle", .io_destroy,
                  "the handle points at memory that is not an AIO ring", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL (the draft says the man page's EFAULT cannot happen)",
                  ref: "KAPI io_destroy, error EINVAL"),
            Claim(.man2, .error(.badAddress), "EFAULT: the context pointed to is invalid", ref: "io_destroy(2) ERRORS"),
        ]),
        Situation("io_destroy.concurrent", .io_destroy, "a second thread destroys the same context", [
            Claim(.kapi, .error(.invalidArgument), "the second destroy gets EINVAL", ref: "KAPI io_destroy"),
        ]),
        Situation("io_destroy.no-aio", .io_destroy, "the kernel was built without CONFIG_AIO", [
            Claim(.kapi, .error(.noFunction), "ENOSYS", ref: "KAPI io_destroy, error ENOSYS"),
            Claim(.man2, .error(.noFunction), "ENOSYS: not implemented", ref: "io_destroy(2) ERRORS"),
            Claim(.libaio, .error(.noFunction), "ENOSYS: not implemented", ref: "io_queue_release(3) ERRORS"),
        ]),
    ]
}
