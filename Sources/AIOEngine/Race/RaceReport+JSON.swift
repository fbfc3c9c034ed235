import AIODocuments
import AIOKernel
extension RaceReport {
    /// One document: the options, one object per setting, the window.
    public var json: JSON {
        var members: [(String, JSON)] = [
            ("command", .string("race")),
            ("target", .string(options.target.description)),
            ("via", .string(options.via.rawValue)),
            ("cancel_after_ns", .uint(options.cancelAfterNs)),
            ("ready_after_ns", options.sweep == nil ? (options.readyAfter.nanoseconds.map(JSON.uint) ?? .null) : .null),
            ("sweep", options.sweep.map { .object([("from_ns", .int($0.fromNs)), ("to_ns", .int($0.toNs)),
                                                   ("step_ns", .int($0.stepNs))]) } ?? .null),
        ]
        switch options.stop {
        case .iterations(let n): members.append(("iterations_per_setting", .integer(n)))
        case .duration(let ns): members.append(("duration_per_setting_ns", .uint(ns)))
        }
        members += [
            ("iterations", .integer(iterations)),
            ("elapsed_ns", .uint(elapsedNs)),
            ("lost_or_duplicated", .integer(lostOrDuplicated)),
            ("interrupted_by", .optional(interruptedBy.map { $0 == 2 ? "SIGINT" : "SIGTERM" })),
            ("stopped_because", .optional(stoppedBecause)),
            ("late_events", .integer(lateEvents)),
            ("window_min_share", .double(RaceReport.windowMinShare)),
            ("window", window().map { Self.spanJSON($0) } ?? .null),
            ("window_any", window(minShare: .leastNonzeroMagnitude).map { Self.spanJSON($0) } ?? .null),
            ("measured_window", measuredWindow().map { Self.spanJSON($0) } ?? .null),
            ("measured_bins", .array(measuredBinsJSON)),
            ("settings", .array(tallies.map(\.json))),
            ("exit_status", .integer(exitStatus.rawValue)),
        ]
        return .object(members)
    }

    /// Non-empty 100ns bins of measured offset: the crossover, finely.
    private var measuredBinsJSON: [JSON] {
        let bins = offsetBins
        return bins.total.indices.filter { bins.total[$0] > 0 }.map { i in
            .object([("from_offset_ns", .int(OffsetBins.lowerEdge(i))), ("iterations", .integer(bins.total[i])),
                     ("cancelled", .integer(bins.cancelled[i])), ("completed_first", .integer(bins.completed[i]))])
        }
    }

    static func spanJSON(_ span: (fromNs: Int64, toNs: Int64)) -> JSON {
        .object([("from_offset_ns", .int(span.fromNs)), ("to_offset_ns", .int(span.toNs)),
                 ("width_ns", .int(span.toNs - span.fromNs))])
    }
}

extension RaceTally {
    public var json: JSON {
        var counts: [(String, JSON)] = RaceOutcome.Category.allCases.map { ($0.rawValue, .integer(count(of: $0))) }
        counts.append(("total", .integer(iterations)))
        let others: [JSON] = otherOutcomes.map { outcome, n in
            .object([("io_cancel", .integer(outcome.cancelReturn)),
                     ("event_res", outcome.eventRes.map(JSON.int) ?? .null),
                     ("events", .integer(outcome.eventCount)),
                     ("count", .integer(n)),
                     ("summary", .string(outcome.summary))])
        }
        return .object([
            ("offset_ns", setting.offsetNs.map(JSON.int) ?? .null),
            ("cancel_after_ns", .uint(setting.cancelAfterNs)),
            ("ready_after_ns", setting.readyAfterNs.map(JSON.uint) ?? .null),
            ("iterations", .integer(iterations)),
            ("elapsed_ns", .uint(elapsedNs)),
            ("iterations_per_second", .double(iterationsPerSecond.rounded())),
            ("outcomes", .object(counts)),
            ("other_outcomes", .array(others)),
            ("clean_iterations", .integer(offsetBins.total.reduce(0, +))),
            ("clean_outcomes", .object([("cancelled", .integer(offsetBins.cancelled.reduce(0, +))),
                                        ("completed_first", .integer(offsetBins.completed.reduce(0, +)))])),
            ("anomalies", .array(anomalies.map(JSON.string))),
            ("measured_offset_ns", measuredOffsetMeanNs == nil ? .null : .object([
                ("mean", .int(measuredOffsetMeanNs!)), ("clean_median", .optional(offsetBins.medianNs)),
                ("min", .int(measuredOffsetMinNs)),
                ("max", .int(measuredOffsetMaxNs))])),
            ("latency_ns", .object([
                ("io_submit", submitLatency.summary.json),
                ("io_cancel", cancelLatency.summary.json),
                ("cancelled_event_after_cancel", cancelledArrival.summary.json),
            ])),
        ])
    }
}
