/// Every extension function Cedar 4 defines, with how it is called and its arity.
///
/// An enum rather than a name table so the evaluator dispatches on a value, not on a
/// hashed string, for every call.
enum ExtensionFunction: String, CaseIterable, Sendable {
    case ip, decimal, datetime, duration
    case isIpv4, isIpv6, isLoopback, isMulticast, isInRange
    case lessThan, lessThanOrEqual, greaterThan, greaterThanOrEqual
    case offset, durationSince, toDate, toTime
    case toMilliseconds, toSeconds, toMinutes, toHours, toDays

    /// Constructors are called as functions (`ip("…")`); everything else as a method on its
    /// first argument (`x.isIpv4()`).
    var isConstructor: Bool {
        switch self {
        case .ip, .decimal, .datetime, .duration: true
        default: false
        }
    }

    /// Number of arguments, the receiver of a method included. Checked at evaluation time,
    /// as Cedar does: `ip("…").isIpv4(1)` parses and then fails when evaluated.
    var arity: Int {
        switch self {
        case .isInRange, .lessThan, .lessThanOrEqual, .greaterThan, .greaterThanOrEqual, .offset, .durationSince: 2
        default: 1
        }
    }
}
