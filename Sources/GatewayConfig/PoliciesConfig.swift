/// The top-level `policies` section: where the Cedar policies, schema and static entities
/// live and how changes are picked up. Every key is optional.
public struct PoliciesConfig: Sendable, Hashable {
    /// Folder whose `*.cedar` files make up the policy set; relative paths in the file
    /// resolve against the file's folder.
    public var directory: String
    /// Cedar schema (`.cedarschema` text or `.json`); when set, policies are strictly
    /// validated against it and a policy that does not validate fails the load.
    public var schemaPath: String?
    /// Cedar entities JSON (users, groups, resources) shared by every request.
    public var entitiesPath: String?
    /// Poll the files for changes (SIGHUP always reloads).
    public var watch: Bool
    /// How often the files are polled when `watch` is on.
    public var interval: Duration

    public static let defaultDirectory = "policies"
    public static let defaultInterval = Duration.seconds(2)

    public init(
        directory: String = defaultDirectory, schemaPath: String? = nil, entitiesPath: String? = nil,
        watch: Bool = true, interval: Duration = defaultInterval
    ) {
        self.directory = directory
        self.schemaPath = schemaPath
        self.entitiesPath = entitiesPath
        self.watch = watch
        self.interval = interval
    }
}
