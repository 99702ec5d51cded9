import ArgumentParser
import SSFTransmitter

/// The members of a pushed SET's event payload, as options named after the spec's
/// members. Each event takes only the options its definition has (CAEP 1.0 §3,
/// RISC 1.0 §2, SSF 1.0 §8.1.4-5); one given for another event is a usage error, so a
/// typo such as `--current-status` on `risk-level-change` is not silently dropped.
struct SSFEventOptions: ParsableArguments {
    @Option(name: .customLong("event-timestamp"), help: ArgumentHelp(
        "CAEP/RISC event_timestamp in UNIX seconds (default: now). Sessions created after it (plus the "
            + "receiver's clock_skew) survive a revocation.",
        valueName: "seconds"))
    var eventTimestamp: Int64?

    @Option(name: .customLong("initiating-entity"), help: ArgumentHelp(
        "CAEP initiating_entity: admin, user, policy or system.", valueName: "entity"))
    var initiatingEntity: String?

    @Option(name: .customLong("reason-admin"), help: ArgumentHelp(
        "CAEP reason_admin (English), kept in the gateway's audit record.", valueName: "text"))
    var reasonAdmin: String?

    @Option(name: .customLong("credential-type"), help: ArgumentHelp(
        "credential-change, credential-compromise: credential_type, e.g. password, fido2-roaming (default password).",
        valueName: "type"))
    var credentialType: String?

    @Option(name: .customLong("change-type"), help: ArgumentHelp(
        "credential-change: change_type: create, revoke, update or delete (default update).", valueName: "type"))
    var changeType: String?

    @Option(help: ArgumentHelp(
        "assurance-level-change: namespace of the levels, e.g. RFC8176, NIST-AAL (default RFC8176).",
        valueName: "namespace"))
    var namespace: String?

    @Option(name: .customLong("current-level"), help: ArgumentHelp(
        "assurance-level-change: current_level, e.g. nist-aal2 (required); risk-level-change: LOW, MEDIUM "
            + "or HIGH (required). Becomes the session's signals.assuranceLevel / signals.riskLevel.",
        valueName: "level"))
    var currentLevel: String?

    @Option(name: .customLong("previous-level"), help: ArgumentHelp(
        "assurance-level-change, risk-level-change: previous_level (optional).", valueName: "level"))
    var previousLevel: String?

    @Option(name: .customLong("change-direction"), help: ArgumentHelp(
        "assurance-level-change: change_direction, increase or decrease (optional).", valueName: "direction"))
    var changeDirection: String?

    @Option(name: .customLong("current-status"), help: ArgumentHelp(
        "device-compliance-change: current_status, compliant or not-compliant (required).", valueName: "status"))
    var currentStatus: String?

    @Option(name: .customLong("previous-status"), help: ArgumentHelp(
        "device-compliance-change: previous_status (default: the opposite of --current-status).",
        valueName: "status"))
    var previousStatus: String?

    @Option(help: ArgumentHelp(
        #"token-claims-change: claims as a JSON object, merged into the session's claims, e.g. '{"groups":["ops"]}' (required)."#,
        valueName: "json"))
    var claims: String?

    @Option(help: ArgumentHelp(
        "risk-level-change: principal whose risk changed, e.g. USER, DEVICE, SESSION (default USER).",
        valueName: "principal"))
    var principal: String?

    @Option(help: ArgumentHelp(
        "account-disabled: reason, hijacking or bulk-account; stream-updated: reason text (optional).",
        valueName: "reason"))
    var reason: String?

    @Option(help: ArgumentHelp("stream-updated: status, enabled, paused or disabled (required).", valueName: "status"))
    var status: String?

    @Option(help: ArgumentHelp("verification: the state echoed back (optional).", valueName: "state"))
    var state: String?

    @Option(help: ArgumentHelp(
        "Extra payload members as a JSON object, written last (overrides the options above), e.g. to send a "
            + "payload the receiver must refuse.",
        valueName: "json"))
    var payload: String?

