import Foundation

/// Where tests find the repository's files and the shared folder beside it, from this
/// source file's location (tests run from any working directory).
public enum RepositoryPaths {
    /// `RTA_REPO` if set (for builds from another package folder), else derived from this file.
    public static let root: String = {
        if let root = ProcessInfo.processInfo.environment["RTA_REPO"] { return root }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    public static var fixtures: String { root + "/fixtures" }
    public static var peers: String { root + "/Tests/peers" }
    /// A policy folder with one `permit` for everything, for tests that are not about Cedar.
    public static var permitAllPolicies: String { root + "/Tests/policies/permit-all" }

    /// `RTA_SHARED` if set, else `../shared` next to the repository.
    public static var shared: String {
        ProcessInfo.processInfo.environment["RTA_SHARED"] ?? (root as NSString).deletingLastPathComponent + "/shared"
    }
}
