import Foundation
import GatewayConfig
import Sodium

/// Recognises the development secrets committed under `fixtures/` by their content, not
/// their path, so a copy under another name is still caught. Anyone can read them in the
/// repository: a gateway that other hosts can reach must not trust them.
public enum DevelopmentSecrets {
    /// SHA-256 (hex) of each committed secret with surrounding whitespace trimmed, so a
    /// copy that lost or gained a trailing newline still matches.
    static let fingerprints: [String: String] = [
        "b753d7b5980ab6f8bd125d2bc1105d177dd9419ae3d55d30699407a3892e31be": "fixtures/dev-signing-key-1.json",
        "31fabfd302dba907ee4ce559a1ff2703932cc3884109f5f3d95d5998afeac79f": "fixtures/dev-signing-key-2.json",
        "c87922c38674f81d7a3a86dce3e5d84078a5c4927c8be620cea0b642fd9ccd6d": "fixtures/dev-admin-token",
        "c16b331a77245708a8c141ef99e9811c5696c2e3122b84c243ff6a281e426b54": "fixtures/dev-ssf-transmitter-key.pem",
    ]

    /// The fixture `content` is a copy of, or nil.
    public static func fixture(matching content: some Collection<UInt8>) -> String? {
        let text = String(decoding: Array(content), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return fingerprints[Hex.encode(SHA256.hash(utf8: text))]
    }

    /// The fixture the file at `path` is a copy of, or nil (also when it cannot be read).
    public static func fixture(atPath path: String) -> String? {
        FileManager.default.contents(atPath: path).flatMap { fixture(matching: Array($0)) }
    }

    /// One warning per committed secret `config` uses while a listener binds a non-loopback
    /// address; none when both listeners are loopback (development on one machine).
    public static func exposureWarnings(_ config: GatewayConfig) -> [String] {
        let exposed = [config.listen.quic, config.listen.control].filter { !$0.isLoopback }
        guard !exposed.isEmpty else { return [] }
        var found: [(use: String, fixture: String)] = []
        for path in config.tokens?.keyPaths ?? [] {
            if let fixture = fixture(atPath: path) { found.append(("tokens.keys \(path)", fixture)) }
        }
        if let token = config.admin?.token, let fixture = fixture(matching: Array(token.utf8)) {
            found.append(("admin token", fixture))
        }
        let addresses = exposed.map(\.description).joined(separator: ", ")
        return found.map { use, fixture in
            "DEVELOPMENT SECRET IN USE ON A NON-LOOPBACK ADDRESS: \(use) is the committed \(fixture), "
                + "which anyone can read; listening on \(addresses). Generate your own before exposing the gateway."
        }
    }
}
