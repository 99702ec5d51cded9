import Testing
@testable import Cedar

@Suite struct ValidatorTests {
    static let schemaText = """
        namespace App {
          entity Group;
          entity User in [Group] { name: String, age: Long, email?: String, ip: ipaddr, friends: Set<User> } tags String;
          entity Doc { owner: User, public: Bool, created: datetime };
          entity Level enum ["low", "high"];
          action read, write appliesTo { principal: User, resource: Doc, context: { mfa: Bool, at?: datetime } };
          action all;
          action view in all appliesTo { principal: User, resource: Doc };
        }
        """

    static func validate(_ policies: String) throws -> [ValidationError] {
        let schema = try Schema.parse(cedarSchema: schemaText)
        return Validator(schema: schema).validate(try Parser.parsePolicies(policies).get())
    }

    @Test(arguments: [
        #"permit(principal, action == App::Action::"read", resource) when { principal.name like "a*" && resource.owner == principal };"#,
        #"permit(principal, action, resource) when { principal has email && principal.email == "x" };"#,
        #"permit(principal is App::User, action in App::Action::"all", resource) when { context has mfa };"#,
        #"permit(principal, action, resource) when { context has at && context.at < datetime("2024-01-01") };"#,
        #"permit(principal, action, resource) when { principal.hasTag("k") && principal.getTag("k") == "v" };"#,
        #"permit(principal, action, resource) when { principal.ip.isInRange(ip("10.0.0.0/8")) };"#,
        #"permit(principal in App::Group::"g", action, resource) when { principal.friends.contains(principal) };"#,
        #"permit(principal, action in [App::Action::"read", App::Action::"write"], resource) when { if context.mfa then principal.age > 18 else false };"#,
        #"permit(principal, action, resource) when { false && principal.nope };"#,
        #"permit(principal, action, resource) when { resource.hasTag("k") && resource.getTag("k") == "v" };"#,
        #"permit(principal, action, resource) when { App::Level::"low" != App::Level::"high" };"#,
    ])
    func acceptsWellTypedPolicies(policy: String) throws {
        let errors = try Self.validate(policy)
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test(arguments: [
        (#"permit(principal, action, resource) when { principal.email == "x" };"#, ValidationError.Code.unsafeOptionalAttributeAccess),
        (#"permit(principal, action, resource) when { principal.nickname == "x" };"#, .unsafeAttributeAccess),
        (#"permit(principal, action, resource) when { principal.age == "x" };"#, .incompatibleTypes),
        (#"permit(principal, action, resource) when { principal.age + "1" > 0 };"#, .unexpectedType),
        (#"permit(principal, action, resource) when { [] == [] };"#, .emptySetForbidden),
        (#"permit(principal, action, resource) when { [1, "a"].contains(1) };"#, .incompatibleTypes),
        (#"permit(principal, action, resource) when { principal.getTag("k") == "v" };"#, .unsafeTagAccess),
        (#"permit(principal, action, resource) when { ip("1.2.3") == ip("1.2.3.4") };"#, .functionArgumentValidation),
        (#"permit(principal, action, resource) when { ip(resource.owner.name).isIpv4() };"#, .nonLiteralExtensionConstructor),
        (#"permit(principal, action, resource) when { decimal("1.0").lessThan(1) };"#, .unexpectedType),
        (#"permit(principal == App::Nobody::"x", action, resource);"#, .unrecognizedEntityType),
        (#"permit(principal, action == App::Action::"delete", resource);"#, .unrecognizedActionId),
        (#"permit(principal, action, resource) when { resource == App::Level::"medium" };"#, .invalidEnumEntity),
        (#"permit(principal == App::Group::"g", action == App::Action::"read", resource);"#, .invalidActionApplication),
        (#"permit(principal, action, resource) when { if context.mfa then 1 else "one" };"#, .incompatibleTypes),
        (#"permit(principal, action, resource) when { context.at.toDate() > context.mfa };"#, .unsafeOptionalAttributeAccess),
    ])
    func rejectsIllTypedPolicies(policy: String, code: ValidationError.Code) throws {
        let errors = try Self.validate(policy)
        #expect(errors.map(\.code).contains(code), "\(errors)")
        #expect(errors.allSatisfy { $0.policyID == "policy0" })
    }

    @Test func messagesNameTheProblemAndPointAtIt() throws {
        let errors = try Self.validate("""
            permit(principal, action, resource)
            when { principal.email == "x" };
            """)
        let error = try #require(errors.first)
        #expect(errors.count == 1)
        #expect(error.message == "unable to guarantee safety of access to optional attribute `email`; guard it with `has email`")
        #expect(error.span.line == 2)
        #expect(error.span.column == 8)
    }

    @Test func typeMismatchMessageShowsBothTypes() throws {
        let errors = try Self.validate(#"permit(principal, action, resource) when { principal.age == "x" };"#)
        #expect(errors.map(\.message) == ["the operands of `==` have incompatible types: Long and String"])
    }

    @Test func templatesAreCheckedForEachPossibleSlotType() throws {
        #expect(try Self.validate(#"permit(principal in ?principal, action == App::Action::"read", resource) when { principal.age > 1 };"#).isEmpty)
        let errors = try Self.validate(#"permit(principal in ?principal, action, resource in ?resource) when { resource.owner.age > "1" };"#)
        #expect(errors.map(\.code) == [.unexpectedType])
    }

    @Test func everyActionEnvironmentIsChecked() throws {
        let schema = try Schema.parse(cedarSchema: """
            entity User { age: Long };
            entity Team;
            action join appliesTo { principal: User, resource: Team };
            action lead appliesTo { principal: Team, resource: Team };
            """)
        let validator = Validator(schema: schema)
        let unconstrained = try Parser.parsePolicies("permit(principal, action, resource) when { principal.age > 1 };").get()
        #expect(validator.validate(unconstrained).map(\.message) == ["attribute `age` not found on Team"])
        let scoped = try Parser.parsePolicies(#"permit(principal, action == Action::"join", resource) when { principal.age > 1 };"#).get()
        #expect(validator.validate(scoped).isEmpty)
    }
}
