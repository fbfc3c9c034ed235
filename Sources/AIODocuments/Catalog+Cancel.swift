import AIOKernel
import SystemPackage

extension Catalog {
    /// io_cancel: the seed, io_cancel(2) and io_cancel(3). The seed says the
    /// kernel starts a cancel, returns -EINPROGRESS and delivers the event
    /// through the ring; both pages say 0 and an event copied to *result.
    static let ioCancelSituations: [Situation] = [
        Situation("io_cancel.pending-poll", .io_cancel, "a pending IOCB_CMD_POLL is cancelled", [
            Claim(.kapi, .error(.nowInProgress), facts: [Fact.eventInRing: true, Fact.resultWritten: false],
                  "-EINPROGRESS: cancellation started; the event comes later through the ring; result is ignored",
                  ref: "KAPI io_cancel, return: success"),
            Claim(.man2, .value(0), facts: [Fact.eventInRing: false, Fact.resultWritten: true],
                  "0; the event is copied to *result instead of the completion queue",
                  ref: "io_cancel(2) DESCRIPTION, RETURN VALUE"),
            Claim(.libaio, .value(0), facts: [Fact.eventInRing: false, Fact.resultWritten: true],
                  "0; the event is copied to result without being placed in the completion queue",
                  ref: "io_cancel(3) DESCRIPTION, RETURN VALUES"),
        ]),
        Situation("io_cancel.completed", .io_cancel, "the request has already completed", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: the iocb is no longer on the active list",
                  ref: "KAPI io_cancel, error EINVAL (iocb not found or not cancellable)"),
            Claim(.man2, .error(.resourceTemporarilyUnavailable), "EAGAIN: the iocb was not canceled",
                  ref: "io_cancel(2) ERRORS"),
            Claim(.libaio, .error(.resourceTemporarilyUnavailable), "EAGAIN: the iocb was not cancelled",
                  ref: "io_cancel(3) ERRORS"),
        ]),
        Situation("io_cancel.not-cancellable", .io_cancel,
                  "a submitted request whose operation has no cancel callback (a read or write)", [
            Claim(.kapi, .error(.invalidArgument),
                  "EINVAL: only POLL (and USB gadget I/O) can be cancelled; plain reads and writes cannot",
                  ref: "KAPI io_cancel, constraint: operation must support cancellation"),
            Claim(.man2, .error(.resourceTemporarilyUnavailable),
                  "EAGAIN if the iocb was not canceled (the page does not say which requests can be)",
                  ref: "io_cancel(2) ERRORS"),
            Claim(.libaio, .error(.resourceTemporarilyUnavailable), "EAGAIN if the iocb was not cancelled",
                  ref: "io_cancel(3) ERRORS"),
        ]),
        Situation("io_cancel.blocked-in-submit", .io_cancel,
                  "a read still blocked inside io_submit on another thread", [
            Claim(.kapi, .error(.invalidArgument),
                  "EINVAL: the iocb is not on the context's active list (reads never are)",
                  ref: "KAPI io_cancel, error EINVAL (iocb not found or not cancellable)"),
            Claim(.man2, .error(.resourceTemporarilyUnavailable), "EAGAIN: the iocb was not canceled",
                  ref: "io_cancel(2) ERRORS"),
            Claim(.libaio, .error(.resourceTemporarilyUnavailable), "EAGAIN: the iocb was not cancelled",
                  ref: "io_cancel(3) ERRORS"),
        ]),
        Situation("io_cancel.never-submitted", .io_cancel, "an iocb that was never submitted to this context", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: the iocb was never submitted to this context",
                  ref: "KAPI io_cancel, error EINVAL (iocb not found or not cancellable)"),
            Claim(.man2, .error(.resourceTemporarilyUnavailable), "EAGAIN: the iocb was not canceled",
                  ref: "io_cancel(2) ERRORS"),
            Claim(.libaio, .error(.resourceTemporarilyUnavailable), "EAGAIN: the iocb was not cancelled",
                  ref: "io_cancel(3) ERRORS"),
        ]),
        Situation("io_cancel.key-nonzero", .io_cancel,
                  "the iocb's aio_key is not 0 (never submitted, or its memory reused)", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: aio_key must hold KIOCB_KEY (0), written by io_submit",
                  ref: "KAPI io_cancel, error EINVAL (iocb not submitted via io_submit)"),
        ]),
        Situation("io_cancel.bad-iocb", .io_cancel, "the iocb pointer is NULL or unreadable", [
            Claim(.kapi, .error(.badAddress), "EFAULT: aio_key cannot be read from the iocb; NULL included",
                  ref: "KAPI io_cancel, error EFAULT"),
            Claim(.man2, .error(.badAddress), "EFAULT: one of the data structures points to invalid data",
                  ref: "io_cancel(2) ERRORS"),
            Claim(.libaio, .error(.badAddress), "EFAULT: a data structure pointed to is invalid",
                  ref: "io_cancel(3) ERRORS"),
        ]),
        Situation("io_cancel.bad-ctx", .io_cancel,
                  "the context is invalid: 0, never created, destroyed, or another process's", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: invalid AIO context",
                  ref: "KAPI io_cancel, error EINVAL (invalid AIO context)"),
            Claim(.man2, .error(.invalidArgument), "EINVAL: the AIO context is invalid", ref: "io_cancel(2) ERRORS"),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: the context is invalid", ref: "io_cancel(3) ERRORS"),
        ]),
        Situation("io_cancel.other-ctx", .io_cancel,
                  "a valid context other than the one the iocb was submitted to", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: the operation was never submitted to this context",
                  ref: "KAPI io_cancel, error EINVAL (iocb not found or not cancellable)"),
            Claim(.man2, .error(.resourceTemporarilyUnavailable), "EAGAIN: the iocb was not canceled",
                  ref: "io_cancel(2) ERRORS"),
            Claim(.libaio, .error(.resourceTemporarilyUnavailable), "EAGAIN: the iocb was not cancelled",
                  ref: "io_cancel(3) ERRORS"),
        ]),
        Situation("io_cancel.cancelled-twice", .io_cancel, "the same iocb cancelled a second time", [
            Claim(.kapi, .error(.invalidArgument),
                  "EINVAL: the first cancel removed the iocb from the active list",
                  ref: "KAPI io_cancel, side effect on ctx->active_reqs"),
            Claim(.man2, .error(.resourceTemporarilyUnavailable), "EAGAIN: the iocb was not canceled",
                  ref: "io_cancel(2) ERRORS"),
            Claim(.libaio, .error(.resourceTemporarilyUnavailable), "EAGAIN: the iocb was not cancelled",
                  ref: "io_cancel(3) ERRORS"),
        ]),
        Situation("io_cancel.callback-failed", .io_cancel,
                  "the operation's cancel callback fails (driver-specific, e.g. USB gadget I/O)", [
            Claim(.kapi, .someError("the callback's error"), "the callback's own error is returned",
                  ref: "KAPI io_cancel, error (driver-specific)"),
        ]),
        Situation("io_cancel.no-aio", .io_cancel, "the kernel was built without CONFIG_AIO", [
            Claim(.kapi, .error(.noFunction), "ENOSYS", ref: "KAPI io_cancel, error ENOSYS"),
            Claim(.man2, .error(.noFunction), "ENOSYS: not implemented", ref: "io_cancel(2) ERRORS"),
            Claim(.libaio, .error(.noFunction), "ENOSYS: not implemented", ref: "io_cancel(3) ERRORS"),
        ]),
    ]
}
