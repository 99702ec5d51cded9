import Testing
@testable import Cedar

@Suite struct SchemaJSONParserTests {
    @Test func readsTheJSONFormat() throws {
        let schema = try Schema.parse(json: """
            {
              "App": {
                "commonTypes": { "Ctx": { "type": "Record", "attributes": {
                  "ip": { "type": "Extension", "name": "ipaddr" },
                  "n": { "type": "Long", "required": false } } } },
                "entityTypes": {
                  "User": { "memberOfTypes": ["Group"], "shape": { "type": "Record", "attributes": {
                    "groups": { "type": "Set", "element": { "type": "Entity", "name": "Group" } },
                    "ok": { "type": "Boolean" } } },
                    "tags": { "type": "String" } },
                  "Group": {},
                  "Kind": { "enum": ["a", "b"] }
                },
                "actions": {
                  "all": {},
                  "read": { "memberOf": [{ "id": "all" }],
                            "appliesTo": { "principalTypes": ["User"], "resourceTypes": ["Group"],
                                           "context": { "type": "Ctx" } } }
                }
              }
            }
            """)
        let user = try #require(schema.entityTypes["App::User"])
        #expect(user.parents == ["App::Group"])
        #expect(user.attributes["groups"]?.type == .set(.entity("App::Group")))
        #expect(user.attributes["ok"]?.type == .bool)
        #expect(user.tagType == .string)
        #expect(schema.entityTypes["App::Kind"]?.enumChoices == ["a", "b"])
        let read = try #require(schema.actions[SchemaActionID(type: "App::Action", id: "read")])
        #expect(read.parents == [SchemaActionID(type: "App::Action", id: "all")])
        #expect(read.context["ip"] == SchemaAttribute(type: .extensionType("ipaddr"), isRequired: true))
        #expect(read.context["n"] == SchemaAttribute(type: .long, isRequired: false))
        #expect(schema.entityTypes(in: "App::Group") == ["App::Group", "App::User"])
    }

    @Test(arguments: [
        ("[1]", SchemaError.Code.syntax),
        ("{\"\": {\"entityTypes\": {\"E\": {\"shape\": {\"type\": \"Nope\"}}}}}", .undeclaredName),
        ("{\"\": {\"entityTypes\": {\"E\": {\"shape\": {\"type\": \"Long\"}}}}}", .invalidDeclaration),
        ("{\"\": {\"actions\": {\"a\": {\"memberOf\": [{\"id\": \"b\"}]}}}}", .undeclaredName),
        ("{\"\": {\"entityTypes\": {\"E\": {\"enum\": []}}}}", .invalidDeclaration),
        ("{\"\": {\"entityTypes\": {\"E\": {\"memberOfType\": []}}}}", .syntax),
    ])
    func rejectsInvalidJSONSchemas(text: String, code: SchemaError.Code) {
        #expect(performing: { try Schema.parse(json: text) }, throws: { ($0 as? SchemaError)?.code == code })
    }
}
