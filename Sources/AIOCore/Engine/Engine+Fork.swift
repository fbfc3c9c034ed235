import CAio

extension Engine {
    /// Makes `step` (a destroy, a one-iocb submit or a cancel) in a forked
    /// child on this process's context, and records what the child got.
    func forkedCall(_ step: Step) throws -> CallRecord {
        let op: Int32
        let handle: caio_context_t
        var iocb: IOCBPointer?
        let syscall: AIOSyscall
        switch step {
        case .destroy(let ctx):
            (op, handle, syscall) = (Int32(CAIO_CHILD_DESTROY), context(ctx), .io_destroy)
        case .submit(let ctx, .list(let refs), _) where refs.count == 1:
            (op, handle, syscall) = (Int32(CAIO_CHILD_SUBMIT), context(ctx), .io_submit)
            iocb = iocbPointer(refs[0])
        case .cancel(let ctx, let ref, _):
            (op, handle, syscall) = (Int32(CAIO_CHILD_CANCEL), context(ctx), .io_cancel)
            iocb = iocbPointer(ref)
        default:
            throw AioctlError(.software, "a forked child makes a destroy, a one-iocb submit or a cancel only")
        }
        var ret = 0, err: Int32 = 0, signal: Int32 = 0
        let start = Monotonic.now()
        let fate = caio_forked_call(op, via == .libaio ? 1 : 0, handle, iocb, 2000, &ret, &err, &signal)
        let end = Monotonic.now()
        var args: [(String, String)] = [("ctx", hex(handle))]
        if syscall != .io_destroy { args.append(("iocb", hex(UnsafeRawPointer(iocb)))) }
        var record = CallRecord(syscall: syscall, via: via, args: args,
                                outcome: .decode(ret, err: err, via: via), startNs: start, endNs: end)
        switch fate {
        case 0: record.remarks.append("made by a forked child on its parent's context")
        case 1: throw AioctlError(.software, "the forked child was killed by \(SignalNames.name(signal))")
        default: throw AioctlError(.software, "the forked child did not answer within 2s")
        }
        return record
    }
}
