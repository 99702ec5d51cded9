import ArgumentParser

/// The exit codes of the upstream `cedar` CLI, so scripts written for it keep working:
/// a deny or a validation failure is a completed command with a negative answer, distinct
/// from a command that could not run (1).
enum PolicyExitStatus {
    /// Inputs could not be read, parsed or combined.
    static let failure = ExitCode(1)
    /// `authorize` answered DENY.
    static let deny = ExitCode(2)
    /// `validate` found errors.
    static let validationFailed = ExitCode(3)
}
