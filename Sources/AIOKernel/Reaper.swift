/// Teardowns that run on threads of their own, so that the ~30 ms each
/// io_destroy waits for an RCU grace period overlaps with everything else.
/// `drain` waits for all of them: after it, every context is gone.
public final class Reaper {
    private let threads = Locked<[WorkerThread]>([])

    public init() {}

    public func later(_ body: @escaping () -> Void) {
        let thread = WorkerThread(body)
        threads.withLock { $0.append(thread) }
    }

    public func drain() {
        while true {
            let batch = threads.withLock { list -> [WorkerThread] in
                defer { list.removeAll() }
                return list
            }
            if batch.isEmpty { return }
            batch.forEach { $0.join() }
        }
    }
}
