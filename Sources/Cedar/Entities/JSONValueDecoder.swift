/// Converts Cedar's JSON value encoding into `Value`s: numbers must be 64-bit integers,
/// arrays are sets, objects are records unless escaped with `__entity` (an entity
/// reference) or `__extn` (an extension call, `{"fn", "arg"}` or `{"fn", "args"}`).
///
/// When a schema says what type is expected, the escapes may be left out, as Cedar allows:
/// `{"type", "id"}` where an entity is expected, `{"fn", "arg"}` where an extension value is.
enum JSONValueDecoder {
    static func value(_ json: JSONValue, expected: SchemaType? = nil, path: String) throws(EntitiesError) -> Value {
        switch json {
        case .null:
            throw EntitiesError(.invalidValue, "null is not a Cedar value", path: path)
        case .bool(let b):
            return .bool(b)
        case .number(let text):
            guard let n = Int64(text) else {
                throw EntitiesError(.invalidValue, "`\(text)` is not a 64-bit integer", path: path)
            }
            return .long(n)
        case .string(let s):
            return .string(s)
        case .array(let items):
            var elementType: SchemaType?
            if case .set(let t)? = expected { elementType = t }
            var set = Set<Value>(minimumCapacity: items.count)
            for (i, item) in items.enumerated() {
                set.insert(try value(item, expected: elementType, path: "\(path)[\(i)]"))
            }
            return .set(set)
        case .object(let members):
            if members.count == 1, members[0].key == "__entity" {
                return .entity(try entityUID(members[0].value, path: "\(path).__entity"))
            }
            if members.count == 1, members[0].key == "__extn" {
                return try extensionValue(members[0].value, path: "\(path).__extn")
            }
            switch expected {
            case .entity?:
                return .entity(try entityUID(json, path: path))
            case .extensionType?:
                return try extensionValue(json, path: path)
            case .record(let attributes)?:
                return .record(try record(members, attributes: attributes, path: path))
            default:
                return .record(try record(members, path: path))
            }
        }
    }

    static func record(
        _ members: [(key: String, value: JSONValue)], attributes: [String: SchemaAttribute]? = nil, path: String
    ) throws(EntitiesError) -> [String: Value] {
        var fields = [String: Value](minimumCapacity: members.count)
        for (key, item) in members {
            let v = try value(item, expected: attributes?[key]?.type, path: "\(path).\(key)")
            guard fields.updateValue(v, forKey: key) == nil else {
                throw EntitiesError(.duplicateKey, "duplicate key `\(key)`", path: path)
            }
        }
        return fields
    }

    /// `{"type": "T", "id": "i"}`, also accepted wrapped as `{"__entity": {…}}`.
    static func entityUID(_ json: JSONValue, path: String) throws(EntitiesError) -> EntityUID {
        var json = json
        if let inner = json["__entity"] { json = inner }
        guard case .object(let members) = json, members.count == 2,
            let type = json["type"]?.stringValue, let id = json["id"]?.stringValue
        else {
            throw EntitiesError(.invalidEntity, "expected an entity reference `{\"type\": …, \"id\": …}`", path: path)
        }
        return EntityUID(type: type, id: id)
    }

    private static func extensionValue(_ json: JSONValue, path: String) throws(EntitiesError) -> Value {
        guard let fn = json["fn"]?.stringValue, ExtensionFunctions.isKnown(fn) else {
            throw EntitiesError(.extensionError, "expected `{\"fn\": <extension function>, \"arg\": …}`", path: path)
        }
        var args: [Value] = []
        if let arg = json["arg"] {
            args = [try value(arg, path: "\(path).arg")]
        } else if let list = json["args"]?.arrayValue {
            for (i, item) in list.enumerated() { args.append(try value(item, path: "\(path).args[\(i)]")) }
        } else {
            throw EntitiesError(.extensionError, "extension call `\(fn)` needs `arg` or `args`", path: path)
        }
        do {
            return try ExtensionFunctions.call(fn, args, span: .none)
        } catch {
            throw EntitiesError(.extensionError, error.message, path: path)
        }
    }
}
