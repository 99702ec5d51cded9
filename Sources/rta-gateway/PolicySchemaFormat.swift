import ArgumentParser

/// The two schema syntaxes Cedar accepts; `cedar` is the default, as in cedar-policy-cli 4.x.
enum PolicySchemaFormat: String, ExpressibleByArgument, CaseIterable {
    case cedar
    case json
}
