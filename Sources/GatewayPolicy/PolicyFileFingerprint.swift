import Foundation
import GatewayConfig

/// What the watcher compares between polls: size, modification time and inode of every
/// policy, schema and entities file, plus the list of policy files itself. One `stat` per
/// file, no reads, so polling every couple of seconds costs next to nothing.
struct PolicyFileFingerprint: Sendable, Equatable {
    struct FileState: Sendable, Equatable {
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
        var inode: UInt64
    }

    /// nil for a file that is missing or unreadable, so its appearance counts as a change.
    var files: [String: FileState?]

    init(configuration: PoliciesConfig) {
        var paths: [String] = []
        if let names = try? FileManager.default.contentsOfDirectory(atPath: configuration.directory) {
            paths = names.filter { $0.hasSuffix(".cedar") }.map { (configuration.directory as NSString).appendingPathComponent($0) }
        }
        paths += [configuration.schemaPath, configuration.entitiesPath].compactMap { $0 }
        var files: [String: FileState?] = [:]
        for path in paths {
            var info = stat()
            if stat(path, &info) == 0 {
                files[path] = FileState(
                    size: Int64(info.st_size), modifiedSeconds: info.st_mtim.tv_sec,
                    modifiedNanoseconds: info.st_mtim.tv_nsec, inode: UInt64(info.st_ino))
            } else {
                files[path] = .some(nil)
            }
        }
        self.files = files
    }
}
