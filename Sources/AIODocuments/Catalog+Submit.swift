import AIOKernel
import SystemPackage

private func kapi(_ kind: KAPIEntryKind, _ key: String) -> Citation { .kapi("io_submit", kind, key) }
private func man2(_ heading: String, _ errno: String? = nil) -> Citation {
    .man("io_submit", section: "2", heading: heading, errno: errno)
}
private func libaio(_ heading: String, _ errno: String? = nil) -> Citation {
    .man("io_submit", section: "3", heading: heading, errno: errno)
}

extension Catalog {
    /// io_submit: the KAPI draft (RFC v5 07/15), io_submit(2) and io_submit(3).
    /// Both pages' EINVAL for "an improperly initialized iocb" names no field:
    /// it is their word for every malformed iocb the kernel refuses.
    static let ioSubmitSituations: [Situation] = [
        Situation("io_submit.success", .io_submit, "every iocb in the batch is valid", [
            Claim(.kapi, .equalsArgument("nr"), facts: [Fact.aioKeyWritten: true],
                  factsCite: [Fact.aioKeyWritten: [kapi(.sideEffect, "iocb->aio_key field"), kapi(.stateTrans, "iocb state")]],
                  "the number of iocbs submitted; each one's aio_key set to KIOCB_KEY (0)",
                  cites: [kapi(.return, "return"), kapi(.param, "nr")]),
            Claim(.man2, .equalsArgument("nr"), "the number of iocbs submitted", cites: [man2("RETURN VALUE")]),
            Claim(.libaio, .equalsArgument("nr"), "the number of iocbs submitted successfully",
                  cites: [libaio("DESCRIPTION")]),
        ]),
        Situation("io_submit.nr-zero", .io_submit, "nr is 0", [
            Claim(.kapi, .value(0), "0: returns immediately", cites: [kapi(.return, "return"), kapi(.param, "nr")]),
            Claim(.man2, .value(0), "0 if nr is zero", cites: [man2("RETURN VALUE")]),
        ]),
        Situation("io_submit.bad-ctx", .io_submit, "the context is invalid", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: ctx_id is invalid",
                  cites: [kapi(.error, "EINVAL"), kapi(.param, "ctx_id")]),
            Claim(.man2, .error(.invalidArgument), "EINVAL: ctx_id is invalid", cites: [man2("ERRORS", "EINVAL")]),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: ctx refers to an uninitialized aio context",
                  cites: [libaio("ERRORS", "EINVAL")]),
        ]),
        Situation("io_submit.nr-negative", .io_submit, "nr is negative", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: nr is negative",
                  cites: [kapi(.error, "EINVAL"), kapi(.param, "nr")]),
            Claim(.man2, .error(.invalidArgument), "EINVAL: nr is less than 0", cites: [man2("ERRORS", "EINVAL")]),
        ]),
        Situation("io_submit.bad-iocb", .io_submit,
                  "the first iocb is malformed: reserved field, opcode, flags, POLL fields, FSYNC with buffer, length or offset", [
            Claim(.kapi, .error(.invalidArgument),
                  "EINVAL: aio_reserved2 set, invalid opcode, or invalid POLL/FSYNC parameters",
                  cites: [kapi(.error, "EINVAL")]),
            Claim(.man2, .error(.invalidArgument), "EINVAL: the iocb is not properly initialized",
                  cites: [man2("ERRORS", "EINVAL")]),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: an improperly initialized iocb",
                  cites: [libaio("ERRORS", "EINVAL")]),
        ]),
        Situation("io_submit.op-unsupported", .io_submit,
                  "the file does not support the requested operation (a read of a directory, FSYNC on a pipe)", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: the file lacks the required operation",
                  cites: [kapi(.error, "EINVAL"), kapi(.constraint, "File must support operation")]),
            Claim(.man2, .error(.invalidArgument), "EINVAL: the operation is invalid for the file descriptor",
                  cites: [man2("ERRORS", "EINVAL")]),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: the file does not support the given io operation",
                  cites: [libaio("ERRORS", "EINVAL")]),
        ]),
        Situation("io_submit.poll-unsupported", .io_submit,
                  "IOCB_CMD_POLL on a file whose f_op has no poll (the kernel treats it as no POLL support)", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: for poll, the file must support vfs_poll()",
                  cites: [kapi(.error, "EINVAL"), kapi(.constraint, "File must support operation")]),
            Claim(.man2, .error(.invalidArgument), "EINVAL: the operation is invalid for the file descriptor",
                  cites: [man2("ERRORS", "EINVAL")]),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: the file does not support the given io operation",
                  cites: [libaio("ERRORS", "EINVAL")]),
        ]),
        Situation("io_submit.rw-flags-conflict", .io_submit, "RWF_APPEND together with RWF_NOAPPEND", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: conflicting aio_rw_flags", cites: [kapi(.error, "EINVAL")]),
            Claim(.man2, .error(.invalidArgument),
                  "EINVAL: the iocb is not properly initialized (the page knows RWF_APPEND, not RWF_NOAPPEND)",
                  cites: [man2("ERRORS", "EINVAL")]),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: an improperly initialized iocb",
                  cites: [libaio("ERRORS", "EINVAL")]),
        ]),
        // kapi names no check of the offset's sign: its EOVERFLOW is about offset + length.
        Situation("io_submit.bad-offset", .io_submit, "a negative aio_offset", [
            Claim(.man2, .error(.invalidArgument), "EINVAL: the iocb is not properly initialized",
                  cites: [man2("ERRORS", "EINVAL")]),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: an improperly initialized iocb",
                  cites: [libaio("ERRORS", "EINVAL")]),
        ]),
        Situation("io_submit.bad-address", .io_submit,
                  "iocbpp, an iocb pointer, the iocb, its buffer (a kernel address included) or a PREADV iovec is unreadable", [
            Claim(.kapi, .error(.badAddress), "EFAULT: iocbpp, an iocb pointer, the iocb or aio_buf is invalid",
                  cites: [kapi(.error, "EFAULT")]),
            Claim(.man2, .error(.badAddress), "EFAULT: one of the data structures points to invalid data",
                  cites: [man2("ERRORS", "EFAULT")]),
            Claim(.libaio, .error(.badAddress), "EFAULT: referenced data outside the address space",
                  cites: [libaio("ERRORS", "EFAULT")]),
        ]),
        Situation("io_submit.bad-fd", .io_submit, "aio_fildes or aio_resfd is not an open descriptor", [
            Claim(.kapi, .error(.badFileDescriptor), "EBADF: aio_fildes or aio_resfd is not open",
                  cites: [kapi(.error, "EBADF")]),
            Claim(.man2, .error(.badFileDescriptor), "EBADF: the file descriptor of the first iocb is invalid",
                  cites: [man2("ERRORS", "EBADF")]),
            Claim(.libaio, .error(.badFileDescriptor), "EBADF: the iocb's file descriptor does not exist",
                  cites: [libaio("ERRORS", "EBADF")]),
        ]),
        Situation("io_submit.ring-full", .io_submit, "no free slot is left in the completion ring", [
            Claim(.kapi, .error(.resourceTemporarilyUnavailable), "EAGAIN: no slot in the completion ring",
                  cites: [kapi(.error, "EAGAIN"), kapi(.constraint, "Ring buffer slot availability"),
                          kapi(.stateTrans, "AIO context slot availability"),
                          kapi(.sideEffect, "AIO context request counters")]),
            Claim(.man2, .error(.resourceTemporarilyUnavailable), "EAGAIN: insufficient resources",
                  cites: [man2("ERRORS", "EAGAIN")]),
        ]),
        Situation("io_submit.rt-priority", .io_submit, "IOPRIO_CLASS_RT without CAP_SYS_ADMIN or CAP_SYS_NICE", [
            Claim(.kapi, .error(.notPermitted), "EPERM: RT priority without CAP_SYS_ADMIN or CAP_SYS_NICE",
                  cites: [kapi(.error, "EPERM"), kapi(.capability, "CAP_SYS_ADMIN"), kapi(.capability, "CAP_SYS_NICE")]),
            Claim(.man2, .error(.notPermitted), "EPERM: RT priority without CAP_SYS_ADMIN",
                  cites: [man2("ERRORS", "EPERM")]),
        ]),
        Situation("io_submit.rw-flags-unsupported", .io_submit,
                  "unsupported aio_rw_flags, RWF_NOWAIT without nowait support, or RWF_ATOMIC on a read", [
            Claim(.kapi, .error(.notSupported), "EOPNOTSUPP", cites: [kapi(.error, "EOPNOTSUPP")]),
        ]),
        Situation("io_submit.noop", .io_submit, "an iocb with opcode IOCB_CMD_NOOP", [
            Claim(.kapi, .equalsArgument("nr"), "NOOP is a supported opcode (\"useful for testing\")",
                  cites: [kapi(.longDesc, "long-desc")]),
            Claim(.man2, .equalsArgument("nr"), "IOCB_CMD_NOOP is one of the valid aio_lio_opcode values",
                  cites: [man2("DESCRIPTION")]),
            Claim(.libaio, .equalsArgument("nr"), "an IO_CMD_NOP element is simply ignored",
                  cites: [libaio("DESCRIPTION")]),
        ]),
        Situation("io_submit.bad-ioprio", .io_submit, "IOCB_FLAG_IOPRIO with an invalid priority class in aio_reqprio", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: invalid aio_reqprio class", cites: [kapi(.error, "EINVAL")]),
            Claim(.man2, .error(.invalidArgument), "EINVAL: the value in the aio_reqprio field is invalid",
                  cites: [man2("ERRORS", "EINVAL")]),
        ]),
        Situation("io_submit.wrong-mode", .io_submit,
                  "the descriptor is open, but without the mode the operation needs (read on O_WRONLY, write on O_RDONLY)", [
            Claim(.kapi, .error(.badFileDescriptor), "EBADF: the file was opened without the needed mode",
                  cites: [kapi(.error, "EBADF"), kapi(.constraint, "Valid file descriptor per iocb")]),
        ]),
        Situation("io_submit.resfd-not-eventfd", .io_submit, "IOCB_FLAG_RESFD with an aio_resfd that is not an eventfd", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: aio_resfd is not an eventfd", cites: [kapi(.error, "EINVAL")]),
        ]),
        Situation("io_submit.later-iocb-bad", .io_submit, "a batch of three whose third iocb is bad", [
            Claim(.kapi, .value(2), "submission stops at the bad iocb and returns the count before it: 2",
                  cites: [kapi(.longDesc, "long-desc"), kapi(.return, "return")]),
            Claim(.man2, .countUpTo(argument: "nr"), "the number of iocbs submitted, which may be less than nr",
                  cites: [man2("RETURN VALUE")]),
        ]),
        Situation("io_submit.nowait-would-block", .io_submit,
                  "RWF_NOWAIT on a read that would block (an empty pipe)", [
            Claim(.kapi, .equalsArgument("nr"), "queued; per-request errors arrive in io_event.res, not in the return",
                  cites: [kapi(.notes, "notes")]),
            Claim(.man2, .equalsArgument("nr"), facts: [Fact.eventRes(.resourceTemporarilyUnavailable): true],
                  "the control block is returned at once with -EAGAIN in the event's res",
                  cites: [man2("DESCRIPTION")]),
        ]),
        Situation("io_submit.overflow", .io_submit, "offset plus length overflows", [
            Claim(.kapi, .error(.overflow), "EOVERFLOW: aio_offset plus aio_nbytes would overflow",
                  cites: [kapi(.error, "EOVERFLOW")]),
        ]),
    ]

    /// io_getevents and io_pgetevents: no KAPI draft; io_getevents(2), which
    /// is not about io_pgetevents (man-pages 6.03 has no page for it), and
    /// io_getevents(3), which documents both.
    static let ioGeteventsSituations: [Situation] = [
        Situation("io_getevents.events", .io_getevents, "events are available or arrive before the timeout", [
            Claim(.man2, .countUpTo(argument: "nr"), "the number of events read, 0 to nr",
                  cites: [.man("io_getevents", section: "2", heading: "RETURN VALUE")]),
        ]),
        Situation("io_getevents.timeout", .io_getevents, "the timeout expires with nothing available", [
            Claim(.man2, .countUpTo(argument: "nr"), "fewer than min_nr events (possibly 0) when the timeout expires",
                  cites: [.man("io_getevents", section: "2", heading: "RETURN VALUE")]),
            Claim(.libaio, .value(0), "0 if no events are available and the timeout has elapsed",
                  cites: [.man("io_getevents", section: "3", heading: "RETURN VALUES")]),
        ]),
        Situation("io_getevents.bad-ctx", .io_getevents, "the context is invalid", [
            Claim(.man2, .error(.invalidArgument), orCrash: true,
                  "EINVAL: ctx_id is invalid; BUGS: an invalid ctx_id may cause a segmentation fault instead",
                  cites: [.man("io_getevents", section: "2", heading: "ERRORS", errno: "EINVAL"),
                          .man("io_getevents", section: "2", heading: "BUGS")]),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: ctx is invalid",
                  cites: [.man("io_getevents", section: "3", heading: "ERRORS", errno: "EINVAL")]),
        ]),
        Situation("io_getevents.bad-range", .io_getevents, "min_nr or nr is out of range (negative, or min_nr > nr)", [
            Claim(.man2, .error(.invalidArgument), "EINVAL: min_nr is out of range or nr is out of range",
                  cites: [.man("io_getevents", section: "2", heading: "ERRORS", errno: "EINVAL")]),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: min_nr or nr is out of range",
                  cites: [.man("io_getevents", section: "3", heading: "ERRORS", errno: "EINVAL")]),
        ]),
        Situation("io_getevents.bad-address", .io_getevents, "the events or timeout pointer is invalid", [
            Claim(.man2, .error(.badAddress), "EFAULT: events or timeout is an invalid pointer",
                  cites: [.man("io_getevents", section: "2", heading: "ERRORS", errno: "EFAULT")]),
            Claim(.libaio, .error(.badAddress), "EFAULT: memory specified is invalid",
                  cites: [.man("io_getevents", section: "3", heading: "ERRORS", errno: "EFAULT")]),
        ]),
        Situation("io_getevents.bad-timeout", .io_getevents,
                  "the timeout is out of range (a negative field, or tv_nsec of a second or more)", [
            Claim(.libaio, .error(.invalidArgument), "EINVAL if when is out of range",
                  cites: [.man("io_getevents", section: "3", heading: "ERRORS", errno: "EINVAL")]),
        ]),
        Situation("io_getevents.bad-sigmask", .io_getevents, "io_pgetevents' sigmask points to unreadable memory", [
            Claim(.libaio, .error(.badAddress), "EFAULT: any of the memory specified is invalid",
                  cites: [.man("io_getevents", section: "3", heading: "ERRORS", errno: "EFAULT")]),
        ]),
        Situation("io_getevents.signal-masked", .io_getevents,
                  "io_pgetevents' sigmask blocks the signal that arrives during the wait", [
            Claim(.libaio, .value(0),
                  "as if the mask were set around io_getevents: the signal stays pending and the timeout elapses (0)",
                  cites: [.man("io_getevents", section: "3", heading: "io_pgetevents()"),
                          .man("io_getevents", section: "3", heading: "RETURN VALUES")]),
        ]),
        Situation("io_getevents.interrupted", .io_getevents, "a signal handler interrupts the wait", [
            Claim(.man2, .error(.interrupted), "EINTR: interrupted by a signal handler",
                  cites: [.man("io_getevents", section: "2", heading: "ERRORS", errno: "EINTR")]),
        ]),
    ]
}
