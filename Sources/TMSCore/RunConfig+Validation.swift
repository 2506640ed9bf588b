/// A configuration value outside its allowed range: names the field and the range.
public struct ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
  /// The field, as spelled in files and flags (`features`, `feature_probability[2][0]`, …).
  public var field: String
  /// What is wrong and what is allowed.
  public var message: String

  /// Creates an error for `field`.
  public init(field: String, _ message: String) {
    self.field = field
    self.message = message
  }

  /// `field: message`.
  public var description: String { "\(field): \(message)" }
}

extension RunConfig {
  /// Checks every field (``fields``), throwing the first problem with the field's name and
  /// allowed range.
  public func validate() throws(ConfigError) {
    try Self.fields.check(self)
  }

  /// True when a change from `old` to `new` needs fresh weights: a field that is not
  /// ``ConfigField/live`` (shapes, model, seed, initial scale) changed.
  public static func needsReinitialisation(from old: RunConfig, to new: RunConfig) -> Bool {
    fields.contains { !$0.live && !$0.same(old, new) }
  }
}
