/// Stream events worth counting; supplied by the gateway (swift-metrics) so this
/// module has no metrics dependency.
public protocol HTTP3MetricsSink: Sendable {
    func streamOpened()
    func streamClosed()
}
