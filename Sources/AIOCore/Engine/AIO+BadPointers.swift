import Glibc
import CAio

extension AIO {
    /// io_setup with a ctxp that may not be readable: AIO.setup shows *ctxp
    /// before the call, which would fault in aioctl itself, so this one does not look.
    static func setup(nrEvents: Int, unreadableCtxp ctxp: UnsafeMutablePointer<caio_context_t>?,
                      via: Via) -> CallRecord {
        var err: Int32 = 0
        let start = Monotonic.now()
        let ret: Int
        switch via {
        case .libaio: ret = Int(caio_lib_io_setup(Int32(truncatingIfNeeded: nrEvents), ctxp))
        case .syscall: ret = caio_sys_io_setup(nrEvents, ctxp, &err)
        }
        let end = Monotonic.now()
        return CallRecord(syscall: .io_setup, via: via,
                          args: [("nr_events", "\(nrEvents)"), ("ctxp", hex(UnsafeRawPointer(ctxp)))],
                          outcome: .decode(ret, err: err, via: via), startNs: start, endNs: end)
    }
}

extension AIO {
    /// io_submit with an iocbpp that may not be readable: AIO.submit lists the
    /// iocb pointers it holds, which would fault in aioctl itself.
    static func submit(_ ctx: caio_context_t, nr: Int, unreadableIocbpp iocbpp: UnsafeMutablePointer<IOCBPointer?>?,
                       via: Via) -> CallRecord {
        var err: Int32 = 0
        let start = Monotonic.now()
        let ret: Int
        switch via {
        case .libaio: ret = Int(caio_lib_io_submit(ctx, nr, iocbpp))
        case .syscall: ret = caio_sys_io_submit(ctx, nr, iocbpp, &err)
        }
        let end = Monotonic.now()
        return CallRecord(syscall: .io_submit, via: via,
                          args: [("ctx", hex(ctx)), ("nr", "\(nr)"), ("iocbpp", hex(UnsafeRawPointer(iocbpp)))],
                          outcome: .decode(ret, err: err, via: via), startNs: start, endNs: end)
    }
}

extension AIO {
    /// io_getevents with a timeout pointer that may not be readable: AIO.getevents
    /// shows the timeout's value, which would fault in aioctl itself.
    static func getevents(_ ctx: caio_context_t, minNr: Int, nr: Int, events: EventPointer?,
                          unreadableTimeout timeout: UnsafeMutablePointer<timespec>?, via: Via) -> CallRecord {
        var err: Int32 = 0
        let start = Monotonic.now()
        let ret: Int
        switch via {
        case .libaio: ret = Int(caio_lib_io_getevents(ctx, minNr, nr, events, timeout))
        case .syscall: ret = caio_sys_io_getevents(ctx, minNr, nr, events, timeout, &err)
        }
        let end = Monotonic.now()
        return CallRecord(syscall: .io_getevents, via: via,
                          args: [("ctx", hex(ctx)), ("min_nr", "\(minNr)"), ("nr", "\(nr)"),
                                 ("events", hex(UnsafeRawPointer(events))), ("timeout", hex(UnsafeRawPointer(timeout)))],
                          outcome: .decode(ret, err: err, via: via), startNs: start, endNs: end)
    }
}

extension AIO {
    /// io_pgetevents, showing the timeout's value only when it can be read.
    static func pgetevents(_ ctx: caio_context_t, minNr: Int, nr: Int, events: EventPointer?,
                           timeout: UnsafeMutablePointer<timespec>?, sigmask: UnsafePointer<sigset_t>?,
                           timeoutReadable: Bool, via: Via) -> CallRecord {
        if timeoutReadable {
            return pgetevents(ctx, minNr: minNr, nr: nr, events: events, timeout: timeout, sigmask: sigmask, via: via)
        }
        var err: Int32 = 0
        let start = Monotonic.now()
        let ret: Int
        switch via {
        case .libaio: ret = Int(caio_lib_io_pgetevents(ctx, minNr, nr, events, timeout, sigmask))
        case .syscall: ret = caio_sys_io_pgetevents(ctx, minNr, nr, events, timeout, sigmask, &err)
        }
        let end = Monotonic.now()
        return CallRecord(syscall: .io_pgetevents, via: via,
                          args: [("ctx", hex(ctx)), ("min_nr", "\(minNr)"), ("nr", "\(nr)"),
                                 ("events", hex(UnsafeRawPointer(events))), ("timeout", hex(UnsafeRawPointer(timeout))),
                                 ("sigmask", hex(UnsafeRawPointer(sigmask)))],
                          outcome: .decode(ret, err: err, via: via), startNs: start, endNs: end)
    }
}
