import Foundation

/// Reads Cedar's JSON schema format into the same declarations the human format produces.
///
/// JSON has no useful positions once decoded, so errors name the JSON path instead
/// (`NS.entityTypes.User.shape`) and carry an unknown location.
enum SchemaJSONParser {
    static func parse(_ text: String) throws(SchemaError) -> SchemaDeclarations {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw SchemaError(.syntax, "schema is not valid JSON: \(error.localizedDescription)")
        }
        let root = try dictionary(object, at: "schema")
        var declarations = SchemaDeclarations()
        for (namespaceName, value) in root.sorted(by: { $0.key < $1.key }) {
            let path = namespaceName.isEmpty ? [] : namespaceName.components(separatedBy: "::")
            declarations.namespaces.append(try parseNamespace(value, path: path, at: namespaceName))
        }
        return declarations
    }

    private static func dictionary(_ value: Any, at path: String) throws(SchemaError) -> [String: Any] {
        guard let result = value as? [String: Any] else {
            throw SchemaError(.syntax, "`\(path)` must be a JSON object")
        }
        return result
    }

    /// Unknown keys are errors, as in Cedar, so a misspelled `memberOfType` is not silently ignored.
    private static func checkKeys(_ object: [String: Any], allowed: Set<String>, at path: String) throws(SchemaError) {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw SchemaError(.syntax, "unknown key `\(unknown)` in `\(path)`; expected one of \(allowed.sorted().joined(separator: ", "))")
        }
    }

    private static func strings(_ value: Any?, at path: String) throws(SchemaError) -> [String] {
        guard let value else { return [] }
        guard let result = value as? [String] else {
            throw SchemaError(.syntax, "`\(path)` must be an array of strings")
        }
        return result
    }

    private static func name(_ text: String) -> RawName {
        RawName(components: text.components(separatedBy: "::"), location: .unknown)
    }

    private static func parseNamespace(_ value: Any, path: [String], at jsonPath: String) throws(SchemaError) -> RawNamespace {
        let object = try dictionary(value, at: jsonPath)
        try checkKeys(object, allowed: ["entityTypes", "actions", "commonTypes", "annotations"], at: jsonPath)
        var namespace = RawNamespace(path: path)
        let entityTypes = try dictionary(object["entityTypes"] ?? [String: Any](), at: "\(jsonPath).entityTypes")
        for (entityName, entityValue) in entityTypes.sorted(by: { $0.key < $1.key }) {
            let here = "\(jsonPath).entityTypes.\(entityName)"
            let entity = try dictionary(entityValue, at: here)
            try checkKeys(entity, allowed: ["memberOfTypes", "shape", "tags", "enum", "annotations"], at: here)
            let choices = entity["enum"].map { _ in (entity["enum"] as? [String]) ?? [] }
            if entity["enum"] != nil, choices?.isEmpty ?? true {
                throw SchemaError(.invalidDeclaration, "`\(here).enum` must be a non-empty array of strings")
            }
            namespace.entities.append(RawEntity(
                name: entityName,
                parents: try strings(entity["memberOfTypes"], at: "\(here).memberOfTypes").map(name),
                shape: try entity["shape"].map { v throws(SchemaError) in try parseType(v, at: "\(here).shape") },
                tags: try entity["tags"].map { v throws(SchemaError) in try parseType(v, at: "\(here).tags") },
                enumChoices: choices,
                location: .unknown))
        }
        let actions = try dictionary(object["actions"] ?? [String: Any](), at: "\(jsonPath).actions")
        for (actionName, actionValue) in actions.sorted(by: { $0.key < $1.key }) {
            namespace.actions.append(try parseAction(actionValue, name: actionName, at: "\(jsonPath).actions.\(actionName)"))
        }
        let commonTypes = try dictionary(object["commonTypes"] ?? [String: Any](), at: "\(jsonPath).commonTypes")
        for (typeName, typeValue) in commonTypes.sorted(by: { $0.key < $1.key }) {
            let type = try parseType(typeValue, at: "\(jsonPath).commonTypes.\(typeName)")
            namespace.commonTypes.append(RawCommonType(name: typeName, type: type, location: .unknown))
        }
        return namespace
    }

    private static func parseAction(_ value: Any, name actionName: String, at here: String) throws(SchemaError) -> RawAction {
        let action = try dictionary(value, at: here)
        try checkKeys(action, allowed: ["memberOf", "appliesTo", "attributes", "annotations"], at: here)
        var parents: [RawActionReference] = []
        if let memberOf = action["memberOf"] {
            guard let list = memberOf as? [Any] else { throw SchemaError(.syntax, "`\(here).memberOf` must be an array") }
            for element in list {
                let reference = try dictionary(element, at: "\(here).memberOf[]")
                guard let id = reference["id"] as? String else {
                    throw SchemaError(.syntax, "`\(here).memberOf[].id` must be a string")
                }
                let type = (reference["type"] as? String).map(name)
                parents.append(RawActionReference(type: type, id: id, location: .unknown))
            }
        }
        var appliesTo: RawAppliesTo?
        if let applies = action["appliesTo"], !(applies is NSNull) {
            let spec = try dictionary(applies, at: "\(here).appliesTo")
            try checkKeys(spec, allowed: ["principalTypes", "resourceTypes", "context"], at: "\(here).appliesTo")
            appliesTo = RawAppliesTo(
                principals: try strings(spec["principalTypes"], at: "\(here).appliesTo.principalTypes").map(name),
                resources: try strings(spec["resourceTypes"], at: "\(here).appliesTo.resourceTypes").map(name),
                context: try spec["context"].map { v throws(SchemaError) in try parseType(v, at: "\(here).appliesTo.context") })
        }
        return RawAction(name: actionName, parents: parents, appliesTo: appliesTo, location: .unknown)
    }

    private static func parseType(_ value: Any, at here: String) throws(SchemaError) -> RawType {
        let object = try dictionary(value, at: here)
        try checkKeys(object, allowed: ["type", "element", "attributes", "additionalAttributes", "name", "required", "annotations"], at: here)
        guard let kind = object["type"] as? String else {
            throw SchemaError(.syntax, "`\(here).type` must be a string")
        }
        func named() throws(SchemaError) -> RawName {
            guard let text = object["name"] as? String else {
                throw SchemaError(.syntax, "`\(here).name` must be a string for type `\(kind)`")
            }
            return name(text)
        }
        switch kind {
        case "String": return .builtin(.string, .unknown)
        case "Long": return .builtin(.long, .unknown)
        case "Boolean": return .builtin(.bool, .unknown)
        case "Set":
            guard let element = object["element"] else { throw SchemaError(.syntax, "`\(here)` is a Set without `element`") }
            return .set(try parseType(element, at: "\(here).element"))
        case "Record":
            if (object["additionalAttributes"] as? Bool) == true {
                throw SchemaError(.invalidDeclaration, "`\(here).additionalAttributes` is not supported")
            }
            let attributes = try dictionary(object["attributes"] ?? [String: Any](), at: "\(here).attributes")
            var result: [RawAttribute] = []
            for (attributeName, attributeValue) in attributes.sorted(by: { $0.key < $1.key }) {
                let attributePath = "\(here).attributes.\(attributeName)"
                let type = try parseType(attributeValue, at: attributePath)
                let required = (try dictionary(attributeValue, at: attributePath)["required"] as? Bool) ?? true
                result.append(RawAttribute(name: attributeName, type: type, isRequired: required, location: .unknown))
            }
            return .record(result, .unknown)
        case "Entity": return .reference(try named(), .entity)
        case "EntityOrCommon": return .reference(try named(), .commonOrEntity)
        case "Extension":
            let extensionName = try named().text
            guard SchemaType.extensionNames.contains(extensionName) else {
                throw SchemaError(.undeclaredName, "unknown extension type `\(extensionName)` at `\(here)`")
            }
            return .builtin(.extensionType(extensionName), .unknown)
        default: return .reference(name(kind), .common)
        }
    }
}
