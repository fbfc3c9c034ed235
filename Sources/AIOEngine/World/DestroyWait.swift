import AIODocuments
import AIOKernel
import CAio
import Glibc

/// Whether io_destroy waits for a request that sleeps in io_submit, as a
/// happens-before fact rather than a duration: the kernel is asked, through
/// /proc/self/task/TID/syscall and stat, where the threads sleep at the two
/// moments that decide it.
///
/// - At a write that frees such a request (`noteRelease`): if the destroy of
///   its context still sleeps in io_destroy, the destroy returns after the
///   write: it waited (destroy_waited_for_requests = true).
/// - When the destroy returns (`destroyWaitObservation`): if a request of its
///   context still sleeps in io_submit, the destroy returned before anything
///   freed it: it did not wait (false).
///
/// Neither moment seen (the destroy not yet entered, a request already done):
/// no observation, and the claim's fact is not judged.
extension ScriptSession {
    /// Before a write: for every context whose io_destroy is in flight,
    /// records which of its requests this write may free while the destroy
    /// still sleeps. Returns what it saw, for the step's messages.
    func noteRelease() -> [String] {
        lock.withLock { _ -> [String] in
            var seen: [String] = []
            for ctx in contexts.values where ctx.destroysInFlight > 0 {
                let blocked = sleepingSubmits(to: ctx.handle)
                guard !blocked.isEmpty else { continue }
                if KernelFacts.blockedInSyscall(tid: ctx.destroyer, number: KernelFacts.ioDestroyNumber) {
                    ctx.destroySleptThroughRelease = blocked
                    seen.append("before this write: io_destroy(\(ctx.name)) sleeps in the kernel while "
                                + blocked.joined(separator: ", ") + " sleeps in io_submit")
                } else {
                    seen.append("before this write: " + blocked.joined(separator: ", ")
                                + " sleeps in io_submit; io_destroy(\(ctx.name)) was not seen sleeping in the kernel")
                }
            }
            return seen
        }
    }

    /// After io_destroy returned: the fact, and a message saying what decided it.
    func destroyWaitObservation(_ ref: ContextRef) -> (Bool, String)? {
        guard case .named(let n) = ref else { return nil }
        return lock.withLock { _ -> (Bool, String)? in
            guard let ctx = contexts[n] else { return nil }
            let still = sleepingSubmits(to: ctx.handle)
            if !still.isEmpty {
                return (false, "io_destroy returned while " + still.joined(separator: ", ") + " still slept in io_submit")
            }
            if !ctx.destroySleptThroughRelease.isEmpty {
                return (true, "io_destroy still slept in the kernel when the write that frees "
                        + ctx.destroySleptThroughRelease.joined(separator: ", ") + " was made; it returned after")
            }
            return nil
        }
    }

    /// The iocbs whose io_submit to `handle` the kernel says sleeps now.
    /// Called with the lock held.
    private func sleepingSubmits(to handle: caio_context_t) -> [String] {
        iocbs.values.filter { r in
            r.submitInFlight && r.submitTarget == handle
                && KernelFacts.blockedInSyscall(tid: r.submitter, number: KernelFacts.ioSubmitNumber)
        }.map(\.name).sorted()
    }
}

/// aio_key before and after io_submit, for the draft's write-back of KIOCB_KEY.
enum SubmitKeys {
    /// The keys of the iocbs a call may queue, read from our own iocbs (nil
    /// for NULL or unmapped entries, which are never read through).
    static func read(_ iocbs: [ScriptIocb?]) -> [UInt32?] { iocbs.map { $0?.iocb.pointee.aio_key } }

    /// Whether the kernel wrote 0 into each queued iocb whose key was not 0:
    /// nil when no queued iocb had a nonzero key (a 0 written over 0 shows nothing).
    static func written(before: [UInt32?], after: [UInt32?], queued: Int) -> Bool? {
        var any = false
        for i in 0..<min(queued, before.count, after.count) {
            guard let b = before[i], b != 0, let a = after[i] else { continue }
            any = true
            if a != 0 { return false }
        }
        return any ? true : nil
    }
}
