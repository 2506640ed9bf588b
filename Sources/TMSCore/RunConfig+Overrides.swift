/// Two runs compared side by side (the explorer's compare view) share every field but the
/// few the second run sets for itself: these read such overrides, find where two runs
/// differ, and carry an edit of the first run over to the second, all through the field
/// table (``RunConfig/fields``), so a new field takes part without code here.
extension RunConfig {
  /// `self` with the fields of `overrides` read over it (a preset's `"compare"` object):
  /// unknown keys, wrong types and out-of-range values are errors naming `path.key`; the
  /// per-instance curves follow a changed n or K, and the result is validated.
  public func applying(overrides: JSONObject, path: String) throws(ConfigError) -> RunConfig {
    let known = Set(Self.fields.map(\.key))
    for key in overrides.keys where !known.contains(key) {
      throw ConfigError(
        field: "\(path).\(key)", "unknown key; allowed: \(known.sorted().joined(separator: ", "))")
    }
    var c = self
    // Only the fields given: a missing field keeps this run's value as it is (the full
    // table would refill a curve whose shape the override changed).
    let given = Self.fields.filter { overrides[$0.key] != nil }
    try given.read(overrides, into: &c, FieldReading(path: path))
    c.conformShapes()
    do {
      try c.validate()
    } catch {
      throw ConfigError(field: "\(path).\(error.field)", error.message)
    }
    return c
  }

  /// The keys of the fields whose values differ between `self` and `other`.
  public func differingFields(from other: RunConfig) -> Set<String> {
    Set(Self.fields.filter { !$0.same(self, other) }.map(\.key))
  }

  /// `self` (a second run) after the first run changed from `before` to `after`: every
  /// field that changed there is copied here, except the fields in `keeping` (what this run
  /// sets for itself) and any value this run's shape cannot take (a curve of another K).
  public func following(from before: RunConfig, to after: RunConfig, keeping: Set<String>)
    -> RunConfig
  {
    var c = self
    for field in Self.fields where !keeping.contains(field.key) && !field.same(before, after) {
      guard let value = field.write(after) else { continue }
      var next = c
      do {
        try field.read(value, field.key, &next)
        c = next
      } catch {
        continue
      }
    }
    c.conformShapes()
    return c
  }
}
