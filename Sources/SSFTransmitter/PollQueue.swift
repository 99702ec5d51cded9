/// The RFC 8936 side of the test transmitter: SETs waiting to be polled, kept until a
/// receiver acknowledges them (unacknowledged SETs are delivered again), and what the
/// receiver acknowledged or refused.
actor PollQueue {
    /// SETs by `jti`, in the order they were queued.
    private var queued: [(jti: String, set: String)] = []
    private(set) var acknowledged: [String] = []
    /// `setErrs` received, by `jti`: `(err, description)`.
    private(set) var errors: [String: (err: String, description: String)] = [:]

    func enqueue(jti: String, set: String) {
        queued.append((jti, set))
    }

    /// Applies a poll request's `ack` and `setErrs`, then returns up to `maxEvents`
    /// unacknowledged SETs and whether more remain.
    func poll(ack: [String], setErrs: [String: (err: String, description: String)], maxEvents: Int?)
        -> (sets: [(jti: String, set: String)], moreAvailable: Bool)
    {
        let finished = Set(ack).union(setErrs.keys)
        acknowledged += ack.filter { jti in queued.contains { $0.jti == jti } }
        errors.merge(setErrs) { _, new in new }
        queued.removeAll { finished.contains($0.jti) }
        let limit = maxEvents ?? queued.count
        return (Array(queued.prefix(limit)), queued.count > limit)
    }

    var isEmpty: Bool { queued.isEmpty }
    var count: Int { queued.count }
}