    /// The event's payload for `eventURI`, `now` being UNIX seconds.
    func members(for eventURI: String, now: Int64) throws(ValidationError) -> [String: TransmitterJSON] {
        let name = SETEventCatalog.shortName(for: eventURI)
        var members: [String: TransmitterJSON] = [:]
        var allowed: Set<String> = ["payload"]
        if eventURI.hasPrefix(SETEventCatalog.caepBase) || eventURI.hasPrefix(SETEventCatalog.riscBase) {
            members["event_timestamp"] = .integer(eventTimestamp ?? now)
            if let initiatingEntity { members["initiating_entity"] = .string(initiatingEntity) }
            if let reasonAdmin { members["reason_admin"] = ["en": .string(reasonAdmin)] }
            allowed.formUnion(["event-timestamp", "initiating-entity", "reason-admin"])
        }
        switch name {
        case "credential-change":
            members["credential_type"] = .string(credentialType ?? "password")
            members["change_type"] = .string(changeType ?? "update")
            allowed.formUnion(["credential-type", "change-type"])
        case "credential-compromise":
            members["credential_type"] = .string(credentialType ?? "password")
            allowed.insert("credential-type")
        case "assurance-level-change":
            members["namespace"] = .string(namespace ?? "RFC8176")
            members["current_level"] = .string(try required(currentLevel, "--current-level", name))
            if let previousLevel { members["previous_level"] = .string(previousLevel) }
            if let changeDirection { members["change_direction"] = .string(changeDirection) }
            allowed.formUnion(["namespace", "current-level", "previous-level", "change-direction"])
        case "device-compliance-change":
            let current = try required(currentStatus, "--current-status", name)
            members["current_status"] = .string(current)
            members["previous_status"] = .string(previousStatus ?? (current == "compliant" ? "not-compliant" : "compliant"))
            allowed.formUnion(["current-status", "previous-status"])
        case "token-claims-change":
            members["claims"] = try jsonObject(try required(claims, "--claims", name), "--claims")
            allowed.insert("claims")
        case "risk-level-change":
            members["principal"] = .string(principal ?? "USER")
            members["current_level"] = .string(try required(currentLevel, "--current-level", name))
            if let previousLevel { members["previous_level"] = .string(previousLevel) }
            allowed.formUnion(["principal", "current-level", "previous-level"])
        case "account-disabled":
            if let reason { members["reason"] = .string(reason) }
            allowed.insert("reason")
        case "stream-updated":
            members["status"] = .string(try required(status, "--status", name))
            if let reason { members["reason"] = .string(reason) }
            allowed.formUnion(["status", "reason"])
        case "verification":
            if let state { members["state"] = .string(state) }
            allowed.insert("state")
        default:
            break
        }
        if let stray = given.first(where: { !allowed.contains($0) }) {
            throw ValidationError("--\(stray) does not apply to \(name ?? eventURI)")
        }
        if let payload, case .object(let extra) = try jsonObject(payload, "--payload") {
            members.merge(extra) { _, override in override }
        }
        return members
    }

    /// The long names of the options that were given, in declaration order.
    private var given: [String] {
        let options: [(String, Bool)] = [
            ("event-timestamp", eventTimestamp != nil), ("initiating-entity", initiatingEntity != nil),
            ("reason-admin", reasonAdmin != nil), ("credential-type", credentialType != nil),
            ("change-type", changeType != nil), ("namespace", namespace != nil), ("current-level", currentLevel != nil),
            ("previous-level", previousLevel != nil), ("change-direction", changeDirection != nil),
            ("current-status", currentStatus != nil), ("previous-status", previousStatus != nil),
            ("claims", claims != nil), ("principal", principal != nil), ("reason", reason != nil),
            ("status", status != nil), ("state", state != nil), ("payload", payload != nil),
        ]
        return options.filter { $0.1 }.map { $0.0 }
    }

    private func required(_ value: String?, _ option: String, _ event: String?) throws(ValidationError) -> String {
        guard let value else { throw ValidationError("\(event ?? "this event") needs \(option)") }
        return value
    }

    private func jsonObject(_ text: String, _ option: String) throws(ValidationError) -> TransmitterJSON {
        guard let value = try? TransmitterJSON(parsing: text), case .object = value else {
            throw ValidationError("\(option) must be a JSON object, e.g. {\"groups\":[\"ops\"]}")
        }
        return value
    }
}
