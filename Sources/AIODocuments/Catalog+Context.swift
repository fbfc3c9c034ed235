import AIOKernel
import SystemPackage

private func setup(_ kind: KAPIEntryKind, _ key: String, _ summary: String? = nil) -> Citation {
    .kapi("io_setup", kind, key, summary: summary)
}
private func destroy(_ kind: KAPIEntryKind, _ key: String, _ summary: String? = nil) -> Citation {
    .kapi("io_destroy", kind, key, summary: summary)
}
private func man2(_ page: String, _ heading: String, _ errno: String? = nil) -> Citation {
    .man(page, section: "2", heading: heading, errno: errno)
}
/// libaio's io_queue_init(3) and io_queue_release(3): the pages of the
/// wrappers, since libaio has no io_setup(3) or io_destroy(3).
private func libaio(_ page: String, _ heading: String, _ errno: String? = nil) -> Citation {
    .man(page, section: "3", heading: heading, errno: errno)
}

/// The io_setup draft's range for nr_events, and the kernel's own limit on it:
/// nr_events is doubled before the check against 0x10000000 / 32.
private let kapiRangeTop = 8_388_608
private let aioNrSideEffect = "aio_nr (global counter)"
/// The ctxp entry: "On success, receives the context handle"; a refused call
/// with a writable *ctxp leaves it as it was.
private let ctxpLeft = [Fact.ctxpWritten: false]
private let ctxpLeftCites = [Fact.ctxpWritten: [setup(.param, "ctxp")]]

