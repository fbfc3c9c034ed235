import AIODocuments
import AIOKernel
import KAPISpec

/// What one scenario run says about one statement.
enum ReviewEvidence {
    /// nil when the run says nothing about it (another claim applied, nothing observed).
    static func assess(_ entry: KAPIEntry, of syscall: String, in result: ScenarioResult) -> (holds: Bool, detail: String)? {
        guard let situation = Catalog.situation(result.situation), let verdict = result.verdict(for: .kapi),
              verdict.state != .noClaim,
              let claim = situation.claims.first(where: { $0.source == .kapi && $0.reference == verdict.reference }),
              cites(claim.citations, entry, syscall) else { return nil }
        let said = "kapi said " + (verdict.expected ?? claim.expected.description)
        if result.status == .crashed { return (false, "\(describe(result)); \(said)") }
        // The facts that rest on this entry, each against what the run observed.
        let factKeys = claim.factCitations.filter { cites($0.value, entry, syscall) }.keys.sorted()
        let observed = observations(result)
        var seen: [String] = []
        var wrong: [String] = []
        for key in factKeys {
            guard let promised = claim.facts[key], let value = observed[key] else { continue }
            if value == promised { seen.append(Fact.describe(key, value)) } else { wrong.append(Fact.describe(key, value)) }
        }
        let facts = (wrong.isEmpty ? seen : wrong).joined(separator: "; ")
        // Cited only by a fact (a side effect, or *ctxp under the ctxp entry):
        // the fact alone says whether the statement holds.
        if !factKeys.isEmpty && !cites(claim.returnCitations, entry, syscall) {
            if seen.isEmpty && wrong.isEmpty { return nil }
            let aioNrFacts = factKeys.contains(Fact.aioNrGrewByNrEvents) || factKeys.contains(Fact.aioNrRestored)
            let notes = aioNrFacts ? result.notes.filter { $0.hasPrefix("aio-nr:") } : []
            let detail = "\(result.name): " + facts
                + (notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")), nr_events \(argument("nr_events", result) ?? "?"))")
            return (wrong.isEmpty, detail)
        }
        let withFacts = facts.isEmpty ? "" : "; " + facts
        // An entry that names an errno or a return value is held to its own
        // words; any other to the catalog's reading of it (spec --kapi checks those).
        if let (holds, predicted) = ownPrediction(entry, result) {
            return (holds && wrong.isEmpty, describe(result) + withFacts + (holds ? "" : "; the entry says \(predicted)"))
        }
        let agrees = returnAgrees(claim, result)
        return (agrees && wrong.isEmpty, describe(result) + withFacts + (agrees ? "" : "; \(said)"))
    }

    /// The outcome an error or return entry itself names, checked against the run.
    static func ownPrediction(_ entry: KAPIEntry, _ result: ScenarioResult) -> (Bool, String)? {
        let observed = result.status == .ran ? result.observedErrno.map(CatalogCrossCheck.canonicalErrno) : "crash"
        switch entry.kind {
        case .error:
            let named = CatalogCrossCheck.canonicalErrno(entry.key)
            guard named.hasPrefix("E") else { return (observed != nil, "some error") }
            return (observed == named, "-\(named)")
        case .return:
            guard let success = entry.success?.trimmedSpaces, result.status == .ran else { return nil }
            if success.hasPrefix("-E") {
                return (observed == CatalogCrossCheck.canonicalErrno(String(success.dropFirst())), success)
            }
            if let exact = Int(success) { return (observed == nil && result.observedReturn == exact, success) }
            if success.hasPrefix(">="), let bound = Int(String(success.dropFirst(2)).trimmedSpaces) {
                return (observed == nil && (result.observedReturn ?? Int.min) >= bound, success)
            }
            return nil
        default:
            return nil
        }
    }

    static func cites(_ citations: [Citation], _ entry: KAPIEntry, _ syscall: String) -> Bool {
        citations.contains { citation in
            guard case .kapi(let s, let kind, let key, let summary) = citation else { return false }
            return s == syscall && kind.rawValue == entry.kind.rawValue && CatalogCrossCheck.sameKey(key, entry.key)
                && (summary == nil || CatalogCrossCheck.sameKey(summary!, entry.summary ?? ""))
        }
    }

    /// The judged call of the run, as `aioctl check --json` writes it: the
    /// one marked "subject", else (runs made up by tests) the call of the
    /// scenario's syscall filed under the run's situation with the subject's
    /// answer (helper calls, an io_setup before an io_cancel, are judged too
    /// and come first).
    static func subjectCall(_ result: ScenarioResult) -> JSON? {
        if let marked = result.calls.first(where: { $0["subject"]?.boolValue == true }) { return marked }
        let filed = result.calls.filter { call in
            call["syscall"]?.stringValue == result.syscall.rawValue && call["situation"]?.stringValue == result.situation
        }
        return filed.first { call in
            call["return"]?.intValue == result.observedReturn && call["errno"]?.stringValue == result.observedErrno
        } ?? filed.first
    }

