/// Decodes an `application/x-www-form-urlencoded` body for the dev IdP's endpoints
/// (`+` is a space, `%XX` a byte; the last of repeated names wins — dev only).
enum DevForm {
    static func parse(_ body: [UInt8]) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in body.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if !name.isEmpty { parameters[name] = value }
        }
        return parameters
    }

    private static func decode(_ encoded: ArraySlice<UInt8>) -> String {
        var bytes: [UInt8] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let byte = encoded[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < encoded.endIndex,
                      let value = UInt8(String(decoding: encoded[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
