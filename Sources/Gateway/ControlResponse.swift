import Foundation

/// The answer to a `ControlRequest`.
struct ControlResponse: Sendable {
    var status: Int
    /// Lowercased names; `content-length` is added by the writer.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    static func json(_ status: Int, _ object: some Encodable) -> ControlResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(object)).map { Array($0) + [0x0a] } ?? Array("{}\n".utf8)
        return ControlResponse(status: status, headers: [("content-type", "application/json")], body: body)
    }

    /// `{"error": code, "message": …}`, the shape of the gateway's other JSON errors.
    static func error(_ status: Int, _ code: String, _ message: String, headers: [(name: String, value: String)] = [])
        -> ControlResponse
    {
        var response = json(status, ["error": code, "message": message])
        response.headers += headers
        return response
    }
}
