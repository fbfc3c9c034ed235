import AIODocuments
import AIOKernel
import CAio
import Glibc

/// A check scenario as what every door runs: a step-language program, with
/// the line whose call is judged (the subject) and the line after which the
/// scenario no longer needs aio-nr to itself. `aioctl check --print-script`
/// prints it; `aioctl run` replays it through the same runner.
public struct ScenarioProgram: Sendable {
    public var lines: [ScriptLine]
    /// The line number whose first call is the subject.
    public var subjectLine: Int
    /// After this line the next exclusive scenario may start (nil: at the end).
    public var quietEndsAfterLine: Int?

    static let headerLines = 2

    /// The program as text, headed by comments saying what it provokes.
    public func script(for scenario: Scenario) -> String {
        var text = "# \(scenario.name): \(scenario.situation)\n"
        text += "# the call on line \(subjectLine) is the subject: the classifier must file it there\n"
        text += lines.map(\.text).joined(separator: "\n") + "\n"
        return text
    }
}

extension Scenario {
    /// A descriptor number no process can have open: above any RLIMIT_NOFILE.
    public static let neverOpenFD: Int32 = Int32.max

    /// The scenario's fixtures, iocbs and steps as statements. aio-max-nr
    /// relative sizes become the number read now, so the printed program
    /// replays the same call on this machine.
    public func program() -> ScenarioProgram {
        var statements: [Statement] = []
        var subject: Int?
        var quietEnd: Int?
        for (name, fixture) in fixtures.sorted(by: { $0.key < $1.key }) {
            switch fixture {
            case .pipe: statements.append(.descriptor(.pipe, name: name))
            case .socketpair: statements.append(.descriptor(.socketpair, name: name))
            case .eventfd: statements.append(.descriptor(.eventfd, name: name))
            case .cachedFile, .writeOnlyFile: statements.append(.descriptor(.tmpfile, name: name))
            case .directory: statements.append(.open(name: name, path: "/", flags: [.rdonly]))
            case .closedFD: break
            }
        }
        for (name, spec) in iocbs.sorted(by: { $0.key < $1.key }) {
            statements.append(.iocb(name: name, declaration(spec)))
        }
        func add(_ step: Step) {
            switch step {
            case .subject(let inner):
                add(inner)
                // The call is the last statement the step made (a wake signal may precede it).
                subject = statements.count - 1
            case .background(let inner):
                let before = statements.count
                add(inner)
                if statements.count == before + 1 {
                    let made = statements.removeLast()
                    statements.append(.after(0, made))
                }
            case .endOfQuiet: quietEnd = statements.count - 1
            default:
                statements += Self.statements(for: step, fixtures: fixtures, descriptor: descriptor)
            }
        }
        steps.forEach(add)
        // Numbered as printed, after the two comment lines of `script(for:)`.
        let first = ScenarioProgram.headerLines + 1
        let lines = statements.enumerated().map { i, s in
            ScriptLine(number: first + i, text: ScriptPrinter.text(s), statement: s)
        }
        return ScenarioProgram(lines: lines, subjectLine: first + (subject ?? 0),
                               quietEndsAfterLine: quietEnd.map { first + $0 })
    }

    /// The descriptor a scenario's FDRef names, as the program spells it.
    func descriptor(_ ref: FDRef) -> DescriptorRef {
        switch ref {
        case .raw(let n): return .raw(n)
        case .fixture(let name):
            switch fixtures[name] {
            case .pipe?: return .named(name, end: "read")
            case .socketpair?: return .named(name, end: "0")
            case .cachedFile?: return .named(name, end: "read")
            case .writeOnlyFile?: return .named(name, end: "write")
            case .closedFD?: return .raw(Self.neverOpenFD)
            default: return .named(name)
            }
        }
    }

    func declaration(_ spec: IocbSpec) -> IocbDecl {
        let name = ScriptParser.opcodes.first { $0.value == spec.opcode }?.key
        var decl = IocbDecl(opcode: spec.opcode, opcodeName: name ?? "opcode \(spec.opcode)")
        decl.fd = descriptor(spec.fd)
        decl.length = spec.nbytes
        decl.offset = spec.offset
        decl.rwFlags = spec.rwFlags
        decl.reqprio = spec.reqprio
        decl.aioFlags = spec.flags
        decl.resfd = spec.resfd.map(descriptor)
        decl.reserved2 = spec.reserved2
        decl.key = spec.key
        switch spec.buffer {
        case .own: decl.buffer = .own(size: nil)
        case .null: decl.buffer = .null
        case .unmapped: decl.buffer = .unmapped
        case .value(let v):
            if spec.opcode == UInt16(CAIO_CMD_POLL) { decl.pollEvents = UInt32(truncatingIfNeeded: v) } else {
                decl.buffer = .value(v)
            }
        }
        return decl
    }

