/// Decoding that names the allowed values: Swift's synthesised decoder says only "Cannot
/// initialize ModelKind from invalid String value foo", which a snapshot's reader cannot act on.
extension ModelKind {
  /// Decodes a model name, or fails listing the four allowed ones.
  public init(from decoder: any Decoder) throws {
    self = try decodeNamedCase(from: decoder)
  }
}

extension Schedule {
  /// Decodes a schedule name, or fails listing the allowed ones.
  public init(from decoder: any Decoder) throws {
    self = try decodeNamedCase(from: decoder)
  }
}

/// One case of a string enum, or a `dataCorrupted` error listing every allowed value.
func decodeNamedCase<T: RawRepresentable & CaseIterable>(from decoder: any Decoder) throws -> T
where T.RawValue == String {
  let container = try decoder.singleValueContainer()
  let text = try container.decode(String.self)
  guard let value = T(rawValue: text) else {
    let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
    throw DecodingError.dataCorruptedError(
      in: container, debugDescription: "must be one of \(allowed); got '\(text)'")
  }
  return value
}
