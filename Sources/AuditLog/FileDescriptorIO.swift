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

    static func closeDescriptor(_ fd: Int32) {
        _ = close(fd)
    }

    static func size(_ fd: Int32) -> UInt64 {
        var info = stat()
        return fstat(fd, &info) == 0 ? UInt64(info.st_size) : 0
    }
}
