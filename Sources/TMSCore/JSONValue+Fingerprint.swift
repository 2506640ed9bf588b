/// A hash of a document tree, for telling configurations and sweeps apart.
///
/// 64-bit FNV-1a over a walk of the tree in which every node contributes a tag byte for its
/// kind and then its content (a number's token as written, a string's UTF-8 bytes and
/// length, an object's keys in order): equal trees hash equal on every platform and in every
/// run, unlike Swift's `Hasher`, which is seeded per process. Values built by the field
/// tables write numbers in their shortest round-trip form, so equal configurations give
/// equal trees.
extension JSONValue {
  /// The 64-bit FNV-1a hash of the tree.
  public var fingerprint: UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    feed(&h)
    return h
  }

  /// ``fingerprint`` as 16 lower-case hex digits.
  public var fingerprintHex: String {
    let s = String(fingerprint, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
  }

  private static func mix(_ h: inout UInt64, _ byte: UInt8) {
    h ^= UInt64(byte)
    h = h &* 0x0000_0100_0000_01B3
  }

  private static func mix(_ h: inout UInt64, _ text: String) {
    for b in text.utf8 { mix(&h, b) }
    mix(&h, 0xFF)
  }

  private func feed(_ h: inout UInt64) {
    switch self {
    case .null: Self.mix(&h, 0)
    case .bool(let b): Self.mix(&h, b ? 2 : 1)
    case .number(let t):
      Self.mix(&h, 3)
      Self.mix(&h, t)
    case .special(let d):
      Self.mix(&h, 4)
      Self.mix(&h, d.description)
    case .string(let s):
      Self.mix(&h, 5)
      Self.mix(&h, s)
    case .array(let items):
      Self.mix(&h, 6)
      for item in items { item.feed(&h) }
      Self.mix(&h, 7)
    case .object(let o):
      Self.mix(&h, 8)
      for key in o.keys {
        Self.mix(&h, key)
        o[key]?.feed(&h)
      }
      Self.mix(&h, 9)
    }
  }
}
