import Testing
@testable import Cedar

@Suite struct ValidatorTypeTests {
    let user = ValidatorType.entity(named: "User")
    let group = ValidatorType.entity(named: "Group")

    @Test func singletonBooleansWidenToBool() {
        #expect(ValidatorType.singleton(true).isSubtype(of: .anyBool, strict: true))
        #expect(!ValidatorType.anyBool.isSubtype(of: .singleton(true), strict: true))
        #expect(ValidatorType.leastUpperBound(.singleton(true), .singleton(false)) == .anyBool)
        #expect(ValidatorType.leastUpperBound(.never, .long) == .long)
    }

    @Test func strictModeRejectsMixedEntityTypes() {
        #expect(ValidatorType.leastUpperBound(user, group) == nil)
        #expect(ValidatorType.leastUpperBound(user, user) == user)
        #expect(user.isSubtype(of: .anyEntity, strict: false))
        #expect(!user.isSubtype(of: .anyEntity, strict: true))
        #expect(ValidatorType.areDisjoint(user, group))
        #expect(!ValidatorType.areDisjoint(user, .anyEntity))
    }

    @Test func setsAndRecords() {
        #expect(ValidatorType.leastUpperBound(.set(.long), .set(.string)) == nil)
        #expect(ValidatorType.leastUpperBound(.set(.singleton(true)), .set(.anyBool)) == .set(.anyBool))
        let required = ValidatorType.record(["a": ValidatorAttribute(type: .long, isRequired: true)], isOpen: false)
        let optional = ValidatorType.record(["a": ValidatorAttribute(type: .long, isRequired: false)], isOpen: false)
        let wider = ValidatorType.record(["a": ValidatorAttribute(type: .long, isRequired: true),
                                          "b": ValidatorAttribute(type: .string, isRequired: true)], isOpen: false)
        #expect(ValidatorType.leastUpperBound(required, optional) == nil)
        #expect(ValidatorType.leastUpperBound(required, wider) == nil)
        #expect(wider.isSubtype(of: .anyRecord, strict: false))
        #expect(!ValidatorType.anyRecord.isSubtype(of: wider, strict: false))
    }

    @Test func displayNamesMatchCedar() {
        #expect(ValidatorType.set(.string).displayName == "Set<String>")
        #expect(ValidatorType.entity(.union(["B", "A"])).displayName == "__cedar::internal::Union<A, B>")
        #expect(ValidatorType.record(["x": ValidatorAttribute(type: .long, isRequired: false)], isOpen: false).displayName == "{x?: Long,}")
    }
}
