/// Transport events worth counting; the gateway supplies an implementation backed by
/// swift-metrics so this module stays free of a metrics dependency.
public protocol QUICMetricsSink: Sendable {
    func connectionOpened()
    func connectionClosed()
    /// `reason` is a fixed word (`tls`, `timeout`, `setup`), never peer-controlled text.
    func handshakeFailed(reason: String)
}
