import AIODocuments
import AIOKernel
/// A completion event as a script sees it: matched back to its iocb's name.
public struct ScriptEvent: Sendable {
    public var iocb: String?
    public var data: UInt64
    public var obj: UInt64
    public var res: Int64
    public var res2: Int64
    public var isPoll: Bool

    public var resText: String {
        ObservedEvent(data: data, obj: obj, res: res, res2: res2, objMatches: true, dataMatches: true,
                      afterNs: 0, isPoll: isPoll).resText
    }

    public var text: String {
        "event: \(iocb ?? "unknown iocb " + hex(obj)) res=\(resText) res2=\(res2) data=\(hex(data))"
    }

    public var json: JSON {
        var members: [(String, JSON)] = [
            ("iocb", .optional(iocb)),
            ("res", .integer(res)),
            ("res_errno", .optional(res < 0 && res >= -4095 ? Errno(rawValue: Int32(-res)).name : nil)),
        ]
        if isPoll { members.append(("res_poll", .string(PollEvents(rawValue: UInt32(truncatingIfNeeded: max(res, 0))).description))) }
        members += [("res2", .integer(res2)), ("data", .uint(data)), ("obj", .uint(obj))]
        return .object(members)
    }
}

import SystemPackage

/// What one script line did: its calls (judged), events, messages, or error.
public struct ScriptStepRecord: Sendable {
    public var line: Int
    public var text: String
    public var calls: [JudgedCall] = []
    public var events: [ScriptEvent] = []
    public var messages: [String] = []
    public var error: String?
    /// Ran from an `after` timer, while the main sequence went on.
    public var fromTimer = false

    public init(line: Int, text: String) {
        self.line = line
        self.text = text
    }

    public func agrees(with source: Source) -> Bool {
        calls.allSatisfy { $0.judgement(by: source)?.agrees ?? true }
    }

    public var json: JSON {
        .object([
            ("line", .integer(line)),
            ("text", .string(text)),
            ("from_timer", .bool(fromTimer)),
            ("calls", .array(calls.map(\.json))),
            ("events", .array(events.map(\.json))),
            ("messages", .array(messages.map { .string($0) })),
            ("error", .optional(error)),
        ])
    }

    public func renderText(style: TextStyle, verdictSource: Source) -> String {
        var lines: [String] = []
        let head = line > 0 ? "\(line): \(text)" : text
        lines.append(style.bold(head) + (fromTimer ? style.dim("   (from a timer)") : ""))
        for call in calls {
            lines += call.renderText(style: style, verdictSource: verdictSource).map { "  " + $0 }
        }
        for e in events { lines.append("    " + e.text) }
        for m in messages { lines.append("    " + style.dim(m)) }
        if let error { lines.append("    " + style.differ("error: " + error)) }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A step that cannot run (a missing handle in the shell, a failing open):
/// ends a script unless --keep-going.
public struct ScriptRuntimeError: Error, CustomStringConvertible, Sendable {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}
