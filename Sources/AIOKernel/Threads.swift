import CAio
import Glibc
import Synchronization

/// A thread of our own, over pthreads, with SIGINT and SIGTERM blocked so
/// that the main thread is the one a signal interrupts.
public final class WorkerThread {
    private var thread = pthread_t()
    private var joined = false

    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    public init(_ body: @escaping () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            caio_block_interrupts_in_this_thread()
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        precondition(rc == 0, "pthread_create failed: \(rc)")
    }

    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }
}

/// A one-shot latch another thread can wait for, with a monotonic deadline.
public final class Latch {
    private var mutex = pthread_mutex_t()
    private var cond = pthread_cond_t()
    private var isSet = false

    public init() {
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

    public func set() {
        pthread_mutex_lock(&mutex)
        isSet = true
        pthread_cond_broadcast(&cond)
        pthread_mutex_unlock(&mutex)
    }

    public var value: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return isSet
    }

    /// Waits until the flag is set or the monotonic deadline passes; true if set.
    @discardableResult
    public func wait(until deadline: UInt64) -> Bool {
        var ts = Monotonic.timespecFor(nanoseconds: deadline)
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while !isSet {
            if pthread_cond_timedwait(&cond, &mutex, &ts) == ETIMEDOUT { break }
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
