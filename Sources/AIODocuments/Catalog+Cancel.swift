import AIOKernel
import SystemPackage

private func kapi(_ kind: KAPIEntryKind, _ key: String, _ summary: String? = nil) -> Citation {
    .kapi("io_cancel", kind, key, summary: summary)
}
private func man2(_ heading: String, _ errno: String? = nil) -> Citation {
    .man("io_cancel", section: "2", heading: heading, errno: errno)
}
private func libaio(_ heading: String, _ errno: String? = nil) -> Citation {
    .man("io_cancel", section: "3", heading: heading, errno: errno)
}

/// The seed's four EINVAL entries, by their summaries.
private let notFound = "iocb not found or not cancellable"
private let badContext = "Invalid AIO context"
private let notSubmitted = "iocb not submitted via io_submit"

extension Catalog {
    /// io_cancel: the seed (RFC v5 08/15), io_cancel(2) and io_cancel(3). The
    /// seed says the kernel starts a cancel, returns -EINPROGRESS and delivers
    /// the event through the ring, ignoring result; both pages say 0 and an
    /// event copied to *result, so an unwritable result is EFAULT to them.
    /// What both pages say of every cancel that finds nothing to cancel (a
    /// request completed, not cancellable, never submitted, or another
    /// context's): one sentence in ERRORS, cited once.
    static let notCancelledMan2 = Claim(.man2, .error(.resourceTemporarilyUnavailable), "EAGAIN: the iocb was not canceled",
                                        cites: [man2("ERRORS", "EAGAIN")])
    static let notCancelledLibaio = Claim(.libaio, .error(.resourceTemporarilyUnavailable),
                                          "EAGAIN: the iocb was not cancelled", cites: [libaio("ERRORS", "EAGAIN")])