extension Catalog {
    /// io_setup: the KAPI draft (RFC v5 05/15), io_setup(2), and libaio's
    /// io_queue_init(3), the page libaio has for creating a context.
    static let ioSetupSituations: [Situation] = [
        Situation("io_setup.success", .io_setup, "a valid nr_events and a zeroed *ctxp", [
            Claim(.kapi, .value(0), facts: [Fact.aioNrGrewByNrEvents: true, Fact.aioNrRestored: true,
                                            Fact.ctxpWritten: true, Fact.ringMapped: true],
                  factsCite: [
                    Fact.aioNrGrewByNrEvents: [setup(.sideEffect, aioNrSideEffect), setup(.stateTrans, "system AIO resources")],
                    Fact.aioNrRestored: [destroy(.sideEffect, aioNrSideEffect), destroy(.stateTrans, "system AIO resources")],
                    // "On success, *ctxp contains the new context handle"; "receives the context handle".
                    Fact.ctxpWritten: [setup(.return, "return"), setup(.param, "ctxp")],
                    // "Creates a new memory mapping (VMA) for the ring buffer in the process address space".
                    Fact.ringMapped: [setup(.sideEffect, "process virtual memory")],
                  ],
                  "0; *ctxp holds the handle; the ring is mapped into the process; aio-nr grows by nr_events (N to N + nr_events) and io_destroy takes the same back",
                  cites: [setup(.return, "return"), setup(.param, "nr_events")]),
            Claim(.man2, .value(0), facts: [Fact.ctxpWritten: true],
                  factsCite: [Fact.ctxpWritten: [man2("io_setup", "DESCRIPTION")]],
                  "0 on success; *ctx_idp is filled in with the handle", cites: [man2("io_setup", "RETURN VALUE")]),
            Claim(.libaio, .value(0), "0 on success (io_queue_init, the wrapper)",
                  cites: [libaio("io_queue_init", "RETURN VALUES")]),
        ]),
        Situation("io_setup.nr-zero", .io_setup, "nr_events is 0", [
            Claim(.kapi, .error(.invalidArgument), facts: ctxpLeft, factsCite: ctxpLeftCites, "EINVAL: nr_events is 0 (the range starts at 1)",
                  cites: [setup(.error, "EINVAL"), setup(.param, "nr_events")]),
            Claim(.man2, .error(.invalidArgument), "EINVAL: nr_events should be greater than 0",
                  cites: [man2("io_setup", "ERRORS", "EINVAL")]),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: maxevents <= 0 (io_queue_init)",
                  cites: [libaio("io_queue_init", "ERRORS", "EINVAL")]),
        ]),
        Situation("io_setup.nr-negative", .io_setup, "nr_events is negative (an unsigned int to the kernel)", [
            Claim(.kapi, .error(.invalidArgument), facts: ctxpLeft, factsCite: ctxpLeftCites,
                  "EINVAL: as an unsigned int it is past the range's 8388608 and overflows the ring size",
                  cites: [setup(.error, "EINVAL"), setup(.param, "nr_events")]),
            Claim(.man2, .error(.invalidArgument),
                  "EINVAL: nr_events should be greater than 0 (and as unsigned it exceeds internal limits)",
                  cites: [man2("io_setup", "ERRORS", "EINVAL")]),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: maxevents <= 0 (io_queue_init)",
                  cites: [libaio("io_queue_init", "ERRORS", "EINVAL")]),
        ]),
        Situation("io_setup.nr-over-internal-limit", .io_setup,
                  "nr_events above the kernel's internal limit (0x10000000 / 32 after doubling: above 4194304)", [
            // The draft's limit is the undoubled one: up to 8388608 nr_events is
            // in range, and above aio-max-nr that is its EAGAIN.
            Claim(.kapi, .error(.resourceTemporarilyUnavailable), facts: ctxpLeft, factsCite: ctxpLeftCites, when: .within("nr_events", 4_194_305...kapiRangeTop),
                  "EAGAIN: within the range 1..8388608 and below the EINVAL limit, but above aio-max-nr",
                  cites: [setup(.param, "nr_events"), setup(.error, "EAGAIN")]),
            Claim(.kapi, .error(.invalidArgument), facts: ctxpLeft, factsCite: ctxpLeftCites, when: .within("nr_events", (kapiRangeTop + 1)...Int.max),
                  "EINVAL: past the range's 8388608, too large for the ring size",
                  cites: [setup(.error, "EINVAL"), setup(.param, "nr_events")]),
            Claim(.man2, .error(.invalidArgument), "EINVAL: nr_events exceeds internal limits",
                  cites: [man2("io_setup", "ERRORS", "EINVAL")]),
            Claim(.libaio, .error(.resourceTemporarilyUnavailable),
                  "EAGAIN: maxevents > max_aio_reqs (aio-max-nr, which every such nr exceeds by default)",
                  cites: [libaio("io_queue_init", "ERRORS", "EAGAIN")]),
        ]),
        // io_queue_init(3) tells callers to zero *ctx but names no error for it.
        Situation("io_setup.ctxp-nonzero", .io_setup, "*ctxp is not 0 before the call", [
            Claim(.kapi, .error(.invalidArgument), facts: ctxpLeft, factsCite: ctxpLeftCites, "EINVAL: *ctxp is not initialized to 0",
                  cites: [setup(.error, "EINVAL"), setup(.param, "ctxp")]),
            Claim(.man2, .error(.invalidArgument), "EINVAL: ctx_idp is not initialized",
                  cites: [man2("io_setup", "ERRORS", "EINVAL")]),
        ]),
        Situation("io_setup.over-max-nr", .io_setup,
                  "nr_events beyond /proc/sys/fs/aio-max-nr, or the system total would pass it", [
            Claim(.kapi, .error(.resourceTemporarilyUnavailable), facts: ctxpLeft, factsCite: ctxpLeftCites, "EAGAIN: aio_nr + nr_events would pass aio_max_nr",
                  cites: [setup(.error, "EAGAIN"), setup(.constraint, "System-wide AIO limit (aio-max-nr)"),
                          setup(.param, "nr_events")]),
            Claim(.man2, .error(.resourceTemporarilyUnavailable), "EAGAIN: nr_events exceeds the limit",
                  cites: [man2("io_setup", "ERRORS", "EAGAIN")]),
            Claim(.libaio, .error(.resourceTemporarilyUnavailable), "EAGAIN: maxevents > max_aio_reqs (io_queue_init)",
                  cites: [libaio("io_queue_init", "ERRORS", "EAGAIN")]),
        ]),
        // io_queue_init(3)'s EFAULT line is about iocbs; for ctx it names EINVAL.
        Situation("io_setup.bad-ctxp", .io_setup, "ctxp is not readable and writable", [
            Claim(.kapi, .error(.badAddress), "EFAULT: ctxp cannot be read or written",
                  cites: [setup(.error, "EFAULT")]),
            Claim(.man2, .error(.badAddress), "EFAULT: an invalid pointer is passed for ctx_idp",
                  cites: [man2("io_setup", "ERRORS", "EFAULT")]),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: ctx is an invalid memory location (io_queue_init)",
                  cites: [libaio("io_queue_init", "ERRORS", "EINVAL")]),
        ]),
        Situation("io_setup.no-memory", .io_setup, "the kernel runs out of memory", [
            Claim(.kapi, .error(.noMemory), "ENOMEM",
                  cites: [setup(.error, "ENOMEM"), setup(.constraint, "Memory for ring buffer")]),
            Claim(.man2, .error(.noMemory), "ENOMEM: insufficient kernel resources",
                  cites: [man2("io_setup", "ERRORS", "ENOMEM")]),
        ]),
        Situation("io_setup.fatal-signal", .io_setup, "a fatal signal arrives while the ring is mapped", [
            Claim(.kapi, .error(.interrupted), "EINTR (SIGKILL only)",
                  cites: [setup(.error, "EINTR"), setup(.signal, "SIGKILL")]),
        ]),
        // The io_setup draft has no ENOSYS error entry; its constraint names it.
        Situation("io_setup.no-aio", .io_setup, "the kernel was built without CONFIG_AIO", [
            Claim(.kapi, .error(.noFunction), "ENOSYS", cites: [setup(.constraint, "CONFIG_AIO required")]),
            Claim(.man2, .error(.noFunction), "ENOSYS: not implemented", cites: [man2("io_setup", "ERRORS", "ENOSYS")]),
            Claim(.libaio, .error(.noFunction), "ENOSYS: not implemented (io_queue_init)",
                  cites: [libaio("io_queue_init", "ERRORS", "ENOSYS")]),
        ]),
    ]

    /// io_destroy: the KAPI draft (RFC v5 06/15), io_destroy(2), and libaio's io_queue_release(3).
    static let ioDestroySituations: [Situation] = [
        Situation("io_destroy.success", .io_destroy, "a valid context", [
            Claim(.kapi, .value(0), facts: [Fact.destroyWaited: true, Fact.ringUnmapped: true],
                  factsCite: [
                    // "block until all operations have completed"; "All outstanding I/O operations have completed".
                    Fact.destroyWaited: [destroy(.longDesc, "long-desc"), destroy(.return, "return")],
                    // "Unmaps the ring buffer from the process's address space via vm_munmap()".
                    Fact.ringUnmapped: [destroy(.sideEffect, "process virtual memory")],
                  ],
                  "0; blocks until every in-flight request has completed; the ring is unmapped",
                  cites: [destroy(.return, "return"), destroy(.longDesc, "long-desc")]),
            Claim(.man2, .value(0), facts: [Fact.destroyWaited: true],
                  factsCite: [Fact.destroyWaited: [man2("io_destroy", "DESCRIPTION")]],
                  "0 on success; blocks on the operations that could not be canceled",
                  cites: [man2("io_destroy", "DESCRIPTION"), man2("io_destroy", "RETURN VALUE")]),
            Claim(.libaio, .value(0), "0 on success; may cancel outstanding AIOs and block on completion",
                  cites: [libaio("io_queue_release", "DESCRIPTION"), libaio("io_queue_release", "RETURN VALUES")]),
        ]),
        Situation("io_destroy.bad-ctx", .io_destroy,
                  "the context is invalid: 0, never created, already destroyed, or another process's", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: invalid context (0, garbage, destroyed, another process's)",
                  cites: [destroy(.error, "EINVAL"), destroy(.param, "ctx"),
                          destroy(.constraint, "Context must belong to calling process")]),
            Claim(.man2, .error(.invalidArgument), "EINVAL: the AIO context specified by ctx_id is invalid",
                  cites: [man2("io_destroy", "ERRORS", "EINVAL")]),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: ctx refers to an uninitialized aio context",
                  cites: [libaio("io_queue_release", "ERRORS", "EINVAL")]),
        ]),
        Situation("io_destroy.garbage-handle", .io_destroy,
                  "the handle points at memory that is not an AIO ring", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL (the draft's notes: the man page's EFAULT cannot happen)",
                  cites: [destroy(.error, "EINVAL"), destroy(.notes, "notes")]),
            Claim(.man2, .error(.badAddress), "EFAULT: the context pointed to is invalid",
                  cites: [man2("io_destroy", "ERRORS", "EFAULT")]),
        ]),
        Situation("io_destroy.concurrent", .io_destroy, "a second thread destroys the same context", [
            Claim(.kapi, .error(.invalidArgument), "the second destroy gets EINVAL: the context is already marked dead",
                  cites: [destroy(.longDesc, "long-desc"), destroy(.sideEffect, "ctx->dead flag"),
                          destroy(.stateTrans, "AIO context state")]),
        ]),
        // The io_destroy draft has no ENOSYS error entry; its constraint names it.
        Situation("io_destroy.no-aio", .io_destroy, "the kernel was built without CONFIG_AIO", [
            Claim(.kapi, .error(.noFunction), "ENOSYS", cites: [destroy(.constraint, "CONFIG_AIO required")]),
            Claim(.man2, .error(.noFunction), "ENOSYS: not implemented",
                  cites: [man2("io_destroy", "ERRORS", "ENOSYS")]),
            Claim(.libaio, .error(.noFunction), "ENOSYS: not implemented (io_queue_release)",
                  cites: [libaio("io_queue_release", "ERRORS", "ENOSYS")]),
        ]),
    ]
}
