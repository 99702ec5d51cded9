import Testing

@testable import GatewayConfig

/// The `audit` section, in particular `retention`: its keys, its default (keep every
/// file) and each error at its line and column. `validYAML` has 25 lines, so the
/// appended section starts on line 26.
@Suite struct AuditConfigTests {
    private func parse(_ section: String) throws -> AuditConfig? {
        try GatewayConfig.parse(yaml: withTokens(validYAML + section), fileName: "/srv/rta/gateway.yaml").audit
    }

    private func errors(_ section: String) -> [String] {
        do {
            _ = try GatewayConfig.parse(yaml: withTokens(validYAML + section), fileName: "gateway.yaml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func retentionIsAbsentByDefaultSoEveryFileIsKept() throws {
        let audit = try #require(try parse("audit:\n  file: audit/gateway.jsonl\n"))
        #expect(audit == AuditConfig(file: "/srv/rta/audit/gateway.jsonl"))
        #expect(audit.retention == nil)
    }

    @Test func retentionTakesMaxFilesAndMaxAgeInDays() throws {
        let audit = try parse("audit:\n  file: audit/gateway.jsonl\n  retention:\n    max_files: 30\n    max_age: 30d\n")
        #expect(audit?.retention == AuditConfig.Retention(maxFiles: 30, maxAge: .seconds(30 * 86_400)))
        let onlyAge = try parse("audit:\n  file: audit/gateway.jsonl\n  retention: { max_age: 12h }\n")
        #expect(onlyAge?.retention == AuditConfig.Retention(maxAge: .seconds(12 * 3_600)))
        let onlyFiles = try parse("audit:\n  file: audit/gateway.jsonl\n  retention: { max_files: 1 }\n")
        #expect(onlyFiles?.retention == AuditConfig.Retention(maxFiles: 1))
    }

    @Test func renderedRetentionParsesBackToTheSameValue() throws {
        let config = try GatewayConfig.parse(
            yaml: withTokens(validYAML + "audit:\n  file: audit/gateway.jsonl\n  retention:\n    max_files: 7\n    max_age: 90d\n"),
            fileName: "/srv/rta/gateway.yaml")
        let rendered = config.renderYAML()
        #expect(rendered.contains("  retention:\n    max_files: 7\n    max_age: 90d\n"))
        #expect(try GatewayConfig.parse(yaml: rendered, fileName: "/elsewhere/gateway.yaml").audit == config.audit)
    }

    @Test func retentionErrorsNameLineColumnAndKey() {
        #expect(errors("audit:\n  file: a.jsonl\n  retention:\n    max_files: 0\n    max_age: a month\n") == [
            "gateway.yaml:29:16: audit.retention.max_files: must be at least 1, found 0",
            #"gateway.yaml:30:14: audit.retention.max_age: invalid duration "a month": use a whole number followed by ms, s, m or h, e.g. "250ms", "5s", "2m""#,
        ])
        #expect(errors("audit:\n  file: a.jsonl\n  retention:\n    max_file: 3\n") == [
            #"gateway.yaml:29:5: audit.retention.max_file: unknown key "max_file" (did you mean "max_files"?)"#,
            #"gateway.yaml:29:5: audit.retention: retention sets no limit: set max_files, max_age or both (leave retention out to keep every file)"#,
        ])
        #expect(errors("audit:\n  file: a.jsonl\n  retention: 30d\n") == [
            #"gateway.yaml:28:14: audit.retention: expected a mapping, found a string ("30d")"#,
        ])
        #expect(errors("audit:\n  stdout: true\n  retention: { max_files: 3 }\n") == [
            "gateway.yaml:28:14: audit.retention: retention deletes rotated audit files, and this section writes none: set file or remove retention",
        ])
    }
}
