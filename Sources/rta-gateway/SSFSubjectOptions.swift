import ArgumentParser
import SSFTransmitter

/// Who a pushed SET is about: its `sub_id` (RFC 9493 subject identifier), from exactly
/// one of the shorthand options the receiver resolves to sessions, or raw JSON for
/// every other format (`complex`, `aliases`, `account`, …).
struct SSFSubjectOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Subject by email (format email): matches every session of that user.", valueName: "address"))
    var email: String?

    @Option(name: .customLong("iss-sub"), help: ArgumentHelp(
        "Subject by IdP issuer and subject (format iss_sub), split at the first comma, "
            + "e.g. http://127.0.0.1:9190,alice.",
        valueName: "iss,sub"))
    var issSub: String?

    @Option(help: ArgumentHelp(
        "Subject by IdP session id (format opaque): only that session, no subject-wide block.", valueName: "id"))
    var sid: String?

    @Option(name: .customLong("subject-json"), help: ArgumentHelp(
        "Subject as raw JSON, for any other format, e.g. "
            + #"'{"format":"complex","user":{"format":"email","email":"a@example.com"},"tenant":{"format":"opaque","id":"t1"}}'."#,
        valueName: "json"))
    var subjectJSON: String?

    func validate() throws {
        _ = try subject()
    }

    /// The `sub_id` value; a `ValidationError` names what is wrong with the options.
    func subject() throws(ValidationError) -> TransmitterJSON {
        let given = [email != nil, issSub != nil, sid != nil, subjectJSON != nil].filter { $0 }.count
        guard given == 1 else {
            throw ValidationError("give exactly one subject: --email, --iss-sub, --sid or --subject-json")
        }
        if let email { return .email(email) }
        if let sid { return .opaque(sid) }
        if let issSub {
            guard let comma = issSub.firstIndex(of: ","), comma != issSub.startIndex,
                  issSub.index(after: comma) != issSub.endIndex
            else {
                throw ValidationError("--iss-sub must be ISS,SUB, e.g. http://127.0.0.1:9190,alice")
            }
            return .issSub(String(issSub[..<comma]), String(issSub[issSub.index(after: comma)...]))
        }
        let json = subjectJSON ?? ""
        guard let value = try? TransmitterJSON(parsing: json), case .object = value else {
            throw ValidationError("--subject-json must be a JSON object, e.g. {\"format\":\"opaque\",\"id\":\"s1\"}")
        }
        return value
    }
}
