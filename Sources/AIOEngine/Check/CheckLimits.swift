import AIOKernel

/// The bounds `aioctl check` puts on waits that only exist so nothing waits
/// forever, each written for the development machine and scaled to this one
/// (MachinePace): on a VM under emulation a fixed 5 s turned slow runs into
/// "hung" ones. Caps keep a real hang reported within a minute or so even
/// where the machine looks 50x slower. The kernel-facing timeouts a scenario
/// passes to a call (io_getevents' 10 ms) are what is being tested and are
/// never scaled.
public enum CheckLimits {
    /// One run, timers and blocked calls and all: ScenarioRun's own watchdog,
    /// which ends a stuck run from inside and says so in its result.
    public static var runNs: UInt64 { bound(10_000_000_000, cap: 60_000_000_000) }

    /// How long an isolated child may say nothing (while it starts, or
    /// between its results) before it is killed as hung: longer than a run's
    /// own watchdog, so a stuck run ends with the child's word, not a kill.
    public static var childSilenceNs: UInt64 { runNs + bound(5_000_000_000, cap: 30_000_000_000) }

    /// A scenario's "within" (an event within 100 ms, a thread asleep in the
    /// kernel within 2 s, a join within 2 s) on this machine.
    public static func within(milliseconds ms: Int) -> UInt64 {
        bound(UInt64(max(0, ms)) * 1_000_000, cap: 60_000_000_000)
    }

    /// `ns` scaled to this machine, but never past `cap` (nor below `ns`).
    public static func bound(_ ns: UInt64, cap: UInt64) -> UInt64 {
        max(ns, min(MachinePace.scaled(ns), cap))
    }
}
