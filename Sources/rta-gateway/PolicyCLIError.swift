/// Why a `policy` subcommand could not run: an input that is missing, unreadable or
/// malformed. `message` already names the file (and line and column where known), so it
/// is printed as is.
struct PolicyCLIError: Error, CustomStringConvertible {
    enum Code: String {
        case unreadableFile
        case policySyntax
        case policySet
        case schema
        case entities
        case request
    }

    var code: Code
    var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { message }
}
