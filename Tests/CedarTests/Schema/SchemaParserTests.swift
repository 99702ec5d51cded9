import Testing
@testable import Cedar

@Suite struct SchemaParserTests {
    static let photoApp = """
        // A small application in a namespace, with every declaration form.
        namespace PhotoApp {
          type Address = { street: String, zip?: Long };
          @doc("a person")
          entity User in [Group] = {
            name: String,
            "home address"?: Address,
            ip: __cedar::ipaddr,
          } tags Set<String>;
          entity Group in Org;
          entity Org;
          entity Color enum ["red", "green"];
          entity Photo, Album in Album { owner: User, tags: Set<String> };
          action "read", "write" appliesTo {
            principal: [User],
            resource: Photo,
            context: { when: __cedar::datetime, ok?: Bool }
          };
          action all;
          action "view" in ["read", Action::"all"] appliesTo { principal: User, resource: [Photo, Album], context: Address };
        }
        entity Global;
        """

    @Test func parsesEveryDeclarationForm() throws {
        let schema = try Schema.parse(cedarSchema: Self.photoApp)
        let user = try #require(schema.entityTypes["PhotoApp::User"])
        #expect(user.parents == ["PhotoApp::Group"])
        #expect(user.attributes["name"] == SchemaAttribute(type: .string, isRequired: true))
        #expect(user.attributes["ip"]?.type == .extensionType("ipaddr"))
        #expect(user.attributes["home address"] == SchemaAttribute(
            type: .record(["street": SchemaAttribute(type: .string, isRequired: true),
                           "zip": SchemaAttribute(type: .long, isRequired: false)]),
            isRequired: false))
        #expect(user.tagType == .set(.string))
        #expect(schema.entityTypes["PhotoApp::Color"]?.enumChoices == ["red", "green"])
        #expect(schema.entityTypes["Global"] != nil)
        #expect(schema.entityTypes["PhotoApp::Album"]?.parents == ["PhotoApp::Album"])
        #expect(schema.entityTypes["PhotoApp::Album"]?.descendants == ["PhotoApp::Album", "PhotoApp::Photo"])
        #expect(schema.entityTypes(in: "PhotoApp::Org") == ["PhotoApp::Org", "PhotoApp::Group", "PhotoApp::User"])

        let read = SchemaActionID(type: "PhotoApp::Action", id: "read")
        let view = SchemaActionID(type: "PhotoApp::Action", id: "view")
        let all = SchemaActionID(type: "PhotoApp::Action", id: "all")
        #expect(schema.actions[read]?.principalTypes == ["PhotoApp::User"])
        #expect(schema.actions[read]?.context["ok"] == SchemaAttribute(type: .bool, isRequired: false))
        #expect(schema.actions[view]?.resourceTypes == ["PhotoApp::Photo", "PhotoApp::Album"])
        #expect(schema.actions[view]?.context["street"]?.type == .string)
        #expect(schema.actions[all]?.principalTypes == [])
        #expect(schema.actions(in: [all]) == [all, view])
        #expect(schema.actions(in: [SchemaActionID(type: "PhotoApp::Action", id: "nope")]) == nil)
        #expect(schema.isKnownEntityType("Other::Action"))
    }

    @Test func declarationsShadowBuiltinsUnlessQualifiedWithCedar() throws {
        let schema = try Schema.parse(cedarSchema: """
            entity String;
            entity E { a: String, b: __cedar::String, c: Long };
            """)
        let attributes = try #require(schema.entityTypes["E"]).attributes
        #expect(attributes["a"]?.type == .entity("String"))
        #expect(attributes["b"]?.type == .string)
        #expect(attributes["c"]?.type == .long)
    }

    @Test(arguments: [
        ("entity User = { name: String ", SchemaError.Code.syntax, 1, 30),
        ("entity User;\nentity User;", .duplicateDeclaration, 2, 1),
        ("entity User in [Group];", .undeclaredName, 1, 17),
        ("entity User { a: Strin };", .undeclaredName, 1, 18),
        ("entity User { a: Long, a: Long };", .duplicateDeclaration, 1, 24),
        ("type T = { a: T };", .cycle, 1, 15),
        ("entity if;", .reservedName, 1, 8),
        ("entity E { s: \"\\q\" };", .invalidEscape, 1, 15),
        ("entity E;\naction a appliesTo { principal: [], resource: E };", .invalidDeclaration, 2, 22),
        ("entity E;\naction a appliesTo { resource: E };", .invalidDeclaration, 2, 1),
        ("action a in b;", .undeclaredName, 1, 13),
        ("action a in b;\naction b in a;", .cycle, 0, 0),
        ("entity E; @a @a action x;", .duplicateDeclaration, 1, 15),
    ])
    func reportsErrorsWithPositions(text: String, code: SchemaError.Code, line: Int, column: Int) {
        do {
            _ = try Schema.parse(cedarSchema: text)
            Issue.record("expected \(code) for \(text)")
        } catch {
            #expect(error.code == code)
            #expect(error.line == line)
            #expect(error.column == column)
        }
    }

    @Test func syntaxErrorSaysWhatWasExpected() {
        #expect(throws: SchemaError(.syntax, "expected `;`, found end of input", at: SchemaSourceLocation(line: 1, column: 15))) {
            try Schema.parse(cedarSchema: "entity User {}")
        }
    }
}
