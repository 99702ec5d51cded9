import ArgumentParser
import Foundation
import SSFTransmitter

/// Signs one SET with the transmitter's key and pushes it to a receiver (RFC 8935),
/// so a revocation or context change can be sent by hand and its effect watched.
struct SSFTransmitterSendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "DEVELOPMENT ONLY: sign one security event token and push it to a receiver.",
        discussion: """
            Prints the receiver's HTTP status and body. Exit status: 0 when the receiver \
            answered 202 (applied, or a duplicate), 1 for any other answer or when nothing \
            could be sent, 64 for bad options.

            Event short names: \(SETEventCatalog.shortNames.joined(separator: ", ")); \
            any other type can be given as its full URI.

            Revoke every agent session of alice (the gateway's signals.transmitters[] must \
            name issuer http://127.0.0.1:9191 with jwks_url http://127.0.0.1:9191/jwks.json, \
            served by `ssf-transmitter serve --key` with the same key file):
              rta-gateway ssf-transmitter send --key fixtures/dev-ssf-transmitter-key.pem \\
                  --event session-revoked --email alice@example.com
            Lower her assurance level instead (same --key):
              … --event assurance-level-change --email alice@example.com \\
                  --current-level nist-aal1
            """)

    @Option(help: ArgumentHelp(
        "PEM RSA private key to sign with: the file `ssf-transmitter serve --key` uses, "
            + "e.g. fixtures/dev-ssf-transmitter-key.pem.",
        valueName: "path"))
    var key: String

    @Option(name: .customLong("key-id"), help: ArgumentHelp(
        "kid in the SET header: the kid `serve` publishes for this key in /jwks.json.", valueName: "kid"))
    var keyID: String = SSFTransmitterCommand.defaultKeyID

    @Option(help: ArgumentHelp(
        "The SET's iss: the issuer of this transmitter in the gateway's signals.transmitters[].", valueName: "url"))
    var issuer: String = SSFTransmitterCommand.defaultIssuer

    @Option(help: ArgumentHelp("The receiver's push endpoint (RFC 8935).", valueName: "url"))
    var to: String = "http://127.0.0.1:9180/ssf/events"

    @Option(help: ArgumentHelp(
        "Send Authorization: Bearer TOKEN: the transmitter's bearer_token in gateway.yaml, if it has one.",
        valueName: "token"))
    var bearer: String?

    @Option(help: ArgumentHelp(
        "The SET's aud: one of the gateway's signals.receiver_audience values.", valueName: "audience"))
    var audience: String = "rta-gateway"

    @Option(help: ArgumentHelp(
        "Event type: a short name such as session-revoked, credential-change, assurance-level-change, "
            + "device-compliance-change, token-claims-change, risk-level-change, account-disabled, "
            + "account-enabled, account-purged, credential-compromise, sessions-revoked (full list above), "
            + "or a full event-type URI.",
        valueName: "name|uri"))
    var event: String

    @Option(help: ArgumentHelp(
        "Signature algorithm: RS256 or PS256 (the transmitter's algorithms in gateway.yaml must allow it).",
        valueName: "alg"))
    var algorithm: String = "RS256"

    @Option(help: ArgumentHelp(
        "The SET's jti (default: random). Send the same jti twice to see the receiver deduplicate.",
        valueName: "id"))
    var jti: String?

    @Option(name: .customLong("issued-at"), help: ArgumentHelp(
        "The SET's iat in UNIX seconds (default: now); older than the receiver's replay_window is refused.",
        valueName: "seconds"))
    var issuedAt: Int64?

    @Option(help: ArgumentHelp(
        "Give up after this many seconds (connection attempts are retried until then).", valueName: "seconds"))
    var timeout: Int64 = 10

    @OptionGroup(title: "Subject (exactly one)") var subject: SSFSubjectOptions
    @OptionGroup(title: "Event payload") var eventOptions: SSFEventOptions

    func validate() throws {
        guard ["RS256", "PS256"].contains(algorithm) else {
            throw ValidationError("--algorithm must be RS256 or PS256 (the transmitter key is RSA)")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be at least 1 second") }
        _ = try recipe(now: 0)
    }

    func run() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let setRecipe = try recipe(now: now)
        do {
            let set = try await sign(setRecipe, now: now)
            FileHandleWriter.standardError(
                "ssf-transmitter: pushing \(event) (jti \(setRecipe.jti)) about "
                    + "\(String(decoding: (setRecipe.subject ?? .null).encoded, as: UTF8.self)) to \(to)\n")
            let answer: (status: Int, body: String)
            do {
                answer = try await SETPush.push(set, to: to, authorization: bearer.map { "Bearer " + $0 },
                                                timeout: .seconds(timeout))
            } catch {
                throw SSFSendError(stage: .push, detail: "\(to): \(error)")
            }
            print("HTTP \(answer.status)")
            if !answer.body.isEmpty { print(answer.body) }
            if answer.status != 202 { throw ExitCode(1) }
        } catch let error as SSFSendError {
            printError("ssf-transmitter: \(error)")
            throw ExitCode(1)
        }
    }

    /// Everything about the SET except the signature; `now` fills `event_timestamp`.
    private func recipe(now: Int64) throws(ValidationError) -> SETRecipe {
        guard let eventURI = SETEventCatalog.uri(for: event) else {
            throw ValidationError("unknown event \"\(event)\": use one of \(SETEventCatalog.shortNames.joined(separator: ", ")), or a full URI")
        }
        var recipe = SETRecipe(
            eventType: eventURI, payload: try eventOptions.members(for: eventURI, now: now),
            subject: try subject.subject(), audience: .string(audience), issuer: issuer, issuedAt: issuedAt,
            signing: algorithm == "PS256" ? .ps256 : .rs256)
        if let jti { recipe.jti = jti }
        return recipe
    }

    private func sign(_ recipe: SETRecipe, now: Int64) async throws(SSFSendError) -> String {
        let signingKey: TransmitterSigningKey
        do {
            let pem = try String(contentsOfFile: key, encoding: .utf8)
            signingKey = try await TransmitterSigningKey.load(pem: pem, keyID: keyID)
        } catch {
            throw SSFSendError(stage: .key, detail: "\(key): \(error)")
        }
        do {
            return try recipe.sign(defaultIssuer: issuer, key: signingKey, now: now)
        } catch {
            throw SSFSendError(stage: .sign, detail: "\(error)")
        }
    }
}
