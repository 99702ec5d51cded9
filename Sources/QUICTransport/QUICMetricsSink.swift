/// Transport events worth counting; the gateway supplies an implementation backed by
/// swift-metrics so this module stays free of a metrics dependency.
public protocol QUICMetricsSink: Sendable {
    func connectionOpened()
    func connectionClosed()
    func handshakeCompleted()
    func handshakeFailed()
}
