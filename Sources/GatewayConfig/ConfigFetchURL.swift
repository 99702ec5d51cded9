import Foundation

/// URLs the gateway itself fetches from a signal transmitter (`jwks_url`, `poll_url`).
/// The rule is the one `identity_providers` key URLs follow: `https://`, or plain
/// `http://` only to loopback (the dev transmitter), because keys or SETs fetched over
/// plain HTTP from elsewhere could be swapped by anyone on the path, and the poll
/// `Authorization` would travel in clear.
enum ConfigFetchURL {
    static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]

    /// Why `text` is refused, phrased to finish `invalid URL "…": `; nil when it is fine.
    static func problem(_ text: String) -> ReasonText? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else {
            return ReasonText("expected an absolute URL such as https://idp.example.com/jwks")
        }
        if components.user != nil || components.password != nil {
            return ReasonText("credentials in the URL are not allowed")
        }
        if components.fragment != nil { return ReasonText("a fragment is not allowed") }
        switch scheme {
        case "https":
            return nil
        case "http":
            return loopbackHosts.contains(host.lowercased())
                ? nil : ReasonText("must be https:// (plain http only to 127.0.0.1, localhost or [::1])")
        default:
            return ReasonText("scheme must be https (or http to loopback)")
        }
    }
}