    static func argument(_ name: String, _ result: ScenarioResult) -> String? {
        subjectCall(result)?["args"]?[name]?.stringValue
    }

    /// "io_cancel.iocb-null: io_cancel(ctx=..., iocb=NULL, ...) -> -1 errno=EFAULT"
    static func describe(_ result: ScenarioResult) -> String {
        var call = ""
        if let subject = subjectCall(result), case .object(let args)? = subject["args"] {
            let shown = args.filter { !["ctx", "ctxp", "events"].contains($0.0) }
                .map { shownArgument($0.0, $0.1.stringValue ?? "?") }
            call = " " + (subject["syscall"]?.stringValue ?? "") + "(" + shown.joined(separator: ", ") + ")"
        }
        return "\(result.name):\(call) -> \(result.observed)"
    }

    /// An argument as evidence: a pointer into aioctl's own memory by its
    /// name alone (its address changes every run and says nothing), the
    /// pointers the scenarios make bad by what they are.
    static func shownArgument(_ name: String, _ value: String) -> String {
        guard value.hasPrefix("0x"), let address = UInt64(value.dropFirst(2), radix: 16), address > 0xFFFF else {
            return "\(name)=\(value)"
        }
        if address == BadMemory.noAccessAddress { return "\(name)=unmapped" }
        if address == BadMemory.readOnlyAddress { return "\(name)=read-only" }
        return address < 0x0000_8000_0000_0000 ? name : "\(name)=\(value)"
    }

    /// Observed facts: what the engine recorded on the judged call, and
    /// aio-nr's readings around it when the engine noted them.
    static func observations(_ result: ScenarioResult) -> [String: Bool] {
        var facts: [String: Bool] = [:]
        if case .object(let members)? = subjectCall(result)?["observed"] {
            for (key, value) in members { facts[key] = value.boolValue }
        }
        if let note = result.notes.first(where: { $0.hasPrefix("aio-nr: ") }) {
            let readings = note.dropFirst(8).split(separator: " ").compactMap { Int($0) }
            if readings.count >= 2, facts[Fact.aioNrGrewByNrEvents] == nil,
               let nr = argument("nr_events", result).flatMap(Int.init) {
                facts[Fact.aioNrGrewByNrEvents] = readings[1] - readings[0] == nr
            }
            if readings.count >= 3, facts[Fact.aioNrRestored] == nil {
                facts[Fact.aioNrRestored] = readings.last == readings.first
            }
        }
        return facts
    }

    /// The run read aio-nr around its io_setup, and the readings do not show
    /// nr_events coming and going.
    static func aioNrDisagrees(_ result: ScenarioResult) -> Bool {
        guard result.notes.contains(where: { $0.hasPrefix("aio-nr: ") }) else { return false }
        let facts = observations(result)
        return facts[Fact.aioNrGrewByNrEvents] == false || facts[Fact.aioNrRestored] == false
    }

    /// The claim's return against the kernel's, facts aside.
    static func returnAgrees(_ claim: Claim, _ result: ScenarioResult) -> Bool {
        guard result.status == .ran else { return false }
        switch claim.expected {
        case .error(let e):
            return result.observedErrno.map(CatalogCrossCheck.canonicalErrno) == CatalogCrossCheck.canonicalErrno(e.name)
        case .value(let v):
            return result.observedErrno == nil && result.observedReturn == v
        case .equalsArgument(let name):
            return result.observedErrno == nil && result.observedReturn == argument(name, result).flatMap(Int.init)
        case .countUpTo(let name):
            guard result.observedErrno == nil, let v = result.observedReturn else { return false }
            return v >= 0 && v <= (argument(name, result).flatMap(Int.init) ?? Int.max)
        case .someError:
            return result.observedErrno != nil
        }
    }
}

/// Why a statement no scenario provokes cannot be tried here.
enum NotExercised {
    static func reason(for entry: KAPIEntry, of syscall: String) -> String {
        switch entry.kind {
        case .lock:
            return "which locks the kernel takes is not visible from user space"
        case .sideEffect:
            let what = entry.header.lowercased()
            if what.contains("alloc") || what.contains("free") || what.contains("resource_create") {
                return "a kernel-internal allocation (\(entry.key)): not visible from user space"
            }
            return "no scenario observes \(entry.key) from user space"
        case .stateTrans:
            return "kernel-internal state (\(entry.key)): no scenario observes it from user space"
        case .signal:
            if syscall == "io_submit" {
                return "needs a signal to interrupt a file read or write inside the kernel; the result goes to io_event.res"
            }
            return "needs the signal to arrive at the moment the entry names, which ends or stops the process"
        case .capability:
            return "needs a caller without the capability"
        case .param:
            return "no scenario aims at this parameter alone"
        case .constraint where entry.key.contains("CONFIG_AIO"):
            return "needs a kernel built without CONFIG_AIO; this one has it"
        case .error where entry.key == "ENOMEM":
            return "needs the kernel to run out of memory"
        default:
            return "no catalog situation provokes what this entry describes"
        }
    }
}
