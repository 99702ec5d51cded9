import Foundation

/// JSON string literals built by hand, for small bodies on hot paths (the gateway's
/// error answers) and for the CLI's one-line JSON output, where a serializer would
/// cost more than the text it writes.
public enum JSONStringLiteral {
    /// `text` quoted per RFC 8259 §7: quote, backslash and control characters escaped,
    /// everything else (including `/` and non-ASCII) as is.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
