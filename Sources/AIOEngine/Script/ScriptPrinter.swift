import AIODocuments
import AIOKernel
import CAio

/// Writes statements back as step-language text that parses to the same
/// statements: how `check --print-script` and the single-call commands show
/// the program they run, so any door's work can be replayed with `aioctl run`.
public enum ScriptPrinter {
    public static func text(_ s: Statement) -> String {
        switch s {
        case .setup(let name, let nr, let ctxp, let preset, let via):
            return "ctx \(name) = setup \(nr)" + option("ctxp", ctxp, unless: .valid)
                + (preset != 0 ? " preset=\(hex(preset))" : "") + viaOption(via)
        case .descriptor(let kind, let name): return "\(kind.rawValue) \(name)"
        case .open(let name, let path, let flags):
            return (["open", name, path] + flags.map(\.rawValue)).joined(separator: " ")
        case .close(let fd): return "close \(fd)"
        case .write(let fd, let bytes): return "write \(fd) \(bytes)"
        case .read(let fd, let bytes): return "read \(fd) \(bytes)"
        case .iocb(let name, let decl): return iocb(name, decl)
        case .submit(let ctx, let items, let iocbpp, let nr, let via):
            return (["submit", ctx.description] + items.map(item)).joined(separator: " ")
                + option("iocbpp", iocbpp, unless: .valid) + (nr.map { " nr=\($0)" } ?? "") + viaOption(via)
        case .cancel(let ctx, let it, let result, let via):
            return "cancel \(ctx) \(item(it))" + option("result", result, unless: .valid) + viaOption(via)
        case .getevents(let ctx, let min, let max, let timeout, let events, let mask, let via, let extras):
            var text = (mask == nil ? "getevents" : "pgetevents") + " \(ctx) min=\(min) max=\(max)"
            text += " timeout=" + timeoutText(timeout)
            text += extras.straddle.map { " events=straddle:\($0)" } ?? option("events", events, unless: .valid)
            if let mask { text += " mask=" + maskText(mask) }
            if let usig = extras.usig { text += " usig=\(usig.rawValue)" }
            if let size = extras.sigsetsize { text += " sigsetsize=\(size)" }
            return text + viaOption(via)
        case .destroy(let ctx, let via): return "destroy \(ctx)" + viaOption(via)
        case .after(let delay, let inner): return "after \(duration(delay)) " + text(inner)
        case .wait(let bound): return "wait \(duration(bound))"
        case .reap(let ctx, let count, let within): return "reap \(ctx) count=\(count) within=\(duration(within))"
        case .fork(let inner): return "fork " + text(inner)
        case .aioNr: return "aionr"
        case .aioNrBack(let within): return "aionr back within=\(duration(within))"
        case .awaitSleep(let name, let within): return "await \(name) within=\(duration(within))"
        case .sleep(let ns): return "sleep \(duration(ns))"
        case .signal(let sig, let after, let handler, let restart):
            return "signal \(SignalNames.name(sig))" + (after.map { " after \(duration($0))" } ?? "")
                + (restart ? " restart" : handler ? " handler" : " nohandler")
        case .set(let name, let values):
            return (["set", name] + values.map { "\($0.field.rawValue)=\(hex($0.value))" }).joined(separator: " ")
        case .fadvise(let fd, let advice, let offset, let length):
            return "fadvise \(fd) \(advice.rawValue)" + (offset != 0 ? " off=\(offset)" : "") + (length != 0 ? " len=\(length)" : "")
        case .stop(let resume): return "stop \(duration(resume))"
        case .without(let caps, let inner):
            return "without " + caps.map(\.rawValue).joined(separator: ",") + " " + text(inner)
        case .show(.iocb(let name)): return "show \(name)"
        case .show(.ring(let ctx)): return "show ring \(ctx)"
        case .show(.handles): return "show handles"
        case .show(.timeout): return "show timeout"
        case .via(let v): return "via \(v.rawValue)"
        case .help: return "help"
        }
    }

