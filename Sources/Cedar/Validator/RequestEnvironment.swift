/// One combination of principal type, action and resource type that a policy may be
/// evaluated with, as declared by an action's `appliesTo`. The validator type-checks
/// each policy once per environment.
struct RequestEnvironment {
    let principal: String
    let action: EntityUID
    let resource: String
    let context: ValidatorType
    /// For templates: the entity type assumed for `?principal` / `?resource`.
    var principalSlot: String?
    var resourceSlot: String?

    /// Every (principal, action, resource) triple the schema allows.
    static func all(in schema: Schema) -> [RequestEnvironment] {
        var result: [RequestEnvironment] = []
        for action in schema.actions.values.sorted(by: { $0.id.description < $1.id.description }) {
            let context = ValidatorType.record(ValidatorAttribute.from(action.context), isOpen: false)
            let uid = EntityUID(type: action.id.type, id: action.id.id)
            for principal in action.principalTypes {
                for resource in action.resourceTypes {
                    result.append(RequestEnvironment(principal: principal, action: uid, resource: resource, context: context))
                }
            }
        }
        return result
    }
}
