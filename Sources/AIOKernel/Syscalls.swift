import CAio
import Glibc

public typealias IOCBPointer = UnsafeMutablePointer<caio_iocb>
public typealias EventPointer = UnsafeMutablePointer<caio_event>

/// Thin wrappers over the six AIO calls. Each makes exactly one call through
/// the chosen convention (Via+Calls.swift) and returns what happened, timed
/// and recorded; none allocates
/// memory the kernel could see or keeps anything alive: that is the caller's job.
public enum AIO {
    /// `preset` only describes what the caller stored in *ctxp: ctxp itself
    /// may be unmapped, so it is never read here.
    public static func setup(nrEvents: Int, ctxp: UnsafeMutablePointer<caio_context_t>?,
                             via: Via, preset: UInt64 = 0) -> CallRecord {
        let start = Monotonic.now()
        let answer = via.setup(nrEvents: nrEvents, ctxp: ctxp)
        let end = Monotonic.now()
        var args: [(String, String)] = [("nr_events", "\(nrEvents)"), ("ctxp", hex(UnsafeRawPointer(ctxp)))]
        if preset != 0 { args.append(("*ctxp before", hex(preset))) }
        return CallRecord(syscall: .io_setup, via: via, args: args,
                          outcome: answer.outcome, startNs: start, endNs: end)
    }

    public static func destroy(_ ctx: caio_context_t, via: Via) -> CallRecord {
        let start = Monotonic.now()
        let answer = via.destroy(ctx)
        let end = Monotonic.now()
        return CallRecord(syscall: .io_destroy, via: via, args: [("ctx", hex(ctx))],
                          outcome: answer.outcome, startNs: start, endNs: end)
    }

    /// The array's entries are shown only when `arrayDescription` is nil:
    /// then the caller vouches that iocbpp is its own, readable array.
    public static func submit(_ ctx: caio_context_t, nr: Int,
                              iocbpp: UnsafeMutablePointer<IOCBPointer?>?, via: Via,
                              arrayDescription: String? = nil,
                              onStart: ((UInt64) -> Void)? = nil) -> CallRecord {
        let start = Monotonic.now()
        onStart?(start)
        let answer = via.submit(ctx, nr: nr, iocbpp: iocbpp)
        let end = Monotonic.now()
        var list = arrayDescription ?? hex(UnsafeRawPointer(iocbpp))
        if arrayDescription == nil, let iocbpp, nr > 0, nr <= 8 {
            list = "[" + (0..<nr).map { hex(UnsafeRawPointer(iocbpp[$0])) }.joined(separator: ", ") + "]"
        }
        return CallRecord(syscall: .io_submit, via: via,
                          args: [("ctx", hex(ctx)), ("nr", "\(nr)"), ("iocbpp", list)],
                          outcome: answer.outcome, startNs: start, endNs: end)
    }

    public static func cancel(_ ctx: caio_context_t, iocb: IOCBPointer?, result: EventPointer?,
                              via: Via) -> CallRecord {
        let start = Monotonic.now()
        let answer = via.cancel(ctx, iocb: iocb, result: result)
        let end = Monotonic.now()
        return CallRecord(syscall: .io_cancel, via: via,
                          args: [("ctx", hex(ctx)), ("iocb", hex(UnsafeRawPointer(iocb))),
                                 ("result", hex(UnsafeRawPointer(result)))],
                          outcome: answer.outcome, startNs: start, endNs: end)
    }

    /// The timeout is read for display only when `timeoutDescription` is nil:
    /// then the caller vouches that it is its own, readable timespec.
    public static func getevents(_ ctx: caio_context_t, minNr: Int, nr: Int, events: EventPointer?,
                                 timeout: UnsafeMutablePointer<timespec>?, via: Via,
                                 timeoutDescription: String? = nil) -> CallRecord {
        let timeoutText = timeoutDescription ?? describe(timeout)
        let start = Monotonic.now()
        let answer = via.getevents(ctx, minNr: minNr, nr: nr, events: events, timeout: timeout)
        let end = Monotonic.now()
        return CallRecord(syscall: .io_getevents, via: via,
                          args: [("ctx", hex(ctx)), ("min_nr", "\(minNr)"), ("nr", "\(nr)"),
                                 ("events", hex(UnsafeRawPointer(events))), ("timeout", timeoutText)],
                          outcome: answer.outcome, startNs: start, endNs: end)
    }

    public static func pgetevents(_ ctx: caio_context_t, minNr: Int, nr: Int, events: EventPointer?,
                                  timeout: UnsafeMutablePointer<timespec>?,
                                  sigmask: UnsafePointer<sigset_t>?, via: Via,
                                  timeoutDescription: String? = nil) -> CallRecord {
        let timeoutText = timeoutDescription ?? describe(timeout)
        let start = Monotonic.now()
        let answer = via.pgetevents(ctx, minNr: minNr, nr: nr, events: events, timeout: timeout, sigmask: sigmask)
        let end = Monotonic.now()
        return CallRecord(syscall: .io_pgetevents, via: via,
                          args: [("ctx", hex(ctx)), ("min_nr", "\(minNr)"), ("nr", "\(nr)"),
                                 ("events", hex(UnsafeRawPointer(events))), ("timeout", timeoutText),
                                 ("sigmask", hex(UnsafeRawPointer(sigmask)))],
                          outcome: answer.outcome, startNs: start, endNs: end)
    }

    private static func describe(_ timeout: UnsafeMutablePointer<timespec>?) -> String {
        guard let timeout else { return "NULL" }
        let ts = timeout.pointee
        guard ts.tv_sec >= 0, ts.tv_nsec >= 0 else { return "{\(ts.tv_sec), \(ts.tv_nsec)}" }
        return formatDuration(UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec))
    }
}
