/// A value of Cedar's `duration` extension type: a signed span of milliseconds.
///
/// The accepted syntax is Cedar's: an optional leading `-`, then quantity–unit pairs in
/// the fixed order `d`, `h`, `m`, `s`, `ms`, each at most once and at least one present
/// (`1d2h3m4s5ms`, `-90m`). The sign applies to the whole string; a total that does not
/// fit in an `Int64` millisecond count is rejected rather than wrapped.
public struct CedarDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// Units in the only order Cedar accepts, with their length in milliseconds.
    private static let units: [(suffix: String, scale: Int64)] = [
        ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// Parses Cedar's `duration("...")` argument; nil when Cedar would raise an extension error.
    public static func parse(_ s: String) -> CedarDuration? {
        var rest = Substring(s)
        let negative = rest.hasPrefix("-")
        if negative { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        var quantities = [UInt64?](repeating: nil, count: units.count)
        var nextUnit = 0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { return nil }
            rest = rest.dropFirst(digits.count)
            let suffix: String
            if rest.hasPrefix("ms") { suffix = "ms" } else if let c = rest.first { suffix = String(c) } else { return nil }
            guard let unit = units.firstIndex(where: { $0.suffix == suffix }), unit >= nextUnit else { return nil }
            rest = rest.dropFirst(suffix.count)
            // A quantity too large for UInt64 is an overflow, as in the reference engine.
            guard let quantity = UInt64(digits) else { return nil }
            quantities[unit] = quantity
            nextUnit = unit + 1
        }
        var total: Int64 = 0
        for (index, unit) in units.enumerated().reversed() {
            guard let quantity = quantities[index] else { continue }
            guard let signed = Int64(exactly: quantity) else {
                // Only `-9223372036854775808ms` reaches Int64.min without a positive counterpart.
                guard negative, unit.scale == 1, quantity == UInt64(Int64.max) + 1, total == 0 else { return nil }
                total = .min
                continue
            }
            let (amount, o1) = signed.multipliedReportingOverflow(by: unit.scale)
            let (next, o2) = negative ? total.subtractingReportingOverflow(amount) : total.addingReportingOverflow(amount)
            guard !o1, !o2 else { return nil }
            total = next
        }
        return CedarDuration(milliseconds: total)
    }

    public func toMilliseconds() -> Int64 { milliseconds }
    public func toSeconds() -> Int64 { milliseconds / 1_000 }
    public func toMinutes() -> Int64 { toSeconds() / 60 }
    public func toHours() -> Int64 { toMinutes() / 60 }
    public func toDays() -> Int64 { toHours() / 24 }

    public static func < (lhs: CedarDuration, rhs: CedarDuration) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    /// `<n>ms`, the form the reference engine prints and re-parses losslessly.
    public var description: String { "\(milliseconds)ms" }
}
