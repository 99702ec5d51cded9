import Logging

/// A logger for one proxied request whose route, stream and upstream metadata is only
/// rendered when a message is actually logged (the common, successful request logs
/// nothing and so builds nothing).
struct ProxyLogger {
    let base: Logger
    let route: String
    let streamID: Int64
    var upstream: String?

    init(base: Logger, route: String, streamID: Int64) {
        self.base = base
        self.route = route
        self.streamID = streamID
    }

    private func context(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var all = metadata
        all["route"] = .string(route)
        all["stream"] = .stringConvertible(streamID)
        if let upstream { all["upstream"] = .string(upstream) }
        return all
    }

    func info(_ message: @autoclosure () -> Logger.Message, metadata: @autoclosure () -> Logger.Metadata = [:]) {
        base.info(message(), metadata: context(metadata()))
    }

    func warning(_ message: @autoclosure () -> Logger.Message, metadata: @autoclosure () -> Logger.Metadata = [:]) {
        base.warning(message(), metadata: context(metadata()))
    }

    func error(_ message: @autoclosure () -> Logger.Message, metadata: @autoclosure () -> Logger.Metadata = [:]) {
        base.error(message(), metadata: context(metadata()))
    }
}
