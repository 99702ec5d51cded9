import AuditLog
import Cedar
import Foundation
import Gateway

/// Reads the files the `policy` subcommands take and turns every failure into a
/// `PolicyCLIError` that names the file, so each command only decides what to print.
enum PolicyInputs {
    /// How diagnostics name standard input.
    static let standardInputName = "<stdin>"

    /// The contents of `path`, or of standard input when `path` is nil or `-`.
    static func text(of path: String?, what: String) throws(PolicyCLIError) -> (name: String, text: String) {
        guard let path, path != "-" else {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard let text = String(data: data, encoding: .utf8) else {
                throw PolicyCLIError(.unreadableFile, "\(standardInputName): \(what) is not UTF-8 text")
            }
            return (standardInputName, text)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyCLIError(.unreadableFile, "\(path): cannot read \(what): \(unreadableReason(path))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyCLIError(.unreadableFile, "\(path): \(what) is not UTF-8 text")
        }
        return (path, text)
    }

    /// Parses the policy file; with `useIDAnnotations`, `@id("…")` names a policy.
    static func policies(at path: String?, useIDAnnotations: Bool) throws(PolicyCLIError) -> PolicySet {
        let (name, text) = try text(of: path, what: "policies")
        do {
            return try PolicySet.parse(text: text, fileName: name, useIDAnnotations: useIDAnnotations)
        } catch {
            switch error {
            case .syntax(let errors):
                throw PolicyCLIError(.policySyntax, errors.errors.map(describe).joined(separator: "\n"))
            case .policySet(let error):
                throw PolicyCLIError(.policySet, "\(name): \(error.message)")
            }
        }
    }

    /// One syntax error as `FILE:LINE:COLUMN: message`, followed by what was found and
    /// expected when the message does not already say so.
    static func describe(_ error: ParseError) -> String {
        var lines = [error.description]
        if !error.found.isEmpty && !error.message.contains(error.found) {
            lines.append("  found: \(error.found)")
        }
        if !error.expected.isEmpty && !error.message.contains("expected") {
            lines.append("  expected: \(error.expected.joined(separator: " or "))")
        }
        return lines.joined(separator: "\n")
    }

    static func schema(at path: String, format: PolicySchemaFormat) throws(PolicyCLIError) -> Schema {
        let (name, text) = try text(of: path, what: "schema")
        do {
            switch format {
            case .cedar: return try Schema.parse(cedarSchema: text)
            case .json: return try Schema.parse(json: text)
            }
        } catch {
            let place = error.line > 0 ? "\(name):\(error.line):\(error.column)" : name
            var message = "\(place): schema error: \(error.message)"
            if format == .cedar && text.drop(while: \.isWhitespace).first == "{" {
                message += "\n  hint: this looks like a JSON schema; pass --schema-format json"
            }
            throw PolicyCLIError(.schema, message)
        }
    }

    static func entities(at path: String, schema: Schema?) throws(PolicyCLIError) -> Entities {
        let (name, text) = try text(of: path, what: "entities")
        do {
            return try Entities.fromJSON(text, schema: schema)
        } catch {
            throw PolicyCLIError(.entities, "\(name): entities error: \(error.description)")
        }
    }

    /// A request from Cedar request JSON (`{"principal", "action", "resource", "context"}`).
    static func request(json text: String, source: String, schema: Schema?) throws(PolicyCLIError) -> Request {
        do {
            return try Request.fromJSON(text, schema: schema)
        } catch {
            throw PolicyCLIError(.request, "\(source): request error: \(error.description)")
        }
    }

    /// A request from entity literals (`User::"alice"`) and an optional context file,
    /// assembled as request JSON so the context gets the same schema-aware decoding.
    static func request(
        principal: String, action: String, resource: String, contextPath: String?, schema: Schema?
    ) throws(PolicyCLIError) -> Request {
        var context = "{}"
        var source = "request"
        if let contextPath {
            let (name, text) = try self.text(of: contextPath, what: "context")
            guard (try? JSONSerialization.jsonObject(with: Data(text.utf8))) is [String: Any] else {
                throw PolicyCLIError(.request, "\(name): context must be a JSON object")
            }
            context = text
            source = name
        }
        let json = """
            {"principal": \(JSONString.quoted(principal)), "action": \(JSONString.quoted(action)), \
            "resource": \(JSONString.quoted(resource)), "context": \(context)}
            """
        return try request(json: json, source: source, schema: schema)
    }

    /// Foundation's read errors on Linux say only "could not be completed"; name the cause.
    private static func unreadableReason(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such file" }
        if isDirectory.boolValue { return "it is a directory" }
        return FileManager.default.isReadableFile(atPath: path) ? "read failed" : "permission denied"
    }
}
