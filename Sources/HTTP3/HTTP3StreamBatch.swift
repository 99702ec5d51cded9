import NIOCore
import Synchronization

/// Ends many response streams at once: the last body bytes and FIN for some, a reset
/// for others. A revocation ends a thousand event streams; done one writer at a time
/// that is a thousand hops onto the QUIC event loop, each waking it. Here the gateway's
/// own streams are grouped by event loop and handled in one task per loop, so the
/// connections' packets go out in one write pass.
public enum HTTP3StreamBatch {
    /// `finish(with: chunk)` on each of `finishing` and `reset(errorCode:)` on each of
    /// `resetting`, without waiting. Writers of another kind get the individual calls.
    /// `then` runs once every loop has written its packets: work that can wait (waking
    /// the streams' own tasks) should not compete with the writes for the CPU.
    public static func end(
        finishing: [any HTTP3ResponseWriter], with chunk: ByteBuffer,
        resetting: [any HTTP3ResponseWriter], errorCode: UInt64,
        then: @escaping @Sendable () -> Void = {}
    ) {
        var groups: [ObjectIdentifier: (loop: any EventLoop, finish: [HTTP3StreamWriter], reset: [HTTP3StreamWriter])] = [:]
        for (writer, finishes) in finishing.map({ ($0, true) }) + resetting.map({ ($0, false) }) {
            guard let stream = writer as? HTTP3StreamWriter else {
                if finishes { writer.finish(with: chunk) } else { writer.reset(errorCode: errorCode) }
                continue
            }
            let loop = stream.connection.eventLoop
            if finishes {
                groups[ObjectIdentifier(loop), default: (loop, [], [])].finish.append(stream)
            } else {
                groups[ObjectIdentifier(loop), default: (loop, [], [])].reset.append(stream)
            }
        }
        guard !groups.isEmpty else { return then() }
        let pending = Atomic(groups.count)
        for group in groups.values {
            let (loop, finish, reset) = (group.loop, group.finish, group.reset)
            loop.execute {
                for stream in finish { stream.connection.finish(streamID: stream.streamID, with: chunk) }
                for stream in reset { stream.connection.abort(streamID: stream.streamID, code: errorCode) }
                // Queued behind the write pass these calls just scheduled on this loop.
                loop.execute {
                    if pending.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { then() }
                }
            }
        }
    }
}
