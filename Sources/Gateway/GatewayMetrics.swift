import HTTP3
import Metrics
import Prometheus
import Synchronization

/// The gateway's metrics, recorded through swift-metrics into its own Prometheus
/// registry (no global bootstrap, so several gateways and tests never share counters).
/// The QUIC and HTTP/3 code call the connection, stream and handshake methods; the
/// pipeline calls `requestCompleted`.
public final class GatewayMetrics: HTTP3MetricsSink, Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    private let activeConnections: Meter
    private let activeStreams: Meter
    private let enforcementOverhead: DurationHistogram
    private let handles = Mutex(Handles())

    /// Counter and timer handles by label and dimension values, made on first use:
    /// making them per call (a registry lookup under its lock, label arrays, a wrapper
    /// object) cost more than counting, on every request and every SET.
    private struct Handles {
        struct Key: Hashable {
            let label: String
            let first: String
            let second: String
        }

        var counters: [Key: Metrics.Counter] = [:]
        var timers: [Key: Metrics.Timer] = [:]
    }

    /// Buckets of `rta_enforcement_overhead_seconds`: the request-duration buckets start
    /// at 1 ms, three orders of magnitude above what enforcement costs.
    public static let enforcementBuckets: [Duration] = [
        .microseconds(2), .microseconds(5), .microseconds(10), .microseconds(15), .microseconds(20),
        .microseconds(30), .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
        .milliseconds(1), .milliseconds(5), .milliseconds(25),
    ]

    /// Route label used when no route matched, so unmatched traffic is still counted.
    public static let unmatchedRoute = "_unmatched"

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30),
        ]
        self.registry = registry
        self.factory = factory
        self.activeConnections = Meter(label: "rta_active_connections", factory: factory)
        self.activeStreams = Meter(label: "rta_active_streams", factory: factory)
        self.enforcementOverhead = registry.makeDurationHistogram(
            name: "rta_enforcement_overhead_seconds", buckets: Self.enforcementBuckets,
            help: "Gateway time spent enforcing a forwarded request: token checks, session, policy, "
                + "RTA- fields, in-flight registration and queueing its audit record; not the upstream round trip.")
    }

    /// One forwarded request's enforcement work (`RequestPipeline` times it in two parts,
    /// before and after the upstream exchange). Kept apart from the request duration so
    /// the gateway's own cost can be read in production, not only in a benchmark.
    public func enforcementCompleted(_ duration: Duration) {
        enforcementOverhead.record(duration)
    }

    /// One finished request: counted by route and status, timed by route.
    public func requestCompleted(route: String, status: Int, duration: Duration) {
        let status = String(status)
        counter("rta_requests_total", route, status) { [("route", route), ("status", status)] }.increment()
        timer("rta_request_duration_seconds", route) { [("route", route)] }.record(duration: duration)
    }

    /// `label`'s counter for these dimension values; `dimensions` names them, on first use only.
    private func counter(
        _ label: String, _ first: String = "", _ second: String = "", dimensions: () -> [(String, String)]
    ) -> Metrics.Counter {
        let key = Handles.Key(label: label, first: first, second: second)
        return handles.withLock { handles in
            if let found = handles.counters[key] { return found }
            let made = Metrics.Counter(label: label, dimensions: dimensions(), factory: factory)
            handles.counters[key] = made
            return made
        }
    }

    private func timer(_ label: String, _ first: String = "", dimensions: () -> [(String, String)]) -> Metrics.Timer {
        let key = Handles.Key(label: label, first: first, second: "")
        return handles.withLock { handles in
            if let found = handles.timers[key] { return found }
            let made = Metrics.Timer(label: label, dimensions: dimensions(), factory: factory)
            handles.timers[key] = made
            return made
        }
    }

    public func connectionOpened() { activeConnections.increment() }
    public func connectionClosed() { activeConnections.decrement() }
    public func streamOpened() { activeStreams.increment() }
    public func streamClosed() { activeStreams.decrement() }

    /// A QUIC handshake that did not complete; `reason` is a short fixed word
    /// (`tls`, `timeout`, `version`…), never peer-controlled text, to bound label values.
    public func handshakeFailed(reason: String) {
        counter("rta_quic_handshake_failures_total", reason) { [("reason", reason)] }.increment()
    }

    /// Prometheus text exposition format (version 0.0.4), for `GET /metrics`.
    public func exposition() -> String {
        registry.emitToString()
    }
}

extension GatewayMetrics {
    /// One SET handled: `effect` is `revoked`, `context_updated`, `duplicate`, `none`,
    /// `rejected`, `unavailable`…, a fixed word, never SET text.
    public func signalProcessed(effect: String, duration: Duration) {
        counter("rta_signals_total", effect) { [("effect", effect)] }.increment()
        timer("rta_signal_duration_seconds") { [] }.record(duration: duration)
    }

    /// Sessions revoked, by cause (`signal`, `admin`, `policy`).
    public func sessionsRevoked(_ count: Int, cause: String) {
        counter("rta_sessions_revoked_total", cause) { [("cause", cause)] }.increment(by: count)
    }
}
