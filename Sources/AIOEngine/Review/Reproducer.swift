import AIODocuments
import AIOKernel
import CAio

/// A scenario written out in the step language, so that a reviewer can run
/// it with `aioctl run -` (syscall convention). nil for the scenarios the
/// language cannot express (background threads, forked children, a closed
/// descriptor's number, limits read at run time); those are reproduced with
/// `aioctl check --filter NAME --via syscall`.
public enum Reproducer {
    public static func script(_ scenario: Scenario) -> String? {
        var lines = ["# \(scenario.name): \(Catalog.situation(scenario.situation)?.summary ?? scenario.situation)",
                     "via syscall"]
        for (name, fixture) in scenario.fixtures.sorted(by: { $0.key < $1.key }) {
            guard let line = fixtureLine(name, fixture) else { return nil }
            lines.append(line)
        }
        for (name, spec) in scenario.iocbs.sorted(by: { $0.key < $1.key }) {
            guard let line = iocbLine(name, spec, scenario) else { return nil }
            lines.append(line)
        }
        for step in scenario.steps {
            guard let line = stepLine(step, scenario) else { return nil }
            if !line.isEmpty { lines.append(line) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func fixtureLine(_ name: String, _ fixture: Fixture) -> String? {
        switch fixture {
        case .pipe: return "pipe \(name)"
        case .socketpair: return "socketpair \(name)"
        case .eventfd: return "eventfd \(name)"
        case .cachedFile: return "open \(name) /etc/os-release rdonly"
        case .writeOnlyFile: return "open \(name) /tmp/aioctl-reproducer wronly create"
        case .directory: return "open \(name) /tmp rdonly"
        case .closedFD: return nil
        }
    }

    /// The descriptor an iocb names: a pipe's read end, a socketpair's first end.
    static func fd(_ ref: FDRef, _ scenario: Scenario) -> String? {
        switch ref {
        case .raw(let n): return "\(n)"
        case .fixture(let name):
            switch scenario.fixtures[name] {
            case .pipe?: return "\(name).read"
            case .socketpair?: return "\(name).0"
            case nil: return nil
            default: return name
            }
        }
    }

    static func iocbLine(_ name: String, _ spec: IocbSpec, _ scenario: Scenario) -> String? {
        guard let target = fd(spec.fd, scenario) else { return nil }
        var line: String
        var options: [String] = []
        switch Int(spec.opcode) {
        case CAIO_CMD_POLL:
            line = "iocb \(name) = poll \(target)"
            if case .value(let bits) = spec.buffer { options.append("events=0x" + String(bits, radix: 16)) }
        case CAIO_CMD_PREAD: line = "iocb \(name) = pread \(target)"
        case CAIO_CMD_PWRITE: line = "iocb \(name) = pwrite \(target)"
        case CAIO_CMD_NOOP: line = "iocb \(name) = noop"
        default: line = "iocb \(name) = opcode \(spec.opcode) \(target)"
        }
        if Int(spec.opcode) != CAIO_CMD_POLL {
            switch spec.buffer {
            case .own: break
            case .null: options.append("buf=null")
            case .unmapped: options.append("buf=unmapped")
            case .value(let v): options.append("buf=0x" + String(v, radix: 16))
            }
        }
        if spec.nbytes != 0 { options.append("len=\(spec.nbytes)") }
        if spec.offset != 0 { options.append("off=\(spec.offset)") }
        if spec.rwFlags != 0 { options.append("rwflags=0x" + String(UInt32(bitPattern: spec.rwFlags), radix: 16)) }
        if spec.reserved2 != 0 { options.append("reserved2=\(spec.reserved2)") }
        if let resfd = spec.resfd {
            guard let r = fd(resfd, scenario) else { return nil }
            options.append("resfd=\(r)")
        }
        let otherFlags = spec.flags & ~UInt32(CAIO_FLAG_RESFD)
        if otherFlags != 0 { options.append("flags=\(otherFlags)") }
        if spec.reqprio != 0 { options.append("reqprio=\(spec.reqprio)") }
        if spec.key != 0 { options.append("key=\(spec.key)") }
        return ([line] + options).joined(separator: " ")
    }

    static func ctx(_ ref: CtxRef) -> String {
        switch ref {
        case .named(let n): return n
        case .zero: return "0"
        case .unmapped: return "unmapped"
        case .readable: return "garbage"
        case .allOnes: return "0xffffffffffffffff"
        }
    }

    static func item(_ ref: IocbRef) -> String {
        switch ref {
        case .named(let n): return n
        case .null: return "null"
        case .unmapped: return "unmapped"
        }
    }

    /// One step as a line; "" for steps that only observe; nil when inexpressible.
    static func stepLine(_ step: Step, _ scenario: Scenario) -> String? {
        switch step {
        case .setup(let name, let nrEvents, let ctxp, let preset):
            guard case .count(let n) = nrEvents else { return nil }
            return "ctx \(name) = setup \(n)" + (ctxp == .valid ? "" : " ctxp=\(ctxp.rawValue)")
                + (preset == 0 ? "" : " preset=0x" + String(preset, radix: 16))
        case .submit(let c, let array, let nr):
            var line = "submit \(ctx(c))"
            switch array {
            case .list(let items): line += " " + items.map(item).joined(separator: " ")
            case .null: line += " iocbpp=null"
            case .unmapped: line += " iocbpp=unmapped"
            case .allOnes: return nil
            }
            return line + (nr.map { " nr=\($0)" } ?? "")
        case .cancel(let c, let ref, let result):
            return "cancel \(ctx(c)) \(item(ref))" + (result == .valid ? "" : " result=\(result.rawValue)")
        case .getevents(let c, let minNr, let nr, let events, .duration(let ns), nil):
            return "getevents \(ctx(c)) min=\(minNr) max=\(nr) timeout=\(ns / 1_000_000)ms"
                + (events == .valid ? "" : " events=\(events.rawValue)")
        case .reap(let c, let count, let withinMs):
            return "getevents \(ctx(c)) min=\(count) max=\(count) timeout=\(withinMs)ms"
        case .destroy(let c):
            return "destroy \(ctx(c))"
        case .ready(let name):
            switch scenario.fixtures[name] {
            case .pipe?: return "write \(name).write 1"
            case .socketpair?: return "write \(name).1 1"
            case .eventfd?: return "write \(name) 1"
            default: return nil
            }
        case .sleep(let ms):
            return "sleep \(ms)ms"
        case .readAioNr, .awaitAioNrBack, .endOfQuiet:
            return ""
        case .subject(let inner):
            return stepLine(inner, scenario)
        default:
            return nil
        }
    }
}
