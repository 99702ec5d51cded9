/// `ssf-transmitter send` could not produce or deliver its SET: the key file, the
/// signing, or the connection to the receiver. (A receiver that answers, even with an
/// error, is not a `SSFSendError`: its status and body are printed as they came.)
struct SSFSendError: Error, CustomStringConvertible {
    enum Stage: String {
        case key = "cannot load the signing key"
        case sign = "cannot sign the SET"
        case push = "cannot reach the receiver"
    }

    let stage: Stage
    let detail: String

    var description: String { "\(stage.rawValue): \(detail)" }
}
