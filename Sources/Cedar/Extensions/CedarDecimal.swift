/// A value of Cedar's `decimal` extension type: a fixed-point number with four fractional
/// digits, stored as an `Int64` count of ten-thousandths.
///
/// The accepted syntax is exactly Cedar's: `-?[0-9]+\.[0-9]+`, at most four digits after
/// the point, and a value within `-922337203685477.5808 ... 922337203685477.5807`.
/// Anything else (no digits on one side, `+`, exponent, overflow) is rejected so that
/// policies behave as they do in the reference engine.
public struct CedarDecimal: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number multiplied by 10^4.
    public let scaled: Int64

    static let fractionDigits = 4

    public init(scaled: Int64) {
        self.scaled = scaled
    }

    /// Parses Cedar's `decimal("...")` argument; nil when Cedar would raise an extension error.
    public static func parse(_ s: String) -> CedarDecimal? {
        let bytes = Array(s.utf8)
        let negative = bytes.first == UInt8(ascii: "-")
        let body = negative ? bytes.dropFirst() : bytes[...]
        guard let dot = body.firstIndex(of: UInt8(ascii: ".")) else { return nil }
        let whole = body[..<dot]
        let fraction = body[(dot + 1)...]
        let isDigit = { (c: UInt8) in c >= 0x30 && c <= 0x39 }
        guard !whole.isEmpty, !fraction.isEmpty,
              whole.allSatisfy(isDigit), fraction.allSatisfy(isDigit),
              fraction.count <= fractionDigits else { return nil }
        guard var value = accumulate(whole, negative: negative) else { return nil }
        for _ in 0..<fractionDigits {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            value = product
        }
        var fractionValue: Int64 = 0
        for (i, digit) in fraction.enumerated() {
            var term = Int64(digit - 0x30)
            for _ in 0..<(fractionDigits - 1 - i) { term *= 10 }
            fractionValue += term
        }
        let (result, overflow) = negative
            ? value.subtractingReportingOverflow(fractionValue)
            : value.addingReportingOverflow(fractionValue)
        return overflow ? nil : CedarDecimal(scaled: result)
    }

    /// Folds decimal digits into an Int64 carrying the sign, failing on overflow.
    private static func accumulate(_ digits: ArraySlice<UInt8>, negative: Bool) -> Int64? {
        var value: Int64 = 0
        for c in digits {
            let digit = Int64(c - 0x30)
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative
                ? shifted.subtractingReportingOverflow(digit)
                : shifted.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            value = next
        }
        return value
    }

    public static func < (lhs: CedarDecimal, rhs: CedarDecimal) -> Bool {
        lhs.scaled < rhs.scaled
    }

    /// Always four fractional digits, e.g. `-1.5000`, as Cedar prints decimals.
    public var description: String {
        let magnitude = scaled.magnitude
        let whole = magnitude / 10_000
        let fraction = String(magnitude % 10_000)
        let padded = String(repeating: "0", count: 4 - fraction.count) + fraction
        return (scaled < 0 ? "-" : "") + "\(whole).\(padded)"
    }
}
