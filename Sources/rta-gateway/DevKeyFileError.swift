/// A development server's `--key` file could not be read or written.
struct DevKeyFileError: Error, CustomStringConvertible {
    let path: String
    let message: String

    var description: String { "\(path): \(message)" }
}