    /// A whole program, one statement a line.
    public static func script(_ statements: [Statement]) -> String {
        statements.map(text).joined(separator: "\n") + "\n"
    }

    /// The shortest spelling that parses back to exactly `ns`.
    static func duration(_ ns: UInt64) -> String {
        let short = formatDuration(ns)
        if let back = try? DelaySpec.parseNanoseconds(short), back == ns { return short }
        return "\(ns)ns"
    }

    static func option(_ key: String, _ value: PointerArg, unless normal: PointerArg) -> String {
        value == normal ? "" : " \(key)=\(value.rawValue)"
    }

    static func viaOption(_ via: Via?) -> String { via.map { " via=\($0.rawValue)" } ?? "" }

    static func item(_ item: SubmitItem) -> String {
        switch item {
        case .iocb(let n): return n
        case .iocbRange(let n, nil): return "\(n)[*]"
        case .iocbRange(let n, let r?): return "\(n)[\(r.lowerBound)..\(r.upperBound)]"
        case .null: return "null"
        case .unmapped: return "unmapped"
        case .kernel: return "kernel"
        }
    }

    static func timeoutText(_ t: Timeout) -> String {
        switch t {
        case .none: return "none"
        case .duration(let ns): return duration(ns)
        case .unmapped: return "unmapped"
        case .outOfRange: return "invalid"
        case .kernel: return "kernel"
        case .raw(let sec, let nsec): return "{\(sec),\(nsec)}"
        }
    }

    static func maskText(_ m: SigmaskArg) -> String {
        switch m {
        case .null: return "none"
        case .signals(let list) where list.isEmpty: return "empty"
        case .signals(let list): return list.map(SignalNames.name).joined(separator: ",")
        case .unmapped: return "unmapped"
        }
    }

    /// Every field the declaration sets, so the printed iocb is the same iocb.
    static func iocb(_ name: String, _ d: IocbDecl) -> String {
        var words = ["iocb", name + (d.count.map { "[\($0)]" } ?? ""), "="]
        let named = ScriptParser.opcodes.first { $0.value == d.opcode && $0.key == d.opcodeName }?.key
        words += named.map { [$0] } ?? ["opcode", "\(d.opcode)"]
        if let fd = d.fd { words.append(fd.description) }
        if let length = d.length { words.append("len=\(length)") }
        if d.offset != 0 { words.append("off=\(d.offset)") }
        switch d.buffer {
        case .own(nil): break
        case .own(let size?): words.append("bufsize=\(size)")
        case .null: words.append("buf=null")
        case .unmapped: words.append("buf=unmapped")
        case .readOnly: words.append("buf=readonly")
        case .value(let v): words.append("buf=\(hex(v))")
        }
        if let events = d.pollEvents { words.append("events=\(hex(UInt64(events)))") }
        if d.rwFlags != 0 { words.append("rwflags=\(hex(UInt64(UInt32(bitPattern: d.rwFlags))))") }
        if d.reserved2 != 0 { words.append("reserved2=\(hex(d.reserved2))") }
        // resfd= and ioprio= set their flag bits themselves; flags= names the rest.
        var flags = d.aioFlags
        if let resfd = d.resfd, d.resfdSetsFlag {
            words.append("resfd=\(resfd)")
            flags &= ~UInt32(CAIO_FLAG_RESFD)
        } else if let resfd = d.resfd {
            words.append("rawresfd=\(resfd)")
        }
        if flags != 0 { words.append("flags=\(hex(UInt64(flags)))") }
        if d.reqprio != 0 { words.append("reqprio=\(d.reqprio)") }
        if let data = d.data { words.append("data=\(hex(data))") }
        if d.key != 0 { words.append("key=\(d.key)") }
        if d.iovecs != 1 { words.append("iovcnt=\(d.iovecs)") }
        if d.page != .own { words.append("page=\(d.page.rawValue)") }
        return words.joined(separator: " ")
    }
}
