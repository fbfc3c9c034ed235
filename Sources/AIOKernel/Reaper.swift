/// Teardowns that run on threads of their own, so that the ~30 ms each
/// io_destroy waits for an RCU grace period overlaps with everything else.
/// The threads stay for the next teardown: a check makes one per run, and
/// starting and ending a thread for each was about a tenth of its CPU. A
/// thread starts only when every one is busy, up to `maxThreads`; past that
/// a teardown waits its turn in the queue. `drain` waits for all of them
/// and ends the threads: after it, every context is gone.
public final class Reaper: @unchecked Sendable {
    /// Enough for the destroys a check has in flight at once on two CPUs
    /// (a grace period's worth of runs); each thread has a small stack.
    public static let defaultMaxThreads = 64

    private let maxThreads: Int
    // All below are guarded by `condition`'s mutex.
    private let condition = MonotonicCondition()
    private var queue: [() -> Void] = []
    private var idle = 0
    private var threads: [WorkerThread] = []
    private var closing = false

    public init(maxThreads: Int = Reaper.defaultMaxThreads) {
        self.maxThreads = max(1, maxThreads)
    }

    /// Queues `body` for a reaper thread, or runs it here and now when no
    /// thread can be had at all (a memory limit): slower, never lost.
    public func later(_ body: @escaping () -> Void) {
        condition.lock()
        queue.append(body)
        let enoughIdle = idle >= queue.count
        let mayStart = !enoughIdle && threads.count < maxThreads
        if enoughIdle { condition.signal() }
        condition.unlock()
        guard mayStart else { return }
        // A teardown is a few calls deep: a small stack.
        switch WorkerThread.start(stackBytes: 256 << 10, { [self] in work() }) {
        case .success(let thread):
            condition.lock()
            threads.append(thread)
            condition.unlock()
        case .failure:
            condition.lock()
            let alone = threads.isEmpty
            let job = alone && !queue.isEmpty ? queue.removeFirst() : nil
            condition.unlock()
            job?()
        }
    }

    /// A reaper thread: takes teardowns until the queue is empty and drain has begun.
    private func work() {
        condition.lock()
        while true {
            if !queue.isEmpty {
                let job = queue.removeFirst()
                condition.unlock()
                job()
                condition.lock()
                continue
            }
            if closing { break }
            idle += 1
            condition.wait()
            idle -= 1
        }
        condition.unlock()
    }

    /// Waits for every queued teardown and ends the threads. The reaper can
    /// be used again afterwards.
    public func drain() {
        condition.lock()
        closing = true
        condition.broadcast()
        let running = threads
        threads.removeAll()
        condition.unlock()
        running.forEach { $0.join() }
        // A teardown queued while the last thread was leaving has none to run it.
        condition.lock()
        let left = queue
        queue.removeAll()
        closing = false
        condition.unlock()
        left.forEach { $0() }
    }
}
