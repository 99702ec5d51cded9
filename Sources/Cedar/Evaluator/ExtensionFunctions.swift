/// The glue between Cedar expressions and the extension types in `Extensions/`:
/// argument type checks, constructor parsing and the result values, with Cedar's errors.
///
/// Shared by the evaluator and the JSON loaders (`{"__extn": {"fn": …}}`), so a value
/// built from JSON behaves exactly like one built in a policy.
enum ExtensionFunctions {
    static func call(_ name: String, _ args: [Value], span: SourceSpan) throws(EvaluationError) -> Value {
        guard let function = ExtensionFunction(rawValue: name) else {
            throw EvaluationError(.extensionError, "unknown extension function `\(name)`", span: span)
        }
        return try call(function, args, span: span)
    }

    static func call(_ function: ExtensionFunction, _ args: [Value], span: SourceSpan) throws(EvaluationError) -> Value {
        let name = function.rawValue
        guard args.count == function.arity else {
            throw EvaluationError(
                .extensionError, "wrong number of arguments to `\(name)`: expected \(function.arity), got \(args.count)", span: span)
        }
        switch function {
        case .ip:
            let s = try string(args, 0, name, span)
            guard let ip = IPAddr.parse(s) else { throw invalid(name, s, "an IP address or CIDR range", span) }
            return .ext(.ipaddr(ip))
        case .decimal:
            let s = try string(args, 0, name, span)
            guard let d = CedarDecimal.parse(s) else { throw invalid(name, s, "a decimal with at most 4 fractional digits", span) }
            return .ext(.decimal(d))
        case .datetime:
            let s = try string(args, 0, name, span)
            guard let d = CedarDatetime.parse(s) else { throw invalid(name, s, "an RFC 3339 datetime", span) }
            return .ext(.datetime(d))
        case .duration:
            let s = try string(args, 0, name, span)
            guard let d = CedarDuration.parse(s) else { throw invalid(name, s, "a duration such as `1h30m`", span) }
            return .ext(.duration(d))
        case .isIpv4: return .bool(try ip(args, 0, name, span).isIpv4)
        case .isIpv6: return .bool(try ip(args, 0, name, span).isIpv6)
        case .isLoopback: return .bool(try ip(args, 0, name, span).isLoopback)
        case .isMulticast: return .bool(try ip(args, 0, name, span).isMulticast)
        case .isInRange:
            let addr = try ip(args, 0, name, span)
            return .bool(addr.isInRange(try ip(args, 1, name, span)))
        case .lessThan: return .bool(try decimal(args, 0, name, span) < decimal(args, 1, name, span))
        case .lessThanOrEqual: return .bool(try decimal(args, 0, name, span) <= decimal(args, 1, name, span))
        case .greaterThan: return .bool(try decimal(args, 0, name, span) > decimal(args, 1, name, span))
        case .greaterThanOrEqual: return .bool(try decimal(args, 0, name, span) >= decimal(args, 1, name, span))
        case .offset:
            let base = try datetime(args, 0, name, span)
            guard let result = base.offset(by: try duration(args, 1, name, span)) else { throw overflow(name, span) }
            return .ext(.datetime(result))
        case .durationSince:
            let later = try datetime(args, 0, name, span)
            guard let result = later.durationSince(try datetime(args, 1, name, span)) else { throw overflow(name, span) }
            return .ext(.duration(result))
        case .toDate:
            guard let result = try datetime(args, 0, name, span).toDate() else { throw overflow(name, span) }
            return .ext(.datetime(result))
        case .toTime: return .ext(.duration(try datetime(args, 0, name, span).toTime()))
        case .toMilliseconds: return .long(try duration(args, 0, name, span).toMilliseconds())
        case .toSeconds: return .long(try duration(args, 0, name, span).toSeconds())
        case .toMinutes: return .long(try duration(args, 0, name, span).toMinutes())
        case .toHours: return .long(try duration(args, 0, name, span).toHours())
        case .toDays: return .long(try duration(args, 0, name, span).toDays())
        }
    }

    /// Whether `name` is callable through `call`; the JSON loaders check this first.
    static func isKnown(_ name: String) -> Bool {
        ExtensionFunction(rawValue: name) != nil
    }

    private static func string(_ args: [Value], _ i: Int, _ name: String, _ span: SourceSpan) throws(EvaluationError) -> String {
        let v = args[i]
        guard case .string(let s) = v else { throw .type(expected: "string", got: v, span: span) }
        return s
    }

    private static func ip(_ args: [Value], _ i: Int, _ name: String, _ span: SourceSpan) throws(EvaluationError) -> IPAddr {
        let v = args[i]
        guard case .ext(.ipaddr(let x)) = v else { throw .type(expected: "ipaddr", got: v, span: span) }
        return x
    }

    private static func decimal(_ args: [Value], _ i: Int, _ name: String, _ span: SourceSpan) throws(EvaluationError) -> CedarDecimal {
        let v = args[i]
        guard case .ext(.decimal(let x)) = v else { throw .type(expected: "decimal", got: v, span: span) }
        return x
    }

    private static func datetime(_ args: [Value], _ i: Int, _ name: String, _ span: SourceSpan) throws(EvaluationError) -> CedarDatetime {
        let v = args[i]
        guard case .ext(.datetime(let x)) = v else { throw .type(expected: "datetime", got: v, span: span) }
        return x
    }

    private static func duration(_ args: [Value], _ i: Int, _ name: String, _ span: SourceSpan) throws(EvaluationError) -> CedarDuration {
        let v = args[i]
        guard case .ext(.duration(let x)) = v else { throw .type(expected: "duration", got: v, span: span) }
        return x
    }

    private static func invalid(_ name: String, _ input: String, _ expected: String, _ span: SourceSpan) -> EvaluationError {
        EvaluationError(.extensionError, "`\(name)(\(CedarString.quoted(input)))` failed: expected \(expected)", span: span)
    }

    private static func overflow(_ name: String, _ span: SourceSpan) -> EvaluationError {
        EvaluationError(.extensionError, "`\(name)` overflowed the datetime range", span: span)
    }
}
