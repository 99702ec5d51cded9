/// Audit lines on the process's stdout, for container log collectors.
public struct StandardOutputSink: AuditSink {
    public init() {}

    public func write(lines: [[UInt8]]) throws(AuditError) {
        try FileDescriptorIO.writeAll(1, lines.flatMap { $0 }, label: "stdout")
    }

    public func sync() throws(AuditError) {
        try FileDescriptorIO.sync(1, label: "stdout")
    }

    public func close() throws(AuditError) {
        try sync()
    }
}
