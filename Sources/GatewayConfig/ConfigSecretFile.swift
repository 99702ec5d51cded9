import Foundation

/// Secrets that `gateway.yaml` names by path (`hmac_secret_file`, `admin.token_file`),
/// read while parsing so a missing or short secret fails `validate` and start-up alike
/// instead of the first signal or admin request.
enum ConfigSecretFile {
    /// The file's bytes without trailing line breaks, which editors and `echo` add but
    /// nobody means as part of a secret. The failure finishes `cannot read "<path>": `.
    static func read(_ path: String) -> Result<[UInt8], ReasonText> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(ReasonText("no such file"))
        }
        guard !isDirectory.boolValue else { return .failure(ReasonText("it is a directory")) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ReasonText("permission denied or not a regular file"))
        }
        var bytes = Array(data)
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") {
            bytes.removeLast()
        }
        return .success(bytes)
    }
}