    static func context(_ ref: CtxRef) -> ContextRef {
        switch ref {
        case .named(let n): return .named(n)
        case .zero: return .zero
        case .unmapped: return .unmapped
        case .readable: return .garbage
        case .allOnes: return .literal(UInt64.max)
        }
    }

    static func item(_ ref: IocbRef) -> SubmitItem {
        switch ref {
        case .named(let n): return .iocb(n)
        case .null: return .null
        case .unmapped: return .unmapped
        }
    }

    static func submit(_ ctx: CtxRef, _ array: IocbArray, nr: Int?) -> Statement {
        switch array {
        case .list(let refs):
            return .submit(context(ctx), items: refs.map(item), iocbpp: .valid, nr: nr.map(Int64.init), via: nil)
        case .null: return .submit(context(ctx), items: [], iocbpp: .null, nr: Int64(nr ?? 1), via: nil)
        case .unmapped: return .submit(context(ctx), items: [], iocbpp: .unmapped, nr: Int64(nr ?? 1), via: nil)
        case .allOnes: return .submit(context(ctx), items: [], iocbpp: .allOnes, nr: Int64(nr ?? 1), via: nil)
        }
    }

    static func statements(for step: Step, fixtures: [String: Fixture],
                           descriptor: (FDRef) -> DescriptorRef) -> [Statement] {
        switch step {
        case .setup(let name, let nrEvents, let ctxp, let preset):
            let nr: Int
            switch nrEvents {
            case .count(let n): nr = n
            case .aioMaxNr(let plus): nr = (AioLimits.aioMaxNr ?? 65536) + plus
            }
            return [.setup(name: name, nrEvents: Int64(nr), ctxp: ctxp, preset: preset, via: nil)]
        case .submit(let ctx, let array, let nr): return [submit(ctx, array, nr: nr)]
        case .fill(let ctx, let array): return [submit(ctx, array, nr: nil)]
        case .cancel(let ctx, let iocb, let result):
            return [.cancel(context(ctx), item(iocb), result: result, via: nil)]
        case .getevents(let ctx, let minNr, let nr, let events, let timeout, let signalAfter):
            return wake(signalAfter) + [.getevents(context(ctx), min: Int64(minNr), max: Int64(nr), timeout: timeout,
                                                   events: events, mask: nil, via: nil)]
        case .pgetevents(let ctx, let minNr, let nr, let events, let timeout, let mask, let signalAfter):
            return wake(signalAfter) + [.getevents(context(ctx), min: Int64(minNr), max: Int64(nr), timeout: timeout,
                                                   events: events, mask: mask, via: nil)]
        case .reap(let ctx, let count, let ms):
            return [.reap(context(ctx), count: Int64(count), within: CheckLimits.within(milliseconds: ms))]
        case .destroy(let ctx): return [.destroy(context(ctx), via: nil)]
        case .ready(let name):
            switch fixtures[name] {
            case .pipe?: return [.write(.named(name, end: "write"), bytes: 1)]
            case .socketpair?: return [.write(.named(name, end: "1"), bytes: 1)]
            case .eventfd?: return [.write(.named(name), bytes: 1)]
            default: return []
            }
        case .sleep(let ms): return [.sleep(UInt64(ms) * 1_000_000)]
        case .awaitSleeping(let name): return [.awaitSleep(name, within: CheckLimits.within(milliseconds: 2000))]
        case .readAioNr: return [.aioNr]
        // io_destroy gives the events back as it starts, before its grace
        // period: the quiet part can end then, while the destroy finishes.
        case .awaitAioNrBack(let ms): return [.aioNrBack(within: CheckLimits.within(milliseconds: ms))]
        case .join(let ms): return [.wait(CheckLimits.within(milliseconds: ms))]
        case .inForkedChild(let inner):
            return statements(for: inner, fixtures: fixtures, descriptor: descriptor).map { .fork($0) }
        case .subject(let inner), .background(let inner):
            return statements(for: inner, fixtures: fixtures, descriptor: descriptor)
        case .endOfQuiet: return []
        }
    }

    /// A wake signal for a call that would otherwise wait forever.
    static func wake(_ afterMs: Int?) -> [Statement] {
        guard let afterMs else { return [] }
        return [.signal(SIGUSR1, afterNs: UInt64(afterMs) * 1_000_000, handler: true)]
    }
}
