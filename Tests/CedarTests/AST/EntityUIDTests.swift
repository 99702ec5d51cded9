import Testing

@testable import Cedar

struct EntityUIDTests {
    @Test func equalityAndHashingAgree() {
        let a = EntityUID(type: "NS::User", id: "alice")
        let b = EntityUID(type: EntityType(path: ["NS"], basename: "User"), id: "alice")
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != EntityUID(type: "NS::User", id: "bob"))
        #expect(a != EntityUID(type: "NS::Group", id: "alice"))
        #expect(Set([a, b, EntityUID(type: "NS::User", id: "bob")]).count == 2)
    }

    @Test func typeComponents() {
        let t = EntityType("A::B::Action")
        #expect(t.components == ["A", "B", "Action"])
        #expect(t.basename == "Action")
        #expect(t.isAction)
        #expect(!EntityType("Actions").isAction)
    }

    @Test func descriptionEscapesTheId() {
        #expect(EntityUID(type: "User", id: "a\"b\\c\u{1}").description == #"User::"a\"b\\c\u{1}""#)
    }

    @Test func parsesCedarLiterals() {
        #expect(EntityUID.parse(#"NS::User::"a\"b""#) == EntityUID(type: "NS::User", id: "a\"b"))
        #expect(EntityUID.parse(#"User::"a" "#) == EntityUID(type: "User", id: "a"))
        #expect(EntityUID.parse("User") == nil)
        #expect(EntityUID.parse(#"if::"a""#) == nil)
        #expect(EntityUID.parse(#"User::"a" + 1"#) == nil)
    }
}
