import Yams

/// The `policies` section and each route's `policy` block.
extension ConfigParser {
    static let policiesKeys = ["directory", "schema", "entities", "reload"]
    static let reloadKeys = ["watch", "interval"]
    static let routePolicyKeys = ["action", "resource_type", "resource_id"]

    /// The section's values with defaults; an absent section is all defaults.
    func policies(_ entry: (node: Node, path: ConfigKeyPath)?) -> PoliciesConfig? {
        guard let entry else { return PoliciesConfig(directory: resolve(PoliciesConfig.defaultDirectory)) }
        guard let map = reader.mapping(entry.node, at: entry.path, known: Self.policiesKeys) else { return nil }
        var directory: String? = resolve(PoliciesConfig.defaultDirectory)
        if let item = map.node("directory", required: false) {
            directory = reader.string(item.node, at: item.path).map(resolve)
        }
        let schema = optionalPath(map, "schema")
        let entities = optionalPath(map, "entities")
        var watch: Bool? = true
        var interval: Duration? = PoliciesConfig.defaultInterval
        if let item = map.node("reload", required: false) {
            if let reload = reader.mapping(item.node, at: item.path, known: Self.reloadKeys) {
                watch = reload.bool("watch", default: true)
                interval = reload.duration("interval", default: PoliciesConfig.defaultInterval)
            } else {
                watch = nil
            }
        }
        guard let directory, let schema, let entities, let watch, let interval else { return nil }
        return PoliciesConfig(
            directory: directory, schemaPath: schema, entitiesPath: entities, watch: watch, interval: interval)
    }

    /// `.some(nil)` when absent, nil when present and wrong.
    private func optionalPath(_ map: MappingReader, _ key: String) -> String?? {
        guard let item = map.node(key, required: false) else { return .some(nil) }
        return reader.string(item.node, at: item.path).map { .some(resolve($0)) }
    }

    /// A route's `policy` block. `routePath` is nil when the path itself was bad, in which
    /// case placeholders are not checked against it (that error is already reported).
    func routePolicy(_ node: Node, at path: ConfigKeyPath, routePath: RoutePath?) -> RoutePolicy? {
        guard let map = reader.mapping(node, at: path, known: Self.routePolicyKeys) else { return nil }
        var action: String?? = .some(nil)
        if let item = map.node("action", required: false) {
            action = reader.string(item.node, at: item.path).map { .some($0) }
        }
        var resourceType: String?
        if let item = map.node("resource_type", required: true), let text = reader.string(item.node, at: item.path) {
            if RoutePolicy.isEntityTypeName(text) {
                resourceType = text
            } else {
                reader.fail(.badValue, at: item.node, item.path,
                            "invalid Cedar entity type \"\(text)\": use identifiers joined by ::, e.g. \"Order\" or \"Shop::Order\"")
            }
        }
        var resourceID: ResourceIDTemplate?? = .some(nil)
        if let item = map.node("resource_id", required: false) {
            resourceID = reader.string(item.node, at: item.path).flatMap { text in
                resourceIDTemplate(text, node: item.node, path: item.path, routePath: routePath).map { .some($0) }
            }
        }
        guard let action, let resourceType, let resourceID else { return nil }
        return RoutePolicy(action: action, resourceType: resourceType, resourceID: resourceID)
    }

    private func resourceIDTemplate(
        _ text: String, node: Node, path: ConfigKeyPath, routePath: RoutePath?
    ) -> ResourceIDTemplate? {
        let template: ResourceIDTemplate
        switch ResourceIDTemplate.parse(text) {
        case .success(let parsed): template = parsed
        case .failure(let reason):
            reader.fail(.badValue, at: node, path, "invalid resource_id \"\(text)\": \(reason.text)")
            return nil
        }
        guard let routePath else { return template }
        var available: [String] = []
        if case .template(let pathTemplate) = routePath {
            available = pathTemplate.segments.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
        }
        let missing = template.parameters.filter { !available.contains($0) }
        guard missing.isEmpty else {
            let known = available.isEmpty
                ? "the route's path has no parameters (use a template path such as \"/orders/{id}\")"
                : "the route's path captures " + available.map { "{\($0)}" }.joined(separator: ", ")
            let names = missing.map { "{\($0)}" }.joined(separator: ", ")
            reader.fail(.badValue, at: node, path, "resource_id uses \(names), but \(known)")
            return nil
        }
        return template
    }
}
