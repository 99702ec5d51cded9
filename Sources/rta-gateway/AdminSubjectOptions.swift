import ArgumentParser

/// How the `sessions` subcommands name a user: IdP issuer and subject, or email.
struct AdminSubjectOptions: ParsableArguments {
    @Option(help: "Subject's IdP issuer (with --sub).")
    var iss: String?

    @Option(help: "Subject identifier at the issuer (with --iss).")
    var sub: String?

    @Option(help: "Subject's email (case-insensitive).")
    var email: String?

    /// True when exactly one way is used; `--iss` and `--sub` only together.
    var isComplete: Bool {
        (iss != nil && sub != nil && email == nil) || (iss == nil && sub == nil && email != nil)
    }

    var isEmpty: Bool { iss == nil && sub == nil && email == nil }

    /// The subject as admin API fields (`iss`+`sub`, or `email`).
    var fields: [String: String] {
        if let iss, let sub { return ["iss": iss, "sub": sub] }
        return email.map { ["email": $0] } ?? [:]
    }
}
