import Glibc

/// Where scratch files and FIFOs go: $TMPDIR when it is set, else /tmp.
/// One rule for every file aioctl makes.
public enum ProcessEnvironment {
    public static var tmpdir: String {
        if let dir = getenv("TMPDIR").map({ String(cString: $0) }), !dir.isEmpty { return dir }
        return "/tmp"
    }
}
