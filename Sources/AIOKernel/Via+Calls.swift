import CAio
import Glibc

/// What one call returned, as the convention that carried it gives it.
public struct ConventionReturn: Sendable {
    public let via: Via
    /// libaio's count or -errno; syscall(2)'s count or -1.
    public let value: Int
    /// errno after syscall(2) returned -1; 0 otherwise (libaio leaves errno alone).
    public let errorNumber: Int32

    @inlinable
    public init(via: Via, value: Int, errorNumber: Int32) {
        (self.via, self.value, self.errorNumber) = (via, value, errorNumber)
    }

    /// In libaio's convention whichever carried it: a count, or -errno. The
    /// form that loops which only count and compare use.
    @inlinable
    public var negatedErrnoForm: Int { via == .syscall && value == -1 ? -Int(errorNumber) : value }

    public var outcome: Outcome { .decode(value, err: errorNumber, via: via) }
}

// The one place that chooses between libaio's wrappers and raw syscall(2).
// Each function makes exactly one call and returns what the convention
// returns; AIO.* times and records it, race and bench loop on it. They are
// @inlinable so that a hot loop in another module pays for no call and no
// indirection beyond the switch it would write by hand.
extension Via {
    /// The switch itself: `wrapper` under libaio, `raw` (given where to put errno) under syscall.
    @inlinable @inline(__always)
    func call(_ wrapper: () -> Int32, _ raw: (UnsafeMutablePointer<Int32>) -> Int) -> ConventionReturn {
        switch self {
        case .libaio:
            return ConventionReturn(via: self, value: Int(wrapper()), errorNumber: 0)
        case .syscall:
            var err: Int32 = 0
            let value = withUnsafeMutablePointer(to: &err) { raw($0) }
            return ConventionReturn(via: self, value: value, errorNumber: err)
        }
    }

    /// libaio's io_setup takes an int: nr_events beyond it is truncated as a C caller's would be.
    @inlinable @inline(__always)
    public func setup(nrEvents: Int, ctxp: UnsafeMutablePointer<caio_context_t>?) -> ConventionReturn {
        call({ caio_lib_io_setup(Int32(truncatingIfNeeded: nrEvents), ctxp) }, { caio_sys_io_setup(nrEvents, ctxp, $0) })
    }

    @inlinable @inline(__always)
    public func destroy(_ ctx: caio_context_t) -> ConventionReturn {
        call({ caio_lib_io_destroy(ctx) }, { caio_sys_io_destroy(ctx, $0) })
    }

    @inlinable @inline(__always)
    public func submit(_ ctx: caio_context_t, nr: Int, iocbpp: UnsafeMutablePointer<IOCBPointer?>?) -> ConventionReturn {
        call({ caio_lib_io_submit(ctx, nr, iocbpp) }, { caio_sys_io_submit(ctx, nr, iocbpp, $0) })
    }

    @inlinable @inline(__always)
    public func cancel(_ ctx: caio_context_t, iocb: IOCBPointer?, result: EventPointer?) -> ConventionReturn {
        call({ caio_lib_io_cancel(ctx, iocb, result) }, { caio_sys_io_cancel(ctx, iocb, result, $0) })
    }

    /// libaio's io_getevents reads the ring in user space: a bad ctx or timeout kills the caller.
    @inlinable @inline(__always)
    public func getevents(_ ctx: caio_context_t, minNr: Int, nr: Int, events: EventPointer?,
                          timeout: UnsafeMutablePointer<timespec>?) -> ConventionReturn {
        call({ caio_lib_io_getevents(ctx, minNr, nr, events, timeout) },
             { caio_sys_io_getevents(ctx, minNr, nr, events, timeout, $0) })
    }

    @inlinable @inline(__always)
    public func pgetevents(_ ctx: caio_context_t, minNr: Int, nr: Int, events: EventPointer?,
                           timeout: UnsafeMutablePointer<timespec>?,
                           sigmask: UnsafePointer<sigset_t>?) -> ConventionReturn {
        call({ caio_lib_io_pgetevents(ctx, minNr, nr, events, timeout, sigmask) },
             { caio_sys_io_pgetevents(ctx, minNr, nr, events, timeout, sigmask, $0) })
    }
}
