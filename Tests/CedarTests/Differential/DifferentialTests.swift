import Foundation
import Testing

import Cedar

/// Differential test against the official Rust engine (cedarpy): hundreds of seeded
/// random cases, every request answered by both engines, decisions, reason sets and the
/// set of erroring policies compared. The seed is fixed so CI is reproducible;
/// `CEDAR_DIFF_SEED` and `CEDAR_DIFF_CASES` explore further locally.
struct DifferentialTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seed = environment["CEDAR_DIFF_SEED"].flatMap { UInt64($0) } ?? 0x00C3_DA12
    static let caseCount = environment["CEDAR_DIFF_CASES"].flatMap { Int($0) } ?? 300

    /// The Swift engine's answers for one case, in the oracle's terms.
    static func swiftAnswers(_ c: DifferentialCase) throws -> [OracleAnswer] {
        let policies = try PolicySet.parse(text: c.policies)
        let entities = try Entities.fromJSON(c.entities)
        return try c.requests.map { text in
            let response = Authorizer.isAuthorized(try Request.fromJSON(text), policies: policies, entities: entities)
            return OracleAnswer(
                decision: response.decision.rawValue, reasons: Set(response.reason.map(\.rawValue)),
                errors: Set(response.errors.map(\.policyID.rawValue)), errorMessages: response.errors.map(\.error.message))
        }
    }

    /// How a disagreement is shown: everything needed to replay it with the Cedar CLI.
    static func report(case index: Int, _ c: DifferentialCase, request: String, swift: String, rust: String) -> String {
        """
        case \(index) (seed \(seed)):
        --- policies.cedar
        \(c.policies)
        --- entities.json
        \(c.entities)
        --- request.json
        \(request)
        --- Swift: \(swift)
        --- Rust:  \(rust)
        """
    }

    static func summary(_ a: OracleAnswer?) -> String {
        guard let a else { return "no answer" }
        return "\(a.decision) reasons=\(a.reasons.sorted()) errors=\(a.errors.sorted()) \(a.errorMessages)"
    }

    @Test func swiftEngineAgreesWithRustEngine() throws {
        var generator = CaseGenerator(seed: Self.seed)
        let cases = (0..<Self.caseCount).map { _ in generator.next() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cedar-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let oracle = try CedarOracle.answer(cases, in: directory)
        var total = 0, agreeing = 0, allows = 0, withErrors = 0
        var failures: [String] = []
        for (i, c) in cases.enumerated() {
            total += c.requests.count
            let rustLoad = oracle.loadErrors[i].map { "load error: \($0)" }
            let swiftAnswers: [OracleAnswer]
            do {
                swiftAnswers = try Self.swiftAnswers(c)
            } catch {
                failures.append(Self.report(case: i, c, request: c.requests[0], swift: "load error: \(error)",
                                            rust: rustLoad ?? Self.summary(oracle.answers[i][0])))
                continue
            }
            for (j, swift) in swiftAnswers.enumerated() {
                guard rustLoad == nil, let rust = oracle.answers[i][j], rust.decision == swift.decision,
                    rust.reasons == swift.reasons, rust.errors == swift.errors
                else {
                    failures.append(Self.report(case: i, c, request: c.requests[j], swift: Self.summary(swift),
                                                rust: rustLoad ?? Self.summary(oracle.answers[i][j])))
                    continue
                }
                agreeing += 1
                if swift.decision == "allow" { allows += 1 }
                if !swift.errors.isEmpty { withErrors += 1 }
            }
        }
        print("differential: \(agreeing)/\(total) requests agree (\(cases.count) cases, seed \(Self.seed); \(allows) allow, \(withErrors) with evaluation errors)")
        for failure in failures.prefix(3) { print(failure) }
        #expect(failures.isEmpty, "\(failures.count) of \(total) requests disagree with cedarpy; first: \(failures.first ?? "")")
        // A generator that never allows or never errors would make agreement meaningless.
        #expect(allows > total / 20 && withErrors > total / 20, "generated cases too uniform: \(allows) allow, \(withErrors) error of \(total)")
    }
}
