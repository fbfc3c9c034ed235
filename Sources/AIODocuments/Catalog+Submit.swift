import AIOKernel
import SystemPackage

extension Catalog {
    /// io_submit: the KAPI draft, io_submit(2) and io_submit(3).
    static let ioSubmitSituations: [Situation] = [
        Situation("io_submit.success", .io_submit, "every iocb in the batch is valid", [
            Claim(.kapi, .equalsArgument("nr"), "the number of iocbs queued", ref: "KAPI io_submit, return"),
            Claim(.man2, .equalsArgument("nr"), "the number of iocbs submitted", ref: "io_submit(2) RETURN VALUE"),
            Claim(.libaio, .equalsArgument("nr"), "the number of iocbs submitted successfully",
                  ref: "io_submit(3) DESCRIPTION"),
        ]),
        Situation("io_submit.nr-zero", .io_submit, "nr is 0", [
            Claim(.kapi, .value(0), "0: nothing to queue", ref: "KAPI io_submit, return"),
            Claim(.man2, .value(0), "0 iocbs submitted", ref: "io_submit(2) RETURN VALUE"),
        ]),
        Situation("io_submit.bad-ctx", .io_submit, "the context is invalid", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL", ref: "KAPI io_submit, error EINVAL"),
            Claim(.man2, .error(.invalidArgument), "EINVAL: ctx_id is invalid", ref: "io_submit(2) ERRORS"),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: ctx refers to an uninitialized aio context",
                  ref: "io_submit(3) ERRORS"),
        ]),
        Situation("io_submit.nr-negative", .io_submit, "nr is negative", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL", ref: "KAPI io_submit, error EINVAL"),
            Claim(.man2, .error(.invalidArgument), "EINVAL: nr is invalid", ref: "io_submit(2) ERRORS"),
        ]),
        Situation("io_submit.bad-iocb", .io_submit,
                  "the first iocb is not properly initialized (reserved field, opcode, flags, POLL fields)", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL", ref: "KAPI io_submit, error EINVAL"),
            Claim(.man2, .error(.invalidArgument), "EINVAL: the iocb is not properly initialized",
                  ref: "io_submit(2) ERRORS"),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: an improperly initialized iocb",
                  ref: "io_submit(3) ERRORS"),
        ]),
        Situation("io_submit.op-unsupported", .io_submit, "the file does not support the requested operation", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: the file lacks the operation",
                  ref: "KAPI io_submit, error EINVAL"),
            Claim(.man2, .error(.invalidArgument), "EINVAL: the operation is invalid for the file descriptor",
                  ref: "io_submit(2) ERRORS"),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: the file does not support the given io operation",
                  ref: "io_submit(3) ERRORS"),
        ]),
        Situation("io_submit.bad-address", .io_submit, "iocbpp, an iocb pointer, the iocb or its buffer is unreadable", [
            Claim(.kapi, .error(.badAddress), "EFAULT", ref: "KAPI io_submit, error EFAULT"),
            Claim(.man2, .error(.badAddress), "EFAULT: one of the data structures points to invalid data",
                  ref: "io_submit(2) ERRORS"),
            Claim(.libaio, .error(.badAddress), "EFAULT: referenced data outside the address space",
                  ref: "io_submit(3) ERRORS"),
        ]),
        Situation("io_submit.bad-fd", .io_submit, "aio_fildes is not an open descriptor (or lacks the needed mode)", [
            Claim(.kapi, .error(.badFileDescriptor), "EBADF", ref: "KAPI io_submit, error EBADF"),
            Claim(.man2, .error(.badFileDescriptor), "EBADF: the file descriptor of the first iocb is invalid",
                  ref: "io_submit(2) ERRORS"),
            Claim(.libaio, .error(.badFileDescriptor), "EBADF: the iocb's file descriptor does not exist",
                  ref: "io_submit(3) ERRORS"),
        ]),
        Situation("io_submit.ring-full", .io_submit, "no free slot is left in the completion ring", [
            Claim(.kapi, .error(.resourceTemporarilyUnavailable), "EAGAIN", ref: "KAPI io_submit, error EAGAIN"),
            Claim(.man2, .error(.resourceTemporarilyUnavailable), "EAGAIN: insufficient resources",
                  ref: "io_submit(2) ERRORS"),
        ]),
        Situation("io_submit.rt-priority", .io_submit, "IOPRIO_CLASS_RT without CAP_SYS_ADMIN or CAP_SYS_NICE", [
            Claim(.kapi, .error(.notPermitted), "EPERM", ref: "KAPI io_submit, error EPERM"),
            Claim(.man2, .error(.notPermitted), "EPERM: RT priority without privilege", ref: "io_submit(2) ERRORS"),
        ]),
        Situation("io_submit.rw-flags-unsupported", .io_submit,
                  "unsupported aio_rw_flags, or RWF_NOWAIT on a file without nowait support", [
            Claim(.kapi, .error(.notSupported), "EOPNOTSUPP", ref: "KAPI io_submit, error EOPNOTSUPP"),
        ]),
        Situation("io_submit.noop", .io_submit, "an iocb with opcode IOCB_CMD_NOOP", [
            Claim(.kapi, .equalsArgument("nr"), "NOOP is a supported opcode (\"useful for testing\")",
                  ref: "KAPI io_submit, supported opcodes"),
            Claim(.man2, .equalsArgument("nr"), "IOCB_CMD_NOOP is one of the valid aio_lio_opcode values",
                  ref: "io_submit(2) DESCRIPTION, aio_lio_opcode"),
            Claim(.libaio, .equalsArgument("nr"), "an IO_CMD_NOP element is simply ignored",
                  ref: "io_submit(3) DESCRIPTION"),
        ]),
        Situation("io_submit.bad-ioprio", .io_submit, "IOCB_FLAG_IOPRIO with an invalid priority class in aio_reqprio", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: bad aio_reqprio class", ref: "KAPI io_submit, error EINVAL"),
            Claim(.man2, .error(.invalidArgument), "EINVAL: the value in the aio_reqprio field is invalid",
                  ref: "io_submit(2) ERRORS"),
        ]),
        Situation("io_submit.wrong-mode", .io_submit,
                  "the descriptor is open, but without the mode the operation needs (read on O_WRONLY, write on O_RDONLY)", [
            Claim(.kapi, .error(.badFileDescriptor), "EBADF: the file was opened without the needed mode",
                  ref: "KAPI io_submit, error EBADF"),
        ]),
        Situation("io_submit.resfd-not-eventfd", .io_submit, "IOCB_FLAG_RESFD with an aio_resfd that is not an eventfd", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: aio_resfd is not an eventfd",
                  ref: "KAPI io_submit, error EINVAL"),
        ]),
        Situation("io_submit.later-iocb-bad", .io_submit, "a batch of three whose third iocb is bad", [
            Claim(.kapi, .value(2), "stops at the first bad iocb and returns the count before it: 2",
                  ref: "KAPI io_submit, return"),
            Claim(.man2, .countUpTo(argument: "nr"), "the number of iocbs submitted, which may be less than nr",
                  ref: "io_submit(2) RETURN VALUE"),
        ]),
        Situation("io_submit.nowait-would-block", .io_submit,
                  "RWF_NOWAIT on a read that would block (an empty pipe)", [
            Claim(.kapi, .equalsArgument("nr"), "queued; per-request errors arrive in io_event.res, not in the return",
                  ref: "KAPI io_submit, return"),
            Claim(.man2, .equalsArgument("nr"), facts: [Fact.eventRes(.resourceTemporarilyUnavailable): true],
                  "the control block is returned at once with -EAGAIN in the event's res",
                  ref: "io_submit(2) DESCRIPTION, RWF_NOWAIT"),
        ]),
        Situation("io_submit.overflow", .io_submit, "offset plus length overflows", [
            Claim(.kapi, .error(.overflow), "EOVERFLOW", ref: "KAPI io_submit, error EOVERFLOW"),
        ]),
    ]

    /// io_getevents and io_pgetevents: no KAPI draft; io_getevents(2), io_getevents(3).
    static let ioGeteventsSituations: [Situation] = [
        Situation("io_getevents.events", .io_getevents, "events are available or arrive before the timeout", [
            Claim(.man2, .countUpTo(argument: "nr"), "the number of events read, 0 to nr",
                  ref: "io_getevents(2) RETURN VALUE"),
        ]),
        Situation("io_getevents.timeout", .io_getevents, "the timeout expires with nothing available", [
            Claim(.man2, .countUpTo(argument: "nr"), "fewer than min_nr events (possibly 0) when the timeout expires",
                  ref: "io_getevents(2) RETURN VALUE"),
            Claim(.libaio, .value(0), "0 if no events are available and the timeout has elapsed",
                  ref: "io_getevents(3) RETURN VALUES"),
        ]),
        Situation("io_getevents.bad-ctx", .io_getevents, "the context is invalid", [
            Claim(.man2, .error(.invalidArgument), "EINVAL: ctx_id is invalid", ref: "io_getevents(2) ERRORS"),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: ctx is invalid", ref: "io_getevents(3) ERRORS"),
        ]),
        Situation("io_getevents.bad-range", .io_getevents, "min_nr or nr is out of range (negative, or min_nr > nr)", [
            Claim(.man2, .error(.invalidArgument), "EINVAL: min_nr is out of range or nr is out of range",
                  ref: "io_getevents(2) ERRORS"),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: min_nr or nr is out of range",
                  ref: "io_getevents(3) ERRORS"),
        ]),
        Situation("io_getevents.bad-address", .io_getevents, "the events or timeout pointer is invalid", [
            Claim(.man2, .error(.badAddress), "EFAULT: events or timeout is an invalid pointer",
                  ref: "io_getevents(2) ERRORS"),
            Claim(.libaio, .error(.badAddress), "EFAULT: memory specified is invalid", ref: "io_getevents(3) ERRORS"),
        ]),
        Situation("io_getevents.bad-timeout", .io_getevents, "the timeout is out of range (tv_nsec negative)", [
            Claim(.libaio, .error(.invalidArgument), "EINVAL if when is out of range", ref: "io_getevents(3) ERRORS"),
        ]),
        Situation("io_getevents.bad-sigmask", .io_getevents, "io_pgetevents' sigmask points to unreadable memory", [
            Claim(.libaio, .error(.badAddress), "EFAULT: any of the memory specified is invalid",
                  ref: "io_getevents(3) ERRORS"),
        ]),
        Situation("io_getevents.signal-masked", .io_getevents,
                  "io_pgetevents' sigmask blocks the signal that arrives during the wait", [
            Claim(.libaio, .value(0),
                  "as if the mask were set around io_getevents: the signal stays pending and the timeout elapses (0)",
                  ref: "io_getevents(3) io_pgetevents(), RETURN VALUES"),
        ]),
        Situation("io_getevents.interrupted", .io_getevents, "a signal handler interrupts the wait", [
            Claim(.man2, .error(.interrupted), "EINTR: interrupted by a signal handler", ref: "io_getevents(2) ERRORS"),
        ]),
    ]
}
