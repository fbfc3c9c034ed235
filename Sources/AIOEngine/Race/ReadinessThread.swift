import AIODocuments
import AIOKernel
import Glibc
import Synchronization

/// The thread that makes the target ready at an exact moment.
///
/// Armed through atomics rather than a condition variable: waking a sleeping
/// thread takes longer than the race window being measured, so the thread
/// spins, never yielding (a yield hands a loaded CPU away for a whole time
/// slice, far longer than the moments placed here), and busy-waits to the deadline.
/// Arming and acknowledging allocate nothing.
final class ReadinessThread {
    private final class Shared: Sendable {
        /// The iteration to serve; published after `deadline` (release/acquire).
        let armed = Atomic<UInt64>(0)
        let deadline = Atomic<UInt64>(0)
        /// The iteration last served, and when its write began.
        let done = Atomic<UInt64>(0)
        let wroteAt = Atomic<UInt64>(0)
        let wroteUntil = Atomic<UInt64>(0)
        let failedErrno = Atomic<Int32>(0)
        let stop = Atomic<Bool>(false)
    }

    private let shared = Shared()
    private var thread: WorkerThread?

    /// `fd` is the write end; `isEventfd` picks an 8-byte count over one byte.
    init(writeFD fd: Int32, isEventfd: Bool) {
        let shared = shared
        thread = WorkerThread {
            var served: UInt64 = 0
            var byte: UInt8 = 0x2A
            var count: UInt64 = 1
            while true {
                var iteration = shared.armed.load(ordering: .acquiring)
                while iteration == served {
                    if shared.stop.load(ordering: .relaxed) { return }
                    iteration = shared.armed.load(ordering: .acquiring)
                }
                served = iteration
                let deadline = shared.deadline.load(ordering: .relaxed)
                while Monotonic.now() < deadline {}
                let start = Monotonic.now()
                let written = isEventfd ? write(fd, &count, 8) : write(fd, &byte, 1)
                if written < 0 { shared.failedErrno.store(errno, ordering: .relaxed) }
                shared.wroteAt.store(start, ordering: .relaxed)
                shared.wroteUntil.store(Monotonic.now(), ordering: .relaxed)
                shared.done.store(iteration, ordering: .releasing)
            }
        }
    }

    /// Asks for one write at `deadline` (monotonic ns) for `iteration` (> 0, rising).
    @inline(__always)
    func arm(iteration: UInt64, deadline: UInt64) {
        shared.deadline.store(deadline, ordering: .relaxed)
        shared.armed.store(iteration, ordering: .releasing)
    }

    /// Waits for `iteration`'s write; returns when it began and ended, or
    /// nil if the write failed (then `failure` names the errno).
    @inline(__always)
    func waitUntilWritten(iteration: UInt64) -> (start: UInt64, end: UInt64)? {
        // No timing rides on this wait, so give the CPU away: on a loaded
        // two-CPU machine the readiness thread may be the one waiting for it.
        while shared.done.load(ordering: .acquiring) != iteration { sched_yield() }
        guard shared.failedErrno.load(ordering: .relaxed) == 0 else { return nil }
        return (shared.wroteAt.load(ordering: .relaxed), shared.wroteUntil.load(ordering: .relaxed))
    }

    var failure: Int32 { shared.failedErrno.load(ordering: .relaxed) }

    func stopAndJoin() {
        shared.stop.store(true, ordering: .relaxed)
        thread?.join()
        thread = nil
    }

    deinit { stopAndJoin() }
}
