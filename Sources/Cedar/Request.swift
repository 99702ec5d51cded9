/// One authorization question: may `principal` perform `action` on `resource`, given
/// `context`?
public struct Request: Sendable, Hashable {
    public var principal: EntityUID
    public var action: EntityUID
    public var resource: EntityUID
    /// The `context` record.
    public var context: [String: Value]

    public init(principal: EntityUID, action: EntityUID, resource: EntityUID, context: [String: Value] = [:]) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.context = context
    }

    /// Parses Cedar's request JSON: `{"principal": {"type","id"}, "action": …, "resource": …,
    /// "context": {…}}` where context values use the entity-JSON value encoding. Entities may
    /// also be written as Cedar literals, `"principal": "User::\"alice\""`, as the Cedar CLI does. With a
    /// `schema`, context values may use the implicit forms the action's context type allows.
    public static func fromJSON(_ text: String, schema: Schema? = nil) throws(EntitiesError) -> Request {
        let json: JSONValue
        do {
            json = try JSONValue.parse(text)
        } catch {
            throw EntitiesError(.invalidJSON, error.description, path: "")
        }
        return try fromJSON(json, schema: schema)
    }

    /// As `fromJSON(_: String, schema:)`, for an already-parsed document.
    static func fromJSON(_ json: JSONValue, schema: Schema? = nil) throws(EntitiesError) -> Request {
        func uid(_ key: String) throws(EntitiesError) -> EntityUID {
            guard let value = json[key] else { throw EntitiesError(.invalidEntity, "missing `\(key)`", path: "request") }
            if case .string(let text) = value { return try parseUID(text, path: "request.\(key)") }
            return try JSONValueDecoder.entityUID(value, path: "request.\(key)")
        }
        let action = try uid("action")
        let shape = schema?.actions[SchemaActionID(type: action.type.name, id: action.id)]?.context
        var context: [String: Value] = [:]
        switch json["context"] {
        case nil, .null?: break
        case .object(let members)?: context = try JSONValueDecoder.record(members, attributes: shape, path: "request.context")
        case let other?:
            throw EntitiesError(.invalidValue, "context must be an object, got \(other.kindName)", path: "request.context")
        }
        return Request(principal: try uid("principal"), action: action, resource: try uid("resource"), context: context)
    }

    /// An entity literal in Cedar syntax, `NS::Type::"id"`.
    private static func parseUID(_ text: String, path: String) throws(EntitiesError) -> EntityUID {
        guard let uid = EntityUID.parse(text) else {
            throw EntitiesError(.invalidEntity, "`\(text)` is not an entity literal like `User::\"alice\"`", path: path)
        }
        return uid
    }
}
