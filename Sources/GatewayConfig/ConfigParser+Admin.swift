import Yams

/// The `admin` section: the operator API's bearer token and how many recent signals it
/// keeps. The token is checked here (length, characters) so a guessable or unusable
/// token fails `validate` rather than leaving the API open or unreachable.
extension ConfigParser {
    static let adminKeys = ["token", "token_file", "recent_signals"]
    /// 16 characters of hex is 64 bits: too many to guess online against one control port.
    static let minimumAdminTokenLength = 16

    /// `.some(nil)` when absent, nil when present and wrong.
    func admin(_ entry: (node: Node, path: ConfigKeyPath)?) -> AdminSettings?? {
        guard let entry else { return .some(nil) }
        guard let map = reader.mapping(entry.node, at: entry.path, known: Self.adminKeys) else { return nil }
        let token = adminToken(map, at: entry.path)
        let recent = map.positiveInt("recent_signals", default: AdminSettings.defaultRecentSignals)
        guard let token, let recent else { return nil }
        return .some(AdminSettings(token: token, recentSignals: recent))
    }

    /// Exactly one of `token` (inline) and `token_file` (read now, trailing newline removed).
    private func adminToken(_ map: MappingReader, at path: ConfigKeyPath) -> String? {
        switch (map.node("token", required: false), map.node("token_file", required: false)) {
        case (let inline?, nil):
            guard let token = reader.string(inline.node, at: inline.path) else { return nil }
            return checkedAdminToken(token, source: "token", at: inline.node, inline.path)
        case (nil, let file?):
            guard let text = reader.string(file.node, at: file.path) else { return nil }
            let filePath = resolve(text)
            switch ConfigSecretFile.read(filePath) {
            case .failure(let reason):
                reader.fail(.unreadableFile, at: file.node, file.path, "cannot read \"\(filePath)\": \(reason.text)")
                return nil
            case .success(let bytes):
                let token = String(decoding: bytes, as: UTF8.self)
                guard Array(token.utf8) == bytes else {
                    reader.fail(.badValue, at: file.node, file.path, "\"\(filePath)\" is not UTF-8 text")
                    return nil
                }
                return checkedAdminToken(token, source: "the token in \"\(filePath)\"", at: file.node, file.path)
            }
        case (_?, let file?):
            reader.fail(.badValue, at: file.node, file.path, "give either token or token_file, not both")
            return nil
        case (nil, nil):
            reader.fail(.missingKey, at: map.node, path,
                        "missing \"token_file\" (or \"token\"): every admin request must carry this bearer token")
            return nil
        }
    }

    /// The token travels as `Authorization: Bearer <token>`, so it must be visible ASCII
    /// without spaces; the message never repeats it.
    private func checkedAdminToken(_ token: String, source: String, at node: Node, _ path: ConfigKeyPath) -> String? {
        guard token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            reader.fail(.badValue, at: node, path,
                        "\(source) must be printable ASCII without spaces (it is sent as Authorization: Bearer <token>)")
            return nil
        }
        guard token.count >= Self.minimumAdminTokenLength else {
            reader.fail(.badValue, at: node, path,
                        "\(source) is \(token.count) characters; use at least \(Self.minimumAdminTokenLength) "
                            + "(e.g. openssl rand -hex 16)")
            return nil
        }
        return token
    }
}
