/// One HTTP field as it travels in an HTTP/3 HEADERS frame: names are lowercase
/// (RFC 9114 §4.2), pseudo-headers are kept out of this list.
public struct HTTP3Header: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == HTTP3Header {
    /// First value of a field, case-insensitively.
    public func first(named name: String) -> String? {
        let lower = name.lowercased()
        return first { $0.name == lower }?.value
    }
}
