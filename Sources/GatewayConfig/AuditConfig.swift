/// The top-level `audit` section (docs/audit.md): where decision records go and how
/// often they are fsynced. Absent means no audit log, which start-up logs as a warning.
public struct AuditConfig: Sendable, Hashable {
    /// When records are fsynced: a trade between throughput and power-loss exposure.
    public enum Sync: String, Sendable, Hashable, CaseIterable {
        case never
        case always
        case interval
    }

    /// `audit/gateway.jsonl` writes the numbered series `audit/gateway.000001.jsonl`, …
    /// (resolved against the file's folder).
    public var file: String?
    public var stdout: Bool
    public var sync: Sync
    /// For `sync: interval`: at most this long between a write and its fsync.
    public var syncInterval: Duration
    /// Start a new file past this size; nil keeps the writer's default (64 MiB).
    public var rotateBytes: Int?

    /// Which rotated files are deleted, oldest first; nil keeps every file (the default:
    /// deleting audit evidence is the operator's explicit choice, docs/audit.md).
    public var retention: Retention?

    /// `audit.retention`: at least one of the two limits is set.
    public struct Retention: Sendable, Hashable {
        /// Keep at most this many files, the one being written included.
        public var maxFiles: Int?
        /// Delete a rotated file once its last write is older than this.
        public var maxAge: Duration?

        public init(maxFiles: Int? = nil, maxAge: Duration? = nil) {
            self.maxFiles = maxFiles
            self.maxAge = maxAge
        }
    }

    public static let defaultSyncInterval = Duration.seconds(1)

    public init(file: String? = nil, stdout: Bool = false, sync: Sync = .interval,
                syncInterval: Duration = defaultSyncInterval, rotateBytes: Int? = nil, retention: Retention? = nil) {
        self.file = file
        self.stdout = stdout
        self.sync = sync
        self.syncInterval = syncInterval
        self.rotateBytes = rotateBytes
        self.retention = retention
    }
}
