import Foundation

/// A request on the control listener for the routes that need the gateway's state
/// (admin API, SSF push), collected whole: their bodies are small and bounded.
struct ControlRequest: Sendable {
    var method: String
    /// Path without the query.
    var path: String
    var query: [String: String]
    /// Lowercased names.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// Splits `/a/b?x=1&y=%20` into the path and percent-decoded query items (last one wins).
    static func split(uri: String) -> (path: String, query: [String: String]) {
        guard let components = URLComponents(string: uri) else {
            return (String(uri.prefix { $0 != "?" }), [:])
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        return (components.percentEncodedPath, query)
    }
}
