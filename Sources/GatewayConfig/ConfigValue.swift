/// A YAML value kept as written, for blocks this module stores without interpreting
/// (a route's `policy`, mapped to Cedar later).
public indirect enum ConfigValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case list([ConfigValue])
    case map([String: ConfigValue])
}
