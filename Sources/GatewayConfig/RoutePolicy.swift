/// A route's `policy` block: which Cedar action and resource a request on this route is.
///
/// Checked when the file is read (names well formed, every `{param}` in `resource_id`
/// captured by the route's template) so a typo fails `rta-gateway validate`, not a request.
public struct RoutePolicy: Sendable, Hashable {
    /// The Cedar action id (`Action::"<action>"`); nil derives it from method and route path.
    public var action: String?
    /// The Cedar entity type of the resource, e.g. `Order` or `Shop::Order`.
    public var resourceType: String
    /// The resource id, with `{param}` placeholders filled from the route's path; nil
    /// uses the route's name (for collection routes with one resource).
    public var resourceID: ResourceIDTemplate?

    public init(action: String? = nil, resourceType: String, resourceID: ResourceIDTemplate? = nil) {
        self.action = action
        self.resourceType = resourceType
        self.resourceID = resourceID
    }

    /// `Name` or `Namespace::Name`, each part a Cedar identifier.
    static func isEntityTypeName(_ text: String) -> Bool {
        let parts = text.components(separatedBy: "::")
        return parts.allSatisfy { part in
            guard let first = part.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
            else { return false }
            return part.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }
        }
    }
}
