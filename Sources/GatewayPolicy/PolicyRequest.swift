import Cedar
import Foundation
import GatewayConfig

/// A gateway request as Cedar sees it: the principal/action/resource/context question and
/// the per-request entities (agent and user) to add to the static ones.
///
/// Mapping (documented in docs/policies.md):
/// - principal `Agent::"<agent_id>"`, an entity with `agent_meta` as attributes and
///   parent `User::"<issuer>|<subject>"`;
/// - action `Action::"<policy.action>"`, or `Action::"<METHOD> <route path>"` when the
///   route's policy block names none (`Action::"GET /orders/{id}"`);
/// - resource `<policy.resource_type>::"<resource_id with {params} filled>"`, or the route
///   name as id when `resource_id` is absent; a route with no policy block is
///   `Route::"<route name>"`;
/// - context `{scopes, chain, chain_depth, assurance_level?, device_compliant,
///   risk_level, client_id?, agent_verified, client_ip, time, method, path}`.
public struct PolicyRequest: Sendable, Hashable {
    public static let agentType = "Agent"
    public static let userType = "User"
    public static let routeType = "Route"

    public var request: Request
    /// The agent entity, then the user entity.
    public var entities: [Entity]

    public init(request: Request, entities: [Entity]) {
        self.request = request
        self.entities = entities
    }

    /// - Parameters:
    ///   - parameters: the route template's captures, percent-decoded (`RouteMatch.parameters`).
    ///   - path: the request path without query.
    public init(
        route: RouteConfig, method: String, path: String, parameters: [String: String], facts: AuthorizationFacts
    ) throws(PolicyMappingError) {
        let action = route.policy?.action ?? "\(method) \(Self.pathText(route.path))"
        let resource: EntityUID
        if let policy = route.policy {
            var id = route.name
            if let template = policy.resourceID {
                guard let rendered = template.render(parameters) else {
                    let missing = template.parameters.filter { parameters[$0] == nil }.joined(separator: ", ")
                    throw PolicyMappingError(.missingPathParameter, "route \"\(route.name)\" has no captured value for \(missing)")
                }
                id = rendered
            }
            resource = EntityUID(type: policy.resourceType, id: id)
        } else {
            resource = EntityUID(type: Self.routeType, id: route.name)
        }
        guard let ip = IPAddr.parse(facts.clientIP) else {
            throw PolicyMappingError(.invalidClientIP, "client address \"\(facts.clientIP)\" is not an IP address")
        }
        var context = Self.sessionContext(facts, capacity: 12)
        context["client_ip"] = .ext(.ipaddr(ip))
        context["method"] = .string(method)
        context["path"] = .string(path)
        self.init(action: action, resource: resource, context: context, facts: facts)
    }

    /// Principal `Agent` (child of its `User`), the given action, resource and context.
    init(action: String, resource: EntityUID, context: [String: Value], facts: AuthorizationFacts) {
        let user = EntityUID(type: Self.userType, id: facts.userID)
        let agent = EntityUID(type: Self.agentType, id: facts.agentID)
        self.request = Request(principal: agent, action: EntityUID(type: "Action", id: action), resource: resource, context: context)
        self.entities = [
            Entity(uid: agent, attributes: facts.agentMeta, parents: [user]),
            Entity(uid: user),
        ]
    }

    /// The context fields that describe the session rather than one request
    /// (docs/policies.md): what a session-level check can know without a request.
    ///
    /// `capacity` is the number of fields the caller will end up with, so the record is
    /// allocated once at its final size instead of growing under the request's fields.
    static func sessionContext(_ facts: AuthorizationFacts, capacity: Int = 9) -> [String: Value] {
        var context = [String: Value](minimumCapacity: capacity)
        context["scopes"] = stringSet(facts.scopes)
        context["chain"] = stringSet(facts.chain)
        context["chain_depth"] = .long(Int64(facts.chain.count))
        context["device_compliant"] = .bool(facts.deviceCompliant)
        context["risk_level"] = .string(facts.riskLevel)
        context["time"] = .ext(.datetime(CedarDatetime(millisecondsSinceEpoch: Int64((facts.now.timeIntervalSince1970 * 1000).rounded(.down)))))
        if let level = facts.assuranceLevel { context["assurance_level"] = .string(level) }
        context["agent_verified"] = .bool(facts.agentVerified)
        if let clientID = facts.clientID { context["client_id"] = .string(clientID) }
        return context
    }

    /// A Cedar set of strings, built in place (no intermediate array of values).
    static func stringSet(_ strings: [String]) -> Value {
        var set = Set<Value>(minimumCapacity: strings.count)
        for string in strings { set.insert(.string(string)) }
        return .set(set)
    }

    /// The route's path as written in the config: the template, prefix or exact path.
    static func pathText(_ path: RoutePath) -> String {
        switch path {
        case .exact(let text), .prefix(let text): text
        case .template(let template): template.description
        }
    }

    /// The static entities plus this request's. A static entity with the same UID wins for
    /// the user (the directory knows more about users than a token does); for the agent,
    /// the request's attributes are laid over the static ones and the parents are joined.
    ///
    /// The static store keeps the ancestors it computed when the snapshot was loaded; only
    /// this request's entities are added on top (`Entities.overlaid(with:)`).
    func entitySet(adding base: Entities) throws(PolicyMappingError) -> Entities {
        var extra: [Entity] = []
        extra.reserveCapacity(entities.count)
        for entity in entities {
            guard let existing = base[entity.uid] else {
                extra.append(entity)
                continue
            }
            guard entity.uid.type.name == Self.agentType else { continue }
            let merged = Entity(
                uid: entity.uid, attributes: existing.attributes.merging(entity.attributes) { $1 },
                parents: existing.parents.union(entity.parents), tags: existing.tags)
            if let index = extra.firstIndex(where: { $0.uid == entity.uid }) {
                extra[index] = merged
            } else {
                extra.append(merged)
            }
        }
        do {
            return try base.overlaid(with: extra)
        } catch {
            throw PolicyMappingError(.entities, error.description)
        }
    }
}
