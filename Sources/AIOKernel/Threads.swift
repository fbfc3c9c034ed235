import CAio
import Glibc
import Synchronization
import SystemPackage

/// A thread of our own, over pthreads, with SIGINT and SIGTERM blocked so
/// that the main thread is the one a signal interrupts.
public final class WorkerThread {
    private var thread = pthread_t()
    private var joined = false

    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Our threads run short call sequences, never deep recursion: 1 MiB of
    /// stack each instead of the 8 MiB default keeps a check's threads
    /// within a small `ulimit -v`.
    public static let stackBytes = 1 << 20

    /// Starts `body` on a new thread. A thread that cannot be had at once
    /// (EAGAIN: a memory or process limit) is tried again while others
    /// finish, for up to two seconds, before this gives up as a crash.
    public init(_ body: @escaping () -> Void) {
        let rc = WorkerThread.create(&thread, body, patienceNs: 2_000_000_000)
        precondition(rc == 0, "pthread_create failed: \(rc)")
    }

    private init(started: pthread_t) { thread = started }

    /// Starts `body` on a new thread, or returns nil with the errno when no
    /// thread can be had within `patienceNs`: for callers that can do
    /// without one (run the work inline, or report it as not done).
    public static func start(patienceNs: UInt64 = 200_000_000, stackBytes: Int = stackBytes,
                             _ body: @escaping () -> Void) -> Result<WorkerThread, Errno> {
        var thread = pthread_t()
        let rc = create(&thread, body, patienceNs: patienceNs, stackBytes: stackBytes)
        return rc == 0 ? .success(WorkerThread(started: thread)) : .failure(Errno(rawValue: rc))
    }

    private static func create(_ thread: inout pthread_t, _ body: @escaping () -> Void, patienceNs: UInt64,
                               stackBytes: Int = stackBytes) -> Int32 {
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, stackBytes)
        let deadline = Monotonic.now() + patienceNs
        while true {
            let box = Unmanaged.passRetained(Box(body)).toOpaque()
            let rc = pthread_create(&thread, &attr, { raw in
                caio_block_interrupts_in_this_thread()
                let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                box.body()
                return nil
            }, box)
            if rc == 0 { return 0 }
            Unmanaged<Box>.fromOpaque(box).release()
            guard rc == EAGAIN, Monotonic.now() < deadline else { return rc }
            Monotonic.sleep(until: Monotonic.now() + 5_000_000)
        }
    }

    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }
}

/// A mutex and a condition variable that times out on the monotonic clock:
/// what Latch and Deadlines wait with.
final class MonotonicCondition {
    private var mutex = pthread_mutex_t()
    private var cond = pthread_cond_t()

    init() {
        pthread_mutex_init(&mutex, nil)
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        pthread_cond_init(&cond, &attr)
        pthread_condattr_destroy(&attr)
    }

    deinit {
        pthread_cond_destroy(&cond)
        pthread_mutex_destroy(&mutex)
    }

    func lock() { pthread_mutex_lock(&mutex) }
    func unlock() { pthread_mutex_unlock(&mutex) }
    func broadcast() { pthread_cond_broadcast(&cond) }
    /// Wakes one waiter, if any.
    func signal() { pthread_cond_signal(&cond) }
    /// With the lock held: sleeps until a broadcast (or a spurious wake-up).
    func wait() { pthread_cond_wait(&cond, &mutex) }
    /// With the lock held: sleeps until a broadcast or the monotonic deadline; false when it passed.
    @discardableResult
    func wait(until deadline: UInt64) -> Bool {
        var ts = Monotonic.timespecFor(nanoseconds: deadline)
        return pthread_cond_timedwait(&cond, &mutex, &ts) != ETIMEDOUT
    }
}

/// A one-shot latch another thread can wait for, with a monotonic deadline.
public final class Latch {
    private let condition = MonotonicCondition()
    private var isSet = false

    public init() {}

    public func set() {
        condition.lock()
        isSet = true
        condition.broadcast()
        condition.unlock()
    }

    public var value: Bool {
        condition.lock()
        defer { condition.unlock() }
        return isSet
    }

    /// Waits until the flag is set or the monotonic deadline passes; true if set.
    @discardableResult
    public func wait(until deadline: UInt64) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !isSet {
            if !condition.wait(until: deadline) { break }
        }
        return isSet
    }
}

/// A value shared between threads, behind the standard library's Mutex. A
/// class so that threads can hold the same one; every access goes through
/// the lock, which is what makes it safe to share.
public final class Locked<Value>: @unchecked Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: sending Value) { mutex = Mutex(value) }

    public func withLock<R>(_ body: (inout Value) -> R) -> R {
        mutex._unsafeWithLock(body)
    }

    public var value: Value { withLock { $0 } }
}

extension Mutex {
    /// withLock without `sending`: the values kept here are owned by the
    /// lock's users, who read and write them only inside the lock.
    borrowing func _unsafeWithLock<R>(_ body: (inout Value) -> R) -> R {
        withLock { (value: inout sending Value) -> UnsafeSendable<R> in UnsafeSendable(body(&value)) }.value
    }
}

/// Carries a value out of Mutex.withLock, whose result must be `sending`.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// SIGINT/SIGTERM as recorded by the handlers CAio installs.
public enum Interrupts {
    public static func install() { caio_install_interrupt_handlers() }

    /// The signal that arrived, if any.
    public static var pending: Int32? {
        let sig = caio_interrupt_signal()
        return sig == 0 ? nil : sig
    }
}
