import Glibc

/// One thread per process that runs actions at their deadlines: every
/// session's watchdog is an entry here, not a thread of its own (`check`
/// runs 238 sessions; a thread each was a tenth of its CPU time).
///
/// An action returns the delay before it should run again, or nil when it is
/// done. It runs on the deadline thread, outside the lock, so it must not
/// block for long.
public final class Deadlines: @unchecked Sendable {
    public static let shared = Deadlines()

    /// A registration; `cancel()` guarantees the action is not running and
    /// will not run again once it returns.
    public final class Entry: @unchecked Sendable {
        fileprivate let id: Int
        fileprivate unowned let owner: Deadlines
        fileprivate init(id: Int, owner: Deadlines) { self.id = id; self.owner = owner }
        public func cancel() { owner.cancel(id) }
    }

    private struct Pending {
        var id: Int
        var due: UInt64
        var action: () -> UInt64?
    }

    // Guarded by `mutex`; `cond` wakes the thread for an earlier deadline
    // and wakes cancellers when a running action ends.
    private var mutex = pthread_mutex_t()
    private var cond = pthread_cond_t()
    private var pending: [Pending] = []
    private var running: Int?
    /// Cancelled while it ran: it must not be scheduled again.
    private var cancelledWhileRunning: Set<Int> = []
    private var nextID = 0
    private var thread: WorkerThread?

    private init() {
        pthread_mutex_init(&mutex, nil)
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        pthread_cond_init(&cond, &attr)
        pthread_condattr_destroy(&attr)
    }

    /// Runs `action` at the monotonic time `due` (and again as it asks).
    public func schedule(at due: UInt64, _ action: @escaping () -> UInt64?) -> Entry {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        nextID += 1
        pending.append(Pending(id: nextID, due: due, action: action))
        if thread == nil { thread = WorkerThread { [unowned self] in loop() } }
        pthread_cond_broadcast(&cond)
        return Entry(id: nextID, owner: self)
    }

    private func cancel(_ id: Int) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        pending.removeAll { $0.id == id }
        guard running == id else { return }
        cancelledWhileRunning.insert(id)
        while running == id { pthread_cond_wait(&cond, &mutex) }
    }

    /// The thread lives as long as the process: the deadline service is a
    /// process-wide facility, and an idle wait costs nothing.
    private func loop() {
        pthread_mutex_lock(&mutex)
        while true {
            guard let soonest = pending.indices.min(by: { pending[$0].due < pending[$1].due }) else {
                pthread_cond_wait(&cond, &mutex)
                continue
            }
            let entry = pending[soonest]
            if Monotonic.now() < entry.due {
                var ts = Monotonic.timespecFor(nanoseconds: entry.due)
                _ = pthread_cond_timedwait(&cond, &mutex, &ts)
                continue
            }
            pending.remove(at: soonest)
            running = entry.id
            pthread_mutex_unlock(&mutex)
            let again = entry.action()
            pthread_mutex_lock(&mutex)
            running = nil
            let cancelled = cancelledWhileRunning.remove(entry.id) != nil
            if let again, !cancelled {
                pending.append(Pending(id: entry.id, due: Monotonic.now() + again, action: entry.action))
            }
            pthread_cond_broadcast(&cond)
        }
    }
}
