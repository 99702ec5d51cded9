import AuditLog
import Cedar
import Foundation
import Gateway

/// `policy authorize --batch`: decides one request per input line against policies and
/// entities loaded once, writing one JSON line per request. Lines are answered as they are
/// read (stdout is flushed each time), so a script can keep one process open as a pipe.
///
/// Output per line: `{"decision":"allow"|"deny","reasons":[ids…],"errors":[ids…]}` with
/// ids sorted, the shape of the Cedar corpus' expected results; a line that is not a valid
/// request gives `{"line":N,"error":"…"}` and the batch goes on.
struct PolicyBatchRunner {
    let policies: PolicySet
    let entities: Entities
    let schema: Schema?

    /// Processes every non-blank line of `inputPath` (`-` for stdin); false when the input
    /// could not be read or any line failed.
    func run(inputPath: String) -> Bool {
        var allDecided = true
        var lineNumber = 0
        func handle(_ line: String) {
            lineNumber += 1
            guard !line.allSatisfy(\.isWhitespace) else { return }
            let (output, decided) = answer(line, lineNumber: lineNumber)
            allDecided = allDecided && decided
            FileHandle.standardOutput.write(Data((output + "\n").utf8))
        }
        if inputPath == "-" {
            while let line = readLine() { handle(line) }
        } else {
            do {
                let (_, text) = try PolicyInputs.text(of: inputPath, what: "batch requests")
                text.split(separator: "\n", omittingEmptySubsequences: false).forEach { handle(String($0)) }
            } catch {
                printError(error.description)
                return false
            }
        }
        return allDecided
    }

    /// The JSON result line for one request line, and whether it holds a decision.
    func answer(_ line: String, lineNumber: Int) -> (json: String, decided: Bool) {
        let request: Request
        do {
            request = try Request.fromJSON(line, schema: schema)
        } catch {
            return ("{\"line\":\(lineNumber),\"error\":\(JSONString.quoted(error.description))}", false)
        }
        let response = Authorizer.isAuthorized(request, policies: policies, entities: entities)
        let reasons = response.reason.sorted().map { JSONString.quoted($0.rawValue) }
        let errors = Set(response.errors.map(\.policyID)).sorted().map { JSONString.quoted($0.rawValue) }
        let json = "{\"decision\":\"\(response.decision.rawValue)\",\"reasons\":[\(reasons.joined(separator: ","))],"
            + "\"errors\":[\(errors.joined(separator: ","))]}"
        return (json, true)
    }
}
