import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX calls the sinks need, with EINTR and short writes handled once. A
/// `label` (the file's path, for the error message) is only built when a call fails:
/// the audit writer calls these for every batch.
enum FileDescriptorIO {
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], label: @autoclosure () -> String) throws(AuditError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                let error = errno  // before `label()` can touch it
                if error == EINTR { continue }
                throw AuditError(.writeFailed, "\(label()): write failed: \(String(cString: strerror(error)))")
            }
            offset += written
        }
    }

    /// fsync; EINVAL/ENOTSUP mean "this kind of file (pipe, tty) has nothing to sync".
    static func sync(_ fd: Int32, label: @autoclosure () -> String) throws(AuditError) {
        while fsync(fd) != 0 {
            let error = errno  // before `label()` can touch it
            if error == EINTR { continue }
            if error == EINVAL || error == ENOTSUP || error == EROFS { return }
            throw AuditError(.syncFailed, "\(label()): fsync failed: \(String(cString: strerror(error)))")
        }
    }

    static func openForAppend(_ path: String) throws(AuditError) -> Int32 {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 {
            throw AuditError(.openFailed, "\(path): cannot open for append: \(String(cString: strerror(errno)))")
        }
        return fd
    }

    /// A new file, or nil if `path` exists already (nothing is overwritten).
    static func createExclusive(_ path: String) throws(AuditError) -> Int32? {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            let error = errno
            if error == EEXIST { return nil }
            throw AuditError(.resumeFailed, "\(path): cannot create: \(String(cString: strerror(error)))")
        }
        return fd
    }

    /// Created or emptied, for a file that is then renamed over another.
    static func openForReplace(_ path: String) throws(AuditError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 {
            throw AuditError(.writeFailed, "\(path): cannot create: \(String(cString: strerror(errno)))")
        }
        return fd
    }

    /// Cuts `path` to `length` bytes and syncs it.
    static func truncate(_ path: String, to length: UInt64) throws(AuditError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        if fd < 0 {
            throw AuditError(.resumeFailed, "\(path): cannot open: \(String(cString: strerror(errno)))")
        }
        defer { closeDescriptor(fd) }
        while ftruncate(fd, off_t(length)) != 0 {
            let error = errno
            if error == EINTR { continue }
            throw AuditError(.resumeFailed, "\(path): cannot truncate: \(String(cString: strerror(error)))")
        }
        try sync(fd, label: path)
    }

    static func move(_ from: String, to: String) throws(AuditError) {
        if rename(from, to) != 0 {
            throw AuditError(.writeFailed, "\(from): cannot rename to \(to): \(String(cString: strerror(errno)))")
        }
    }

    /// Deletes `path`; a file already gone is not an error.
    static func remove(_ path: String) throws(AuditError) {
        if unlink(path) != 0, errno != ENOENT {
            throw AuditError(.writeFailed, "\(path): cannot delete: \(String(cString: strerror(errno)))")
        }
    }

    /// Makes a new or renamed entry in `path`'s folder durable.
    static func syncDirectory(of path: String) throws(AuditError) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 {
            throw AuditError(.syncFailed, "\(directory): cannot open folder: \(String(cString: strerror(errno)))")
        }
        defer { closeDescriptor(fd) }
        try sync(fd, label: directory)
    }

    /// The last line of `path` (without its newline) and whether it ends with one; nil for
    /// an empty file. Reads backwards from the end, so a long file costs one line.
    static func lastLine(_ path: String) throws(AuditError) -> (line: [UInt8], complete: Bool)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            throw AuditError(.resumeFailed, "\(path): cannot open: \(String(cString: strerror(errno)))")
        }
        defer { closeDescriptor(fd) }
        let size = Int(size(fd))
        guard size > 0 else { return nil }
        var length = min(size, 4_096)
        while true {
            var chunk = [UInt8](repeating: 0, count: length)
            var done = 0
            while done < length {
                let count = chunk.withUnsafeMutableBytes { buffer in
                    pread(fd, buffer.baseAddress! + done, length - done, off_t(size - length + done))
                }
                if count < 0 {
                    let error = errno
                    if error == EINTR { continue }
                    throw AuditError(.resumeFailed, "\(path): cannot read: \(String(cString: strerror(error)))")
                }
                if count == 0 { throw AuditError(.resumeFailed, "\(path): shrank while being read") }
                done += count
            }
            let complete = chunk.last == UInt8(ascii: "\n")
            let body = complete ? chunk.dropLast() : chunk[...]
            if let newline = body.lastIndex(of: UInt8(ascii: "\n")) {
                return (Array(body[(newline + 1)...]), complete)
            }
            if length == size { return (Array(body), complete) }
            length = min(size, length * 4)
        }
    }

    static func closeDescriptor(_ fd: Int32) {
        _ = close(fd)
    }

    static func size(_ fd: Int32) -> UInt64 {
        var info = stat()
        return fstat(fd, &info) == 0 ? UInt64(info.st_size) : 0
    }
}
