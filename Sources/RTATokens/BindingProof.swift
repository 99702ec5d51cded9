import Sodium

/// The PoP re-binding proof of PROTOCOL.md §4: an Ed25519 signature by the session's
/// `pop_key` over `"RTA-BIND-v1" || session_id || exporter`, where `exporter` is 32
/// bytes of this connection's TLS exporter (label `EXPORTER-RTA-binding`, empty
/// context). The exporter ties the proof to one TLS connection, so a proof replayed
/// on another connection fails.
///
/// Pure: the caller obtains the exporter bytes from the QUIC layer.
public enum BindingProof {
    public static let label: [UInt8] = Array("RTA-BIND-v1".utf8)
    public static let exporterLength = 32

    /// The signed message (11 + 16 + 32 = 59 bytes).
    public static func message(sessionID: SessionID, exporter: [UInt8]) -> [UInt8] {
        label + sessionID.bytes + exporter
    }

    /// Checks a proof for `session`. Failures map to `binding_mismatch`.
    public static func verify(proof: [UInt8], session: Session, exporter: [UInt8]) -> TokenCheckResult {
        guard let popKey = session.popKey else {
            return .failed(TokenError(.noPoPKey, "session \(session.id) has no PoP key and cannot be re-bound; exchange again"))
        }
        guard exporter.count == exporterLength else {
            return .failed(TokenError(.badExporter, "TLS exporter must be 32 bytes, got \(exporter.count)"))
        }
        guard popKey.isValidSignature(proof, for: message(sessionID: session.id, exporter: exporter)) else {
            return .failed(TokenError(.badProof, "proof is not a signature by the session's PoP key over this connection's exporter"))
        }
        return .passed
    }

    /// The agent side: signs the proof with the PoP private key.
    public static func sign(sessionID: SessionID, exporter: [UInt8], popKey: Ed25519PrivateKey) -> [UInt8] {
        popKey.signature(for: message(sessionID: sessionID, exporter: exporter))
    }
}
