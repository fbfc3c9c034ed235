import AIODocuments
import AIOKernel

/// getevents and pgetevents: the grammar with the most pointer and value
/// choices (timeouts as durations or raw pairs, straddling events arrays,
/// io_pgetevents' usig and sigsetsize).
extension ScriptParser {
    static func parseGetevents(_ c: inout Cursor, withMask: Bool) throws -> Statement {
        let ctx = try c.context()
        let o = try c.options(withMask ? ["min", "max", "timeout", "events", "mask", "usig", "sigsetsize", "via"]
                                       : ["min", "max", "timeout", "events", "via"])
        var extras = WaitExtras()
        let min = try o.integer("min") ?? 1
        let max = try o.integer("max") ?? Swift.max(min, 8)
        var timeout = Timeout.duration(1_000_000_000)
        if let t = o.raw("timeout") {
            switch t.text {
            case "none": timeout = .none
            case "invalid": timeout = .outOfRange
            case "unmapped": timeout = .unmapped
            case "kernel": timeout = .kernel
            default:
                if t.text.hasPrefix("{") {
                    let pair = t.text.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
                    guard t.text.hasSuffix("}"), pair.count == 2,
                          let sec = Cursor.number(String(pair[0]).trimmingWhitespace()),
                          let nsec = Cursor.number(String(pair[1]).trimmingWhitespace()) else {
                        throw c.error(at: t, "a raw timeout is {SEC,NSEC}, e.g. {0,1000000000} or {-1,0}")
                    }
                    timeout = .raw(sec: sec, nsec: nsec)
                } else {
                    timeout = .duration(try Cursor.duration(t, c))
                }
            }
        }
        var events = PointerArg.valid
        if let e = o.raw("events") {
            if e.text.hasPrefix("straddle:") {
                guard let k = Int(e.text.dropFirst("straddle:".count)), k >= 0, k <= 128 else {
                    throw c.error(at: e, "events=straddle:K takes K from 0 to 128 (the slots before the unmapped page)")
                }
                extras.straddle = k
            } else {
                events = try o.pointer("events") ?? .valid
            }
        }
        extras.usig = try o.pointer("usig")
        if let size = o.raw("sigsetsize") {
            guard let v = Cursor.unsigned(size.text) else { throw c.error(at: size, "sigsetsize takes a number") }
            extras.sigsetsize = v
        }
        var mask: SigmaskArg? = nil
        if withMask {
            mask = SigmaskArg.null
            if let m = o.raw("mask") {
                switch m.text {
                case "none": mask = SigmaskArg.null
                case "empty": mask = .signals([])
                case "unmapped": mask = .unmapped
                default:
                    mask = .signals(try m.text.split(separator: ",").map { name in
                        guard let sig = SignalNames.number(String(name)) else {
                            throw c.error(at: m, "unknown signal '\(name)'")
                        }
                        return sig
                    })
                }
            }
        }
        return .getevents(ctx, min: min, max: max, timeout: timeout, events: events, mask: mask, via: try o.via(),
                          extras: extras)
    }
}
