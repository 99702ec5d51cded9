import Yams

/// The `audit` section (docs/audit.md). Optional; present but wrong, it records its
/// errors and yields `.none` for the whole parse.
extension ConfigParser {
    static let auditKeys = ["file", "stdout", "fsync", "fsync_interval", "rotate_bytes", "retention"]
    static let auditRetentionKeys = ["max_files", "max_age"]

    /// `.some(nil)` when absent, nil when present and wrong.
    func audit(_ entry: (node: Node, path: ConfigKeyPath)?) -> AuditConfig?? {
        guard let entry else { return .some(nil) }
        guard let map = reader.mapping(entry.node, at: entry.path, known: Self.auditKeys) else { return nil }
        let file = optionalString(map, "file").map { $0.map(resolve) }
        let stdout = map.bool("stdout", default: false)
        var sync: AuditConfig.Sync? = .interval
        if let item = map.node("fsync", required: false), let text = reader.string(item.node, at: item.path) {
            sync = AuditConfig.Sync(rawValue: text)
            if sync == nil {
                reader.fail(.badValue, at: item.node, item.path,
                            "invalid fsync \"\(text)\": use never, always or interval")
            }
        } else if map.node("fsync", required: false) != nil {
            sync = nil
        }
        let interval = map.duration("fsync_interval", default: AuditConfig.defaultSyncInterval)
        var rotateBytes: Int?? = .some(nil)
        if let item = map.node("rotate_bytes", required: false) {
            rotateBytes = reader.int(item.node, at: item.path).flatMap { value in
                guard value >= 1 else {
                    reader.fail(.badValue, at: item.node, item.path, "must be at least 1, found \(value)")
                    return nil
                }
                return .some(value)
            }
        }
        let retention = auditRetention(map.node("retention", required: false))
        guard let file, let stdout, let sync, let interval, let rotateBytes, let retention else { return nil }
        if file == nil, !stdout {
            reader.fail(.badValue, at: entry.node, entry.path,
                        "the audit section writes nowhere: set file (e.g. audit/gateway.jsonl) or stdout: true")
            return nil
        }
        if file == nil, retention != nil, let item = map.node("retention", required: false) {
            reader.fail(.badValue, at: item.node, item.path,
                        "retention deletes rotated audit files, and this section writes none: set file or remove retention")
            return nil
        }
        return .some(AuditConfig(file: file, stdout: stdout, sync: sync, syncInterval: interval, rotateBytes: rotateBytes,
                                 retention: retention))
    }

    /// `.some(nil)` when absent (keep every file), nil when present and wrong.
    private func auditRetention(_ entry: (node: Node, path: ConfigKeyPath)?) -> AuditConfig.Retention?? {
        guard let entry else { return .some(nil) }
        guard let map = reader.mapping(entry.node, at: entry.path, known: Self.auditRetentionKeys) else { return nil }
        var maxFiles: Int?? = .some(nil)
        if map.node("max_files", required: false) != nil {
            maxFiles = map.positiveInt("max_files", default: 1).map { .some($0) }
        }
        var maxAge: Duration?? = .some(nil)
        if map.node("max_age", required: false) != nil {
            maxAge = map.duration("max_age", default: .zero).map { .some($0) }
        }
        guard let maxFiles, let maxAge else { return nil }
        guard maxFiles != nil || maxAge != nil else {
            reader.fail(.badValue, at: entry.node, entry.path,
                        "retention sets no limit: set max_files, max_age or both (leave retention out to keep every file)")
            return nil
        }
        return .some(AuditConfig.Retention(maxFiles: maxFiles, maxAge: maxAge))
    }
}
