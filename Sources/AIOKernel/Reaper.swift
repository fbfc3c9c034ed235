/// Teardowns that run on threads of their own, so that the ~30 ms each
/// io_destroy waits for an RCU grace period overlaps with everything else.
/// `drain` waits for all of them: after it, every context is gone.
public final class Reaper {
    private let threads = Locked<[WorkerThread]>([])

    public init() {}

    /// Runs `body` on a thread of its own, or here and now when no thread
    /// can be had (a memory limit): slower, never lost.
    public func later(_ body: @escaping () -> Void) {
        // A teardown is a few calls deep: a small stack, since hundreds may wait to be joined.
        switch WorkerThread.start(stackBytes: 256 << 10, body) {
        case .success(let thread): threads.withLock { $0.append(thread) }
        case .failure: body()
        }
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
