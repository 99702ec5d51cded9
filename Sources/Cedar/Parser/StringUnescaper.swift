/// Cedar's string-literal escapes (Rust's: `\n \r \t \\ \0 \' \" \xHH \u{H…}`), plus `\*`
/// inside `like` patterns where an unescaped `*` is a wildcard.
enum StringUnescaper {
    enum Failure: Error {
        case invalidEscape(String)
    }

    /// The decoded text of a plain string literal.
    static func string(_ raw: String) -> Result<String, Failure> {
        var out = String.UnicodeScalarView()
        switch decode(raw, pattern: false, onScalar: { out.append($0) }, onWildcard: {}) {
        case .success: return .success(String(out))
        case .failure(let f): return .failure(f)
        }
    }

    /// The elements of a `like` pattern literal.
    static func pattern(_ raw: String) -> Result<Pattern, Failure> {
        var elements: [Pattern.Element] = []
        switch decode(raw, pattern: true, onScalar: { elements.append(.char($0)) }, onWildcard: { elements.append(.wildcard) }) {
        case .success: return .success(Pattern(elements))
        case .failure(let f): return .failure(f)
        }
    }

    private static func decode(
        _ raw: String, pattern: Bool, onScalar: (Unicode.Scalar) -> Void, onWildcard: () -> Void
    ) -> Result<Void, Failure> {
        let scalars = Array(raw.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            i += 1
            if c == "*" && pattern {
                onWildcard()
                continue
            }
            guard c == "\\" else {
                onScalar(c)
                continue
            }
            guard i < scalars.count else { return .failure(.invalidEscape("\\")) }
            let e = scalars[i]
            i += 1
            switch e {
            case "n": onScalar("\n")
            case "r": onScalar("\r")
            case "t": onScalar("\t")
            case "\\": onScalar("\\")
            case "0": onScalar("\0")
            case "'": onScalar("'")
            case "\"": onScalar("\"")
            case "*" where pattern: onScalar("*")
            case "x":
                guard i + 1 < scalars.count, let v = UInt32(String(String.UnicodeScalarView(scalars[i...i + 1])), radix: 16),
                    v <= 0x7F, let s = Unicode.Scalar(v)
                else { return .failure(.invalidEscape("\\x")) }
                i += 2
                onScalar(s)
            case "u":
                guard i < scalars.count, scalars[i] == "{", let close = scalars[i...].firstIndex(of: "}"),
                    (2...7).contains(close - i), let v = UInt32(String(String.UnicodeScalarView(scalars[(i + 1)..<close])), radix: 16),
                    let s = Unicode.Scalar(v)
                else { return .failure(.invalidEscape("\\u")) }
                i = close + 1
                onScalar(s)
            default:
                return .failure(.invalidEscape("\\\(e)"))
            }
        }
        return .success(())
    }
}
