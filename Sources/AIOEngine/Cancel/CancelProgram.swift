import AIODocuments
import AIOKernel
import CAio

/// `aioctl cancel`'s probe written as a step-language program, so that what
/// the door does can be replayed, changed and extended with `aioctl run`:
/// the same context, target, request, timed cancel, unblock and reaping.
///
/// The program orders its calls as the probe does: a POLL's io_submit never
/// blocks, so the same thread sleeps and cancels after it; a read's
/// io_submit goes on a timer thread, its cancel once the kernel says that
/// thread sleeps inside io_submit, then the write (or close) that frees it.
public enum CancelProgram {
    public static func statements(for o: CancelOptions) -> [Statement] {
        var s: [Statement] = [
            .setup(name: "a", nrEvents: Int64(o.nrEvents), ctxp: .valid, preset: 0, via: nil),
        ]
        let (declaration, readEnd, writeEnd) = target(o.target)
        s += declaration
        var decl: IocbDecl
        switch o.request {
        case .poll(let events):
            decl = IocbDecl(opcode: UInt16(CAIO_CMD_POLL), opcodeName: "poll")
            decl.pollEvents = events.rawValue
        case .read(let length, let offset, let nowait):
            decl = IocbDecl(opcode: UInt16(CAIO_CMD_PREAD), opcodeName: "pread")
            decl.length = UInt64(length)
            decl.offset = offset
            if nowait { decl.rwFlags = 0x8 }
        }
        decl.fd = readEnd
        s.append(.iocb(name: "r", decl))
        if o.ready, let writeEnd { s.append(.write(writeEnd, bytes: 1)) }
        let cancel = Statement.cancel(.named("a"), .iocb("r"), result: .valid, via: nil)
        let delay = o.requestedDelayNs
        if o.request.isPoll {
            s.append(.submit(.named("a"), items: [.iocb("r")], iocbpp: .valid, nr: nil, via: nil))
            if let delay { s += [.sleep(delay), cancel] }
        } else {
            // The read may block inside io_submit: it goes on a timer thread,
            // and the cancel is ordered after the kernel says it sleeps there.
            s.append(.after(0, .submit(.named("a"), items: [.iocb("r")], iocbpp: .valid, nr: nil, via: nil)))
            s.append(.awaitSleep("r", within: o.timeoutNs))
            s.append(.sleep(delay ?? CancelOptions.unblockDelayWithoutCancelNs))
            if delay != nil { s.append(cancel) }
            if let writeEnd, o.unblock != UnblockMode.none {
                s.append(o.unblock == .close ? .close(writeEnd) : .write(writeEnd, bytes: 1))
            }
        }
        s.append(.wait(o.timeoutNs))
        s.append(.reap(.named("a"), count: 1, within: o.reapTimeoutNs))
        s.append(.destroy(.named("a"), via: nil))
        return s
    }

    /// The program as text, headed by what it reproduces.
    public static func script(for o: CancelOptions) -> String {
        "# aioctl cancel: \(o.request) on \(o.target), io_cancel "
            + (o.requestedDelayNs.map { "after \(formatDuration($0))" } ?? "never") + "\n"
            + "# replay with: aioctl run --via \(o.via.rawValue) --expect \(o.expect.rawValue) -\n"
            + ScriptPrinter.script(statements(for: o))
    }

    /// The declaration of the target and the ends the iocb and an unblock use.
    static func target(_ t: TargetSpec) -> ([Statement], DescriptorRef, DescriptorRef?) {
        switch t {
        case .pipe: return ([.descriptor(.pipe, name: "t")], .named("t", end: "read"), .named("t", end: "write"))
        case .fifo: return ([.descriptor(.fifo, name: "t")], .named("t", end: "read"), .named("t", end: "write"))
        case .socketpair: return ([.descriptor(.socketpair, name: "t")], .named("t", end: "0"), .named("t", end: "1"))
        case .eventfd: return ([.descriptor(.eventfd, name: "t")], .named("t"), .named("t"))
        case .path(let path): return ([.open(name: "t", path: path, flags: [.rdonly])], .named("t"), nil)
        case .fd(let n): return ([], .raw(n), nil)
        }
    }
}
