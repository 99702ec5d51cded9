import Foundation
import HTTP3
import RTATokens
import Sodium
import TokenExchange

/// The body of `POST /.well-known/rta/bind` (PROTOCOL.md §4): `token` (base64url
/// RTAToken; `Authorization: RTA …` also works) and `proof` (base64url Ed25519
/// signature), as a form or as a JSON object.
struct BindRequest: Sendable {
    var token: [UInt8]
    var proof: [UInt8]

    static func parse(_ body: [UInt8], contentType: String?, headers: [HTTP3Header]) -> Result<BindRequest, BindFailure> {
        let fields: [String: String]
        if contentType?.lowercased().hasPrefix("application/json") == true {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                return .failure(.malformed("the body is not a JSON object"))
            }
            fields = object.compactMapValues { $0 as? String }
        } else {
            do {
                fields = try FormBody.parse(body)
            } catch {
                return .failure(.malformed(error.message))
            }
        }
        let token: [UInt8]
        if let text = fields["token"] {
            do {
                token = try RTAToken(base64url: text).bytes
            } catch {
                return .failure(.token(error))
            }
        } else {
            switch RTAAuthorizationHeader.token(in: headers) {
            case .success(let parsed): token = parsed.bytes
            case .failure(let error): return .failure(.token(error))
            }
        }
        guard let proofText = fields["proof"] else { return .failure(.malformed("missing proof")) }
        guard let proof = try? Base64URL.decode(proofText) else {
            return .failure(.malformed("proof is not base64url"))
        }
        return .success(BindRequest(token: token, proof: proof))
    }
}

/// Why a bind was refused, and how that is answered.
enum BindFailure: Error, Sendable {
    case malformed(String)
    case token(TokenError)
    case unavailable(String)

    var response: GatewayErrorResponse {
        switch self {
        case .malformed(let message): .badRequest(message)
        case .token(let error): .unauthorized(error)
        case .unavailable(let message): .serviceUnavailable("session store unavailable: \(message)")
        }
    }

    var reason: String {
        switch self {
        case .malformed: "bad_request"
        case .token(let error): error.wireCode.rawValue
        case .unavailable: "session_store_unavailable"
        }
    }

    var errors: [String] {
        switch self {
        case .malformed(let message): [message]
        case .token(let error): [error.code.rawValue]
        case .unavailable(let message): [message]
        }
    }
}
