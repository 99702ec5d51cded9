import Testing

@testable import GatewayConfig

/// The `signals` section (docs/signals.md "Configuration"): every key, the defaults,
/// and each error class at its line and column. `validYAML` has 25 lines, so the
/// appended section starts on line 26.
@Suite struct SignalsConfigTests {
    static let secret = "0123456789abcdef0123456789abcdef01234567"
    static let full = """
        signals:
          receiver_audience: [rta-gateway, "https://gw.example.net/ssf"]
          replay_window: 1h
          replay_capacity: 5000
          clock_skew: 2s
          jwks_ttl: 5m
          jwks_min_refetch_interval: 10s
          transmitters:
            - issuer: https://idp.example.com/
              jwks_url: https://idp.example.com/jwks
              algorithms: [RS256, ES256, HS256]
              hmac_secret_file: secrets/ssf-hs.key
              bearer_token: push-secret
              poll_url: https://idp.example.com/ssf/poll
              poll_authorization: Bearer poll-secret
              long_poll: false
              poll_interval: 30s
            - issuer: http://127.0.0.1:9191
              jwks_url: http://127.0.0.1:9191/jwks.json

        """

    /// A config folder with a good secret (newline-terminated, as editors save it) and a short one.
    private func folder() throws -> SecretFolder {
        try SecretFolder(["secrets/ssf-hs.key": Self.secret + "\n", "short.key": String(repeating: "k", count: 31) + "\n"])
    }

    private func parse(_ section: String, in folder: SecretFolder) throws -> SignalsSettings? {
        try folder.parse(section).signals
    }

    private func errors(_ section: String, in folder: SecretFolder) -> [String] {
        folder.errors(section)
    }

    private func transmitter(_ lines: String) -> String {
        "signals:\n  receiver_audience: rta-gateway\n  transmitters:\n" + lines
    }

