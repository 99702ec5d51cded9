/// Argument and result types of Cedar's extension functions, for the type checker.
///
/// Constructors (`ip`, `decimal`, `datetime`, `duration`) additionally require, in strict
/// validation, a string literal argument that parses, so malformed literals are caught
/// before any request is evaluated.
struct ExtensionSignature {
    let arguments: [ValidatorType]
    let result: ValidatorType
    /// For constructors: whether a literal argument is a valid value of the type.
    let literalCheck: (@Sendable (String) -> Bool)?

    static func lookup(_ name: String) -> ExtensionSignature? {
        let bare = name.hasPrefix("__cedar::") ? String(name.dropFirst("__cedar::".count)) : name
        return table[bare]
    }

    private static let ipaddr = ValidatorType.extensionType("ipaddr")
    private static let decimal = ValidatorType.extensionType("decimal")
    private static let datetime = ValidatorType.extensionType("datetime")
    private static let duration = ValidatorType.extensionType("duration")

    private static let table: [String: ExtensionSignature] = {
        var table: [String: ExtensionSignature] = [
            "ip": ExtensionSignature(arguments: [.string], result: ipaddr, literalCheck: { IPAddr.parse($0) != nil }),
            "decimal": ExtensionSignature(arguments: [.string], result: decimal, literalCheck: { CedarDecimal.parse($0) != nil }),
            "datetime": ExtensionSignature(arguments: [.string], result: datetime, literalCheck: { CedarDatetime.parse($0) != nil }),
            "duration": ExtensionSignature(arguments: [.string], result: duration, literalCheck: { CedarDuration.parse($0) != nil }),
            "isInRange": ExtensionSignature(arguments: [ipaddr, ipaddr], result: .anyBool, literalCheck: nil),
            "offset": ExtensionSignature(arguments: [datetime, duration], result: datetime, literalCheck: nil),
            "durationSince": ExtensionSignature(arguments: [datetime, datetime], result: duration, literalCheck: nil),
            "toDate": ExtensionSignature(arguments: [datetime], result: datetime, literalCheck: nil),
            "toTime": ExtensionSignature(arguments: [datetime], result: duration, literalCheck: nil),
        ]
        for name in ["isIpv4", "isIpv6", "isLoopback", "isMulticast"] {
            table[name] = ExtensionSignature(arguments: [ipaddr], result: .anyBool, literalCheck: nil)
        }
        for name in ["lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual"] {
            table[name] = ExtensionSignature(arguments: [decimal, decimal], result: .anyBool, literalCheck: nil)
        }
        for name in ["toMilliseconds", "toSeconds", "toMinutes", "toHours", "toDays"] {
            table[name] = ExtensionSignature(arguments: [duration], result: .long, literalCheck: nil)
        }
        return table
    }()

    /// Types `<`, `<=`, `>`, `>=` accept besides `Long`.
    static let comparableExtensionTypes: Set<String> = ["datetime", "duration"]
}
