import AIODocuments
import AIOKernel
/// The table `aioctl check` runs, and the catalog situations it cannot provoke.
public enum Scenarios {
    public static let all: [Scenario] = {
        let table = ioSetup + ioDestroy + ioSubmit + ioCancel + ioGetevents + forReview
        var seen: Set<String> = []
        for s in table {
            precondition(seen.insert(s.name).inserted, "duplicate scenario \(s.name)")
            precondition(Catalog.situation(s.situation) != nil, "scenario \(s.name): no situation \(s.situation)")
            precondition(s.subjectStep != nil, "scenario \(s.name) has no subject step")
        }
        return table
    }()

    public static func named(_ name: String) -> Scenario? { all.first { $0.name == name } }

    /// The scenarios that provoke a situation.
    public static func provoking(_ situationID: String) -> [Scenario] {
        all.filter { $0.situation == situationID }
    }

    /// Situations with claims that no scenario provokes on purpose, and why.
    public static let notProvokable: [String: String] = [
        "io_setup.no-memory": "needs the kernel to run out of memory",
        "io_setup.fatal-signal": "needs SIGKILL to land while io_setup maps the ring, which ends the process",
        "io_setup.no-aio": "needs a kernel built without CONFIG_AIO; this one has it",
        "io_destroy.no-aio": "needs a kernel built without CONFIG_AIO; this one has it",
        "io_cancel.no-aio": "needs a kernel built without CONFIG_AIO; this one has it",
        "io_cancel.callback-failed": "needs a driver whose cancel callback fails (USB gadget I/O)",
        "io_cancel.not-cancellable":
            "needs a read still in flight after io_submit returned (O_DIRECT on a slow device): buffered reads of pipes block inside io_submit and reads of cached files complete in it",
    ]

    /// Why a situation is not provoked here, or nil when some scenario provokes it.
    public static func whyNotProvoked(_ situationID: String) -> String? {
        provoking(situationID).isEmpty ? (notProvokable[situationID] ?? "no scenario yet") : nil
    }
}
