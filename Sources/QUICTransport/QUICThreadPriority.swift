import Glibc
import NIOCore

/// Sets the nice value of the thread behind a QUIC event loop.
///
/// Why: the loop sleeps between packets and is woken by the threads that hand it
/// responses and revocation frames. Linux often queues the woken loop on the waker's
/// CPU, and at equal priority it then waits until the waker's slice ends — up to a
/// scheduler tick, milliseconds — while every connection's answers wait with it (the
/// revocation benchmark saw the first `revoked` events held 2–4 ms this way). A lower
/// nice value lets the loop preempt the waker at once; its own work is short.
public enum QUICThreadPriority {
    /// Sets `value` (−20 … 19) for `loop`'s thread only. Going below 0 needs root or
    /// `CAP_SYS_NICE`; without them this throws and the thread keeps its priority.
    public static func setNice(_ value: Int32, on loop: any EventLoop) async throws(QUICTransportError) {
        // who = 0 with PRIO_PROCESS names the calling thread on Linux (nice is per thread).
        let failure: Int32? = try? await loop.submit { () -> Int32? in
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, value) == 0 ? nil : errno
        }.get()
        if let failure {
            throw .priority(nice: value, reason: String(cString: strerror(failure)))
        }
    }
}
