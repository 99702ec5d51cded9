/// A position in the document's structure, spelled the way operators read it:
/// `routes[2].path.prefix`.
struct ConfigKeyPath: Sendable, Hashable, CustomStringConvertible {
    private(set) var description: String = ""

    static let root = ConfigKeyPath()

    func key(_ name: String) -> ConfigKeyPath {
        var copy = self
        copy.description = description.isEmpty ? name : description + "." + name
        return copy
    }

    func index(_ position: Int) -> ConfigKeyPath {
        var copy = self
        copy.description += "[\(position)]"
        return copy
    }
}
