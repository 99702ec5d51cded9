import Foundation

@testable import GatewayConfig

/// A temporary config folder holding secret files, so the parser's reading of
/// `hmac_secret_file` and `token_file` (relative to the config's folder) is tested on
/// real files. Removed when released.
final class SecretFolder {
    let path: String

    init(_ files: [String: String] = [:]) throws {
        path = NSTemporaryDirectory() + "rta-config-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, contents) in files {
            let file = path + "/" + name
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try contents.write(toFile: file, atomically: true, encoding: .utf8)
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension SecretFolder {
    /// `validYAML` plus `section`, parsed with this folder as the config's folder.
    func parse(_ section: String) throws(ConfigErrors) -> GatewayConfig {
        try GatewayConfig.parse(yaml: withTokens(validYAML + section), fileName: "gateway.yaml", baseDirectory: path)
    }

    /// Every error of `validYAML + section` as `line:column: key path: message`, without the file name.
    func errors(_ section: String) -> [String] {
        do {
            _ = try parse(section)
            return []
        } catch {
            return error.errors.map { String($0.description.dropFirst("gateway.yaml:".count)) }
        }
    }
}