    static let ioCancelSituations: [Situation] = [
        Situation("io_cancel.pending-poll", .io_cancel, "a pending IOCB_CMD_POLL is cancelled", [
            Claim(.kapi, .error(.nowInProgress), facts: [Fact.eventInRing: true, Fact.resultWritten: false],
                  factsCite: [
                    // "The completion event is delivered via the ring buffer"; the work item
                    // "will eventually deliver the completion event to the ring buffer".
                    Fact.eventInRing: [kapi(.sideEffect, "Pending I/O operation"), kapi(.sideEffect, "aio_poll work queue")],
                    Fact.resultWritten: [kapi(.param, "result")],
                  ],
                  "-EINPROGRESS: cancellation started; the event comes later through the ring; result is ignored",
                  cites: [kapi(.return, "return"), kapi(.param, "result")]),
            Claim(.man2, .value(0), facts: [Fact.eventInRing: false, Fact.resultWritten: true], when: .writable("result"),
                  "0; the event is copied to *result instead of the completion queue",
                  cites: [man2("DESCRIPTION"), man2("RETURN VALUE")]),
            Claim(.man2, .error(.badAddress), when: .unwritable("result"),
                  "EFAULT: the event is to be copied to *result, and result points to invalid data",
                  cites: [man2("DESCRIPTION"), man2("ERRORS", "EFAULT")]),
            Claim(.libaio, .value(0), facts: [Fact.eventInRing: false, Fact.resultWritten: true],
                  when: .writable("result"),
                  "0; the event is copied to result without being placed in the completion queue",
                  cites: [libaio("DESCRIPTION"), libaio("RETURN VALUES")]),
            Claim(.libaio, .error(.badAddress), when: .unwritable("result"),
                  "EFAULT: the event is to be copied to result, one of the data structures pointed to is invalid",
                  cites: [libaio("DESCRIPTION"), libaio("ERRORS", "EFAULT")]),
        ]),
        Situation("io_cancel.completed", .io_cancel, "the request has already completed", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: the operation has already completed (case 1)",
                  cites: [kapi(.error, "EINVAL", notFound), kapi(.constraint, "Timing window for cancellation")]),
            notCancelledMan2, notCancelledLibaio,
        ]),
        Situation("io_cancel.not-cancellable", .io_cancel,
                  "a submitted request whose operation has no cancel callback (a read or write)", [
            Claim(.kapi, .error(.invalidArgument),
                  "EINVAL: only POLL (and USB gadget I/O) register a cancel callback; most direct I/O does not (case 4)",
                  cites: [kapi(.error, "EINVAL", notFound), kapi(.constraint, "Operation must support cancellation")]),
            Claim(.man2, .error(.resourceTemporarilyUnavailable),
                  "EAGAIN if the iocb was not canceled (the page does not say which requests can be)",
                  cites: [man2("ERRORS", "EAGAIN")]),
            Claim(.libaio, .error(.resourceTemporarilyUnavailable), "EAGAIN if the iocb was not cancelled",
                  cites: [libaio("ERRORS", "EAGAIN")]),
        ]),
        Situation("io_cancel.blocked-in-submit", .io_cancel,
                  "a read still blocked inside io_submit on another thread", [
            Claim(.kapi, .error(.invalidArgument),
                  "EINVAL: the iocb is not on the context's active list (the seed: most direct I/O registers no cancel callback)",
                  cites: [kapi(.error, "EINVAL", notFound), kapi(.constraint, "Operation must support cancellation")]),
            notCancelledMan2, notCancelledLibaio,
        ]),
        Situation("io_cancel.never-submitted", .io_cancel, "an iocb that was never submitted to this context", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: the operation was never submitted to this context (case 2)",
                  cites: [kapi(.error, "EINVAL", notFound)]),
            notCancelledMan2, notCancelledLibaio,
        ]),
        Situation("io_cancel.key-nonzero", .io_cancel,
                  "the iocb's aio_key is not 0 (never submitted, or its memory reused)", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: aio_key must hold KIOCB_KEY (0), written by io_submit",
                  cites: [kapi(.error, "EINVAL", notSubmitted), kapi(.param, "iocb")]),
        ]),
        Situation("io_cancel.bad-iocb", .io_cancel, "the iocb pointer is NULL or unreadable", [
            Claim(.kapi, .error(.badAddress), "EFAULT: aio_key cannot be read from the iocb; NULL included",
                  cites: [kapi(.error, "EFAULT")]),
            Claim(.man2, .error(.badAddress), "EFAULT: one of the data structures points to invalid data",
                  cites: [man2("ERRORS", "EFAULT")]),
            Claim(.libaio, .error(.badAddress), "EFAULT: a data structure pointed to is invalid",
                  cites: [libaio("ERRORS", "EFAULT")]),
        ]),
        Situation("io_cancel.bad-ctx", .io_cancel,
                  "the context is invalid: 0, never created, destroyed, or another process's", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: invalid AIO context",
                  cites: [kapi(.error, "EINVAL", badContext), kapi(.param, "ctx_id")]),
            Claim(.man2, .error(.invalidArgument), "EINVAL: the AIO context is invalid",
                  cites: [man2("ERRORS", "EINVAL")]),
            Claim(.libaio, .error(.invalidArgument), "EINVAL: the context is invalid",
                  cites: [libaio("ERRORS", "EINVAL")]),
        ]),
        Situation("io_cancel.other-ctx", .io_cancel,
                  "a valid context other than the one the iocb was submitted to", [
            Claim(.kapi, .error(.invalidArgument), "EINVAL: the operation was never submitted to this context (case 2)",
                  cites: [kapi(.error, "EINVAL", notFound)]),
            notCancelledMan2, notCancelledLibaio,
        ]),
        Situation("io_cancel.cancelled-twice", .io_cancel, "the same iocb cancelled a second time", [
            Claim(.kapi, .error(.invalidArgument),
                  "EINVAL: the first cancel removed the iocb from the active list",
                  cites: [kapi(.sideEffect, "ctx->active_reqs list"), kapi(.stateTrans, "kiocb state"),
                          kapi(.error, "EINVAL", notFound)]),
            notCancelledMan2, notCancelledLibaio,
        ]),
        Situation("io_cancel.callback-failed", .io_cancel,
                  "the operation's cancel callback fails (driver-specific, e.g. USB gadget I/O)", [
            Claim(.kapi, .someError("the callback's error"), "the callback's own error is returned",
                  cites: [kapi(.error, "(driver-specific)")]),
        ]),
        Situation("io_cancel.no-aio", .io_cancel, "the kernel was built without CONFIG_AIO", [
            Claim(.kapi, .error(.noFunction), "ENOSYS", cites: [kapi(.error, "ENOSYS"), kapi(.constraint, "CONFIG_AIO required")]),
            Claim(.man2, .error(.noFunction), "ENOSYS: not implemented", cites: [man2("ERRORS", "ENOSYS")]),
            Claim(.libaio, .error(.noFunction), "ENOSYS: not implemented", cites: [libaio("ERRORS", "ENOSYS")]),
        ]),
    ]
}
