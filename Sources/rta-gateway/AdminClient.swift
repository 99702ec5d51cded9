import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One admin API call: prints the JSON answer to standard output on success and the
/// error to standard error otherwise (exit status 1).
enum AdminClient {
    static func call(_ method: HTTPMethod, _ path: String, body: [String: String]? = nil,
                     options: AdminConnectionOptions) async throws {
        let token = try options.resolvedToken()
        var request = HTTPClientRequest(url: "http://\(options.control)\(path)")
        request.method = method
        request.headers.add(name: "authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])))
        }
        let status: UInt
        let text: String
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            status = response.status.code
            text = String(buffer: try await response.body.collect(upTo: 16 << 20))
        } catch {
            printError("rta-gateway sessions: cannot reach the admin API at \(options.control): \(error)")
            throw ExitCode(1)
        }
        guard (200..<300).contains(status) else {
            printError("rta-gateway sessions: HTTP \(status): \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
            throw ExitCode(1)
        }
        print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
    }

    /// `value` percent-encoded for a query string.
    static func query(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? value
    }
}
