import Foundation
import Testing

@testable import GatewayConfig

/// The `admin` section: the bearer token (inline or from a file read at parse time),
/// `recent_signals`, and each error class at its line and column. `validYAML` has 25
/// lines, so the appended section starts on line 26.
@Suite struct AdminConfigTests {
    static let token = "5f2b9c0e7d4a8613"

    private func folder() throws -> SecretFolder {
        try SecretFolder([
            "secrets/admin-token": Self.token + "\n", "short-token": "hunter2\n", "spaced-token": "abc def ghi jkl mno\n",
        ])
    }

    private func parse(_ section: String, in folder: SecretFolder) throws -> AdminSettings? {
        try folder.parse(section).admin
    }

    private func errors(_ section: String, in folder: SecretFolder) -> [String] {
        folder.errors(section)
    }

    @Test func tokenFileIsReadRelativeToTheConfigWithoutItsNewline() throws {
        let folder = try folder()
        let admin = try parse("admin:\n  token_file: secrets/admin-token\n", in: folder)
        #expect(admin == AdminSettings(token: Self.token, recentSignals: 1_000))
    }

    @Test func inlineTokenAndRecentSignals() throws {
        let folder = try folder()
        let admin = try parse("admin:\n  token: \"\(Self.token)\"\n  recent_signals: 50\n", in: folder)
        #expect(admin == AdminSettings(token: Self.token, recentSignals: 50))
        #expect(try parse("", in: folder) == nil)
    }

    @Test func exactlyOneOfTokenAndTokenFile() throws {
        let folder = try folder()
        #expect(errors("admin:\n  token: \(Self.token)\n  token_file: secrets/admin-token\n", in: folder) == [
            "28:15: admin.token_file: give either token or token_file, not both",
        ])
        #expect(errors("admin:\n  recent_signals: 10\n", in: folder) == [
            #"27:3: admin: missing "token_file" (or "token"): every admin request must carry this bearer token"#,
        ])
    }

    @Test func weakOrUnusableTokensAreRefusedWithoutPrintingThem() throws {
        let folder = try folder()
        #expect(errors("admin:\n  token_file: short-token\n", in: folder) == [
            #"27:15: admin.token_file: the token in "\#(folder.path)/short-token" is 7 characters; use at least 16 (e.g. openssl rand -hex 16)"#,
        ])
        #expect(errors("admin:\n  token_file: spaced-token\n", in: folder) == [
            #"27:15: admin.token_file: the token in "\#(folder.path)/spaced-token" must be printable ASCII without spaces (it is sent as Authorization: Bearer <token>)"#,
        ])
        #expect(errors("admin:\n  token: letmein\n", in: folder) == [
            "27:10: admin.token: token is 7 characters; use at least 16 (e.g. openssl rand -hex 16)",
        ])
    }

    @Test func unreadableTokenFileAndBadRecentSignals() throws {
        let folder = try folder()
        #expect(errors("admin:\n  token_file: nowhere\n  recent_signals: 0\n  recent_signal: 1\n", in: folder) == [
            #"27:15: admin.token_file: cannot read "\#(folder.path)/nowhere": no such file"#,
            "28:19: admin.recent_signals: must be at least 1, found 0",
            #"29:3: admin.recent_signal: unknown key "recent_signal" (did you mean "recent_signals"?)"#,
        ])
        #expect(errors("admin:\n  token_file: secrets\n  recent_signals: many\n", in: folder) == [
            #"27:15: admin.token_file: cannot read "\#(folder.path)/secrets": it is a directory"#,
            #"28:19: admin.recent_signals: expected a whole number, found a string ("many")"#,
        ])
    }

    /// The development example in docs/configuration.md: the committed dev token and the
    /// dev transmitter (`rta-gateway ssf-transmitter serve` on its default port).
    @Test func developmentExampleWithTheRepositoryFixturesParses() throws {
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let config = try GatewayConfig.parse(yaml: withTokens(validYAML + """
            identity_providers:
              - issuer: http://127.0.0.1:9190
                audience: rta-gateway
                jwks_url: http://127.0.0.1:9190/jwks.json
            signals:
              receiver_audience: rta-gateway
              transmitters:
                - issuer: http://127.0.0.1:9191
                  jwks_url: http://127.0.0.1:9191/jwks.json
                  subject_issuers: [http://127.0.0.1:9190]
            admin:
              token_file: fixtures/dev-admin-token

            """), fileName: root + "/gateway.yaml")
        let token = try #require(config.admin?.token)
        #expect(token.count == 32 && token.allSatisfy(\.isHexDigit))
        #expect(config.signals?.transmitters.map(\.issuer) == ["http://127.0.0.1:9191"])
    }
}