    @Test func everyKeyIsRead() throws {
        let folder = try folder()
        let signals = try #require(try parse(Self.full, in: folder))
        #expect(signals.audiences == ["rta-gateway", "https://gw.example.net/ssf"])
        #expect(signals.replayWindow == .seconds(3600))
        #expect(signals.replayCapacity == 5000)
        #expect(signals.clockSkew == .seconds(2))
        #expect(signals.jwksTTL == .seconds(300))
        #expect(signals.jwksMinRefetchInterval == .seconds(10))
        #expect(signals.transmitters == [
            TransmitterSettings(
                issuer: "https://idp.example.com/", jwksURL: "https://idp.example.com/jwks",
                algorithms: ["RS256", "ES256", "HS256"], hmacSecret: Array(Self.secret.utf8),
                bearerToken: "push-secret", pollURL: "https://idp.example.com/ssf/poll",
                pollAuthorization: "Bearer poll-secret", longPoll: false, pollInterval: .seconds(30)),
            TransmitterSettings(issuer: "http://127.0.0.1:9191", jwksURL: "http://127.0.0.1:9191/jwks.json"),
        ])
    }

    @Test func defaultsApplyAndAbsenceMeansNoReceiver() throws {
        let folder = try folder()
        let signals = try #require(try parse(transmitter("    - { issuer: x, jwks_url: \"https://x/jwks\" }\n"), in: folder))
        #expect(signals == SignalsSettings(
            audiences: ["rta-gateway"], transmitters: [TransmitterSettings(issuer: "x", jwksURL: "https://x/jwks")]))
        #expect(signals.replayWindow == .seconds(86_400) && signals.replayCapacity == 100_000)
        #expect(signals.transmitters[0].algorithms == nil && signals.transmitters[0].longPoll)
        #expect(try parse("", in: folder) == nil)
    }

    @Test func sectionValuesAreCheckedWhereWritten() throws {
        let folder = try folder()
        #expect(errors("signals:\n  receiver_audience: []\n  replay_capacity: 0\n  jwks_ttl: soon\n  transmitters: []\n", in: folder) == [
            "27:22: signals.receiver_audience: list at least one audience, e.g. [rta-gateway]",
            "28:20: signals.replay_capacity: must be at least 1, found 0",
            #"29:13: signals.jwks_ttl: invalid duration "soon": use a whole number followed by ms, s, m or h, e.g. "250ms", "5s", "2m""#,
            "30:17: signals.transmitters: list at least one transmitter (issuer and jwks_url), or remove the signals section",
        ])
        #expect(errors("signals:\n  replay_window: 1h\n  transmiters: []\n", in: folder) == [
            #"27:3: signals: missing required key "receiver_audience""#,
            #"27:3: signals: missing required key "transmitters""#,
            #"28:3: signals.transmiters: unknown key "transmiters" (did you mean "transmitters"?)"#,
        ])
    }

    @Test func duplicateIssuerIsReportedAtTheRepeat() throws {
        let folder = try folder()
        let found = errors(transmitter("""
                - issuer: https://idp.example.com/
                  jwks_url: https://idp.example.com/jwks
                - issuer: https://idp.example.com/
                  jwks_url: https://idp.example.com/other-jwks

            """), in: folder)
        #expect(found == [
            #"31:15: signals.transmitters[1].issuer: duplicate transmitter issuer "https://idp.example.com/" (first defined at signals.transmitters[0].issuer, line 29)"#,
        ])
    }

    @Test func keyURLsMustBeHTTPSOrLoopback() throws {
        let folder = try folder()
        let found = errors(transmitter("""
                - issuer: a
                  jwks_url: http://idp.example.com/jwks
                  poll_url: ftp://127.0.0.1/poll
                - issuer: b
                  jwks_url: "http://[::1]:9191/jwks.json"
                  poll_url: http://localhost:9191/poll

            """), in: folder)
        #expect(found == [
            #"30:17: signals.transmitters[0].jwks_url: invalid URL "http://idp.example.com/jwks": must be https:// (plain http only to 127.0.0.1, localhost or [::1])"#,
            #"31:17: signals.transmitters[0].poll_url: invalid URL "ftp://127.0.0.1/poll": scheme must be https (or http to loopback)"#,
        ])
    }

    @Test func onlyTheFourSupportedAlgorithmsAreAllowed() throws {
        let folder = try folder()
        let found = errors(transmitter("""
                - issuer: a
                  jwks_url: https://a/jwks
                  algorithms: [none, HS384, rs256, RS256, RS256]
                - issuer: b
                  jwks_url: https://b/jwks
                  algorithms: []

            """), in: folder)
        #expect(found == [
            #"31:20: signals.transmitters[0].algorithms[0]: algorithm "none" is never allowed: an unsigned SET proves nothing"#,
            #"31:26: signals.transmitters[0].algorithms[1]: unsupported algorithm "HS384": use RS256, PS256, ES256 or HS256"#,
            #"31:33: signals.transmitters[0].algorithms[2]: unsupported algorithm "rs256" (did you mean "RS256"?)"#,
            #"31:47: signals.transmitters[0].algorithms[4]: algorithm "RS256" is listed twice"#,
            "34:19: signals.transmitters[1].algorithms: list at least one algorithm, or leave algorithms out for the default [RS256]",
        ])
    }

    @Test func keysMustMatchTheAllowedAlgorithms() throws {
        let folder = try folder()
        let found = errors(transmitter("""
                - issuer: hs-without-secret
                  algorithms: [HS256]
                - issuer: es-without-jwks
                  algorithms: [HS256, ES256]
                  hmac_secret_file: secrets/ssf-hs.key
                - issuer: default-without-jwks
                - issuer: secret-without-hs
                  jwks_url: https://d/jwks
                  hmac_secret_file: secrets/ssf-hs.key

            """), in: folder)
        #expect(found == [
            "30:20: signals.transmitters[0].algorithms[0]: HS256 needs hmac_secret_file: a file holding the shared secret (at least 32 bytes)",
            "32:27: signals.transmitters[1].algorithms[1]: ES256 is verified with the transmitter's public keys: add jwks_url",
            #"34:7: signals.transmitters[2]: missing "jwks_url": the default algorithm RS256 is verified with the transmitter's public keys (or set algorithms: [HS256] and hmac_secret_file)"#,
            "37:25: signals.transmitters[3].hmac_secret_file: hmac_secret_file is used only with HS256: add HS256 to algorithms or remove hmac_secret_file",
        ])
    }

    @Test func hmacSecretFileIsReadNowAndMustBeLongEnough() throws {
        let folder = try folder()
        let hmacOnly = transmitter("""
                - issuer: a
                  algorithms: [HS256]
                  hmac_secret_file: secrets/ssf-hs.key

            """)
        let signals = try #require(try parse(hmacOnly, in: folder))
        #expect(signals.transmitters[0].hmacSecret == Array(Self.secret.utf8))
        #expect(signals.transmitters[0].jwksURL == nil)

        let found = errors(transmitter("""
                - issuer: a
                  algorithms: [HS256]
                  hmac_secret_file: short.key
                - issuer: b
                  algorithms: [HS256]
                  hmac_secret_file: missing.key

            """), in: folder)
        #expect(found == [
            #"31:25: signals.transmitters[0].hmac_secret_file: the HS256 secret in "\#(folder.path)/short.key" is 31 bytes; use at least 32 (e.g. openssl rand -hex 32)"#,
            #"34:25: signals.transmitters[1].hmac_secret_file: cannot read "\#(folder.path)/missing.key": no such file"#,
        ])
    }

    @Test func pollSettingsNeedAPollURL() throws {
        let folder = try folder()
        let found = errors(transmitter("""
                - issuer: a
                  jwks_url: https://a/jwks
                  poll_authorization: Bearer x
                  long_poll: true
                  poll_intervall: 5s

            """), in: folder)
        #expect(found == [
            "31:27: signals.transmitters[0].poll_authorization: poll_authorization applies only when poll_url is set",
            "32:18: signals.transmitters[0].long_poll: long_poll applies only when poll_url is set",
            #"33:7: signals.transmitters[0].poll_intervall: unknown key "poll_intervall" (did you mean "poll_interval"?)"#,
        ])
    }

    @Test func everyProblemInTheSectionIsReportedInOnePass() throws {
        let folder = try folder()
        let found = errors("""
            signals:
              receiver_audience: rta-gateway
              clock_skew: 5 s
              transmitters:
                - issuer: https://idp.example.com/
                  jwks_url: http://idp.example.com/jwks
                  algorithms: [none]
                - issuer: https://idp.example.com/
                  long_poll: sometimes

            """, in: folder)
        #expect(found.map { $0.prefix(while: { $0 != " " }) } == [
            "28:15:", "31:17:", "32:20:", "33:7:", "33:15:", "34:18:", "34:18:",
        ])
    }

    // MARK: subject_issuers (issue 20 item 5.1)

    private static let providers = """
        identity_providers:
          - issuer: https://idp.example.com/
            audience: rta-gateway
            jwks_url: https://idp.example.com/jwks
          - issuer: https://login.partner.test
            audience: rta-gateway
            jwks_url: https://login.partner.test/jwks

        """

    @Test func subjectIssuersBindATransmitterToConfiguredIdentityProviders() throws {
        let folder = try folder()
        let explicit = try parse(Self.providers + transmitter("""
                - issuer: https://ssf.partner.test
                  jwks_url: https://ssf.partner.test/jwks
                  subject_issuers: [https://login.partner.test]
                - issuer: https://idp.example.com/
                  jwks_url: https://idp.example.com/jwks

            """), in: folder)
        #expect(explicit?.transmitters.map(\.subjectIssuers) == [["https://login.partner.test"], nil],
                "the second one is its own IdP: the default applies")
    }

    @Test func subjectIssuersMustNameConfiguredIdentityProviders() throws {
        let folder = try folder()
        // Lines: identity_providers takes 26-32, signals starts at 33, the entry at 36.
        #expect(errors(Self.providers + transmitter("""
                - issuer: https://ssf.partner.test
                  jwks_url: https://ssf.partner.test/jwks
                  subject_issuers: [https://login.partner.test, https://evil.test, https://login.partner.test]
                - issuer: https://ssf.other.test
                  jwks_url: https://ssf.other.test/jwks
                - issuer: https://ssf.third.test
                  jwks_url: https://ssf.third.test/jwks
                  subject_issuers: []

            """), in: folder) == [
            #"38:53: signals.transmitters[0].subject_issuers[1]: "https://evil.test" is not an identity_providers issuer (configured: https://idp.example.com/, https://login.partner.test)"#,
            #"38:72: signals.transmitters[0].subject_issuers[2]: issuer "https://login.partner.test" is listed twice"#,
            #"39:15: signals.transmitters[1].issuer: transmitter "https://ssf.other.test" is not an identity provider, so it speaks for no subject: add subject_issuers listing the identity_providers issuers whose users it may revoke (configured: https://idp.example.com/, https://login.partner.test)"#,
            "43:24: signals.transmitters[2].subject_issuers: list at least one identity provider issuer, or leave subject_issuers out for the transmitter's own issuer",
        ])
        #expect(errors(transmitter("""
                - issuer: https://ssf.partner.test
                  jwks_url: https://ssf.partner.test/jwks
                  subject_issuers: [https://login.partner.test]

            """), in: folder) == [
            #"31:25: signals.transmitters[0].subject_issuers[0]: "https://login.partner.test" is not an identity_providers issuer (none is configured)"#,
        ])
    }
}
