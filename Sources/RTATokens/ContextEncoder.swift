/// The length-prefixed primitives of the canonical context encoding. Every variable
/// part carries its length or count, so no two different contexts share an encoding.
struct ContextEncoder {
    static let domain = "RTA-CTX-v2"

    private(set) var bytes: [UInt8] = []

    mutating func uint32(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    mutating func uint64(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        uint32(UInt32(truncatingIfNeeded: utf8.count))
        bytes += utf8
    }

    mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    mutating func optionalString(_ value: String?) {
        if let value {
            bytes.append(1)
            string(value)
        } else {
            bytes.append(0)
        }
    }

    mutating func stringList(_ values: [String]) {
        uint32(UInt32(truncatingIfNeeded: values.count))
        for value in values { string(value) }
    }

    /// Sorted by UTF-8 bytes and de-duplicated: a set has one encoding.
    mutating func stringSet(_ values: [String]) {
        let unique = Set(values.map { Array($0.utf8) })
        let sorted = unique.sorted { $0.lexicographicallyPrecedes($1) }
        uint32(UInt32(truncatingIfNeeded: sorted.count))
        for value in sorted {
            uint32(UInt32(truncatingIfNeeded: value.count))
            bytes += value
        }
    }

    /// Members sorted by the UTF-8 bytes of their keys.
    mutating func object(_ members: [String: ClaimValue]) {
        let sorted = members.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
        uint32(UInt32(truncatingIfNeeded: sorted.count))
        for (key, value) in sorted {
            string(key)
            claim(value)
        }
    }

    mutating func claim(_ value: ClaimValue) {
        switch value {
        case .null:
            bytes.append(0x00)
        case .bool(let flag):
            bytes.append(0x01)
            bytes.append(flag ? 1 : 0)
        case .integer(let number):
            bytes.append(0x02)
            uint64(UInt64(bitPattern: number))
        case .string(let text):
            bytes.append(0x03)
            string(text)
        case .list(let items):
            bytes.append(0x04)
            uint32(UInt32(truncatingIfNeeded: items.count))
            for item in items { claim(item) }
        case .object(let members):
            bytes.append(0x05)
            object(members)
        }
    }
}
