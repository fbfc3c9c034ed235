import CAio
import Glibc
import SystemPackage

/// The end of an engine run: judging the subject with what was observed
/// around it, and tearing down what the run made.
extension Engine {
    func finish(elapsed: UInt64) -> ScenarioResult {
        var all = lock.withLock { _ in calls }
        var subjectRecord: CallRecord?
        if skipReason == nil, let index = subjectRecordIndex {
            var record = all[index]
            observe(into: &record)
            record.judge(as: scenario.situation)
            all[index] = record
            subjectRecord = record
        }
        let ordered = all.sorted { $0.startNs < $1.startNs }
        var result = ScenarioResult(
            name: scenario.name, syscall: scenario.syscall, situation: scenario.situation, via: via,
            status: .ran, skipReason: nil, observed: "", observedReturn: nil, observedErrno: nil,
            events: events.map(describe), verdicts: [], calls: ordered.map(\.json),
            callLines: ordered.flatMap { $0.renderText(style: TextStyle(color: false), verdictSource: .kapi) },
            notes: notes, isolated: false, elapsedNs: elapsed)
        if let subjectRecord {
            result.observed = subjectRecord.resultText
            result.observedReturn = subjectRecord.returnValue
            result.observedErrno = subjectRecord.outcome.errno?.name
            result.verdicts = ScenarioResult.verdicts(for: subjectRecord)
            if subjectRecord.syscall == .io_getevents, via == .libaio, case .value = subjectRecord.outcome,
               subjectRecord.elapsedNs < 20_000 {
                result.notes.append("libaio may answer io_getevents from the ring in user space")
            }
        } else {
            result.status = .skipped
            result.skipReason = skipReason ?? "the subject call was never reached"
        }
        if aioNrReadings.count > 1 {
            result.notes.append("aio-nr: " + aioNrReadings.map(String.init).joined(separator: " -> "))
        }
        return result
    }

    /// The facts a claim can promise, measured around the subject call.
    func observe(into record: inout CallRecord) {
        guard let (_, step) = subject else { return }
        let situation = Catalog.situation(scenario.situation)
        let promised = Set(situation?.claims.flatMap { $0.facts.keys } ?? [])
        if case .cancel(_, let iocb, _) = step {
            if reapedAfterSubject, let p = iocbPointer(iocb) {
                let address = UInt64(UInt(bitPattern: p))
                record.observations[Fact.eventInRing] = events.contains { $0.obj == address }
            }
            // Whether *result was written, AIOCall.cancel observed right after the call.
        }
        for key in promised where key.hasPrefix(Fact.eventResPrefix) && reapedAfterSubject {
            let name = String(key.dropFirst(Fact.eventResPrefix.count))
            record.observations[key] = events.contains { $0.res < 0 && Errno(rawValue: Int32(-$0.res)).name == name }
        }
        if case .setup(_, let nrEvents, _, _) = step, promised.contains(Fact.aioNrGrewByReserved),
           aioNrReadings.count >= 2, case .count(let nr) = nrEvents {
            let reserved = max(nr, 4 * Int(sysconf(Int32(_SC_NPROCESSORS_CONF)))) * 2
            record.observations[Fact.aioNrGrewByReserved] = aioNrReadings[1] - aioNrReadings[0] == reserved
        }
        if promised.contains(Fact.aioNrRestored), aioNrReadings.count >= 3 {
            record.observations[Fact.aioNrRestored] = aioNrReadings.first == aioNrReadings.last
        }
    }

    func describe(_ e: caio_event) -> String {
        let name = iocbs.first { UInt64(UInt(bitPattern: $0.value)) == e.obj }?.key ?? "obj=0x" + String(e.obj, radix: 16)
        let res = e.res < 0 ? "-\(Errno(rawValue: Int32(-e.res)).name) (\(e.res))" : "\(e.res)"
        return "iocb \(name): res=\(res) res2=\(e.res2)"
    }

    /// Destroys what the run left alive (through the same convention), then
    /// frees memory and closes fixtures, in that order.
    func cleanUp() {
        for (name, handle) in handles.sorted(by: { $0.key < $1.key }) where !destroyed.contains(name) {
            _ = AIO.destroy(handle, via: via)
        }
        if lock.withLock({ _ in pendingBackgrounds }) > 0 {
            // A call still blocked in the kernel may touch this memory: leak it rather than free it.
            return
        }
        for f in fixtures.values { f.close() }
        memory.release()
        for raw in mallocs { free(raw) }
        mallocs.removeAll()
    }
}
