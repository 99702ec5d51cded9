import Testing
@testable import Cedar

@Suite struct SchemaResolverTests {
    @Test(arguments: [
        "entity A; namespace N { entity A; }",
        "type A = Long; namespace N { entity A; }",
        "entity A; namespace N { type A = String; }",
        "action go; namespace N { action go; }",
    ])
    func namespacedDeclarationsMayNotShadowTheEmptyNamespace(text: String) {
        #expect(performing: { try Schema.parse(cedarSchema: text) },
                throws: { ($0 as? SchemaError)?.code == .duplicateDeclaration })
    }

    @Test func differentNamesAndCedarBuiltinsAreFine() throws {
        let schema = try Schema.parse(cedarSchema: "entity String; namespace N { entity B { s: __cedar::String }; action go; }")
        #expect(schema.entityTypes["N::B"]?.attributes["s"]?.type == .string)
    }
}
