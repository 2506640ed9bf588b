import TMSCore

/// Reads one preset object: the run's fields by their table (``RunConfig/fields``), then the
/// keys only presets have (`description`, `expect`, `view`, `phase`, `compare`). Every key is checked,
/// every type and range named.
struct PresetReader {
  let file: String
  let object: JSONObject
  let views: Set<String>?

  func read() throws(ConfigError) -> Preset {
    var c = RunConfig()
    try RunConfig.fields.read(object, into: &c, FieldReading(otherKeys: Preset.presetKeys))
    try c.validate()
    var view: String? = nil
    if let v = object["view"] {
      let name = try FieldReader.string(v, "view")
      if let views, !views.contains(name) {
        throw ConfigError(
          field: "view", "must be one of \(views.sorted().joined(separator: ", ")); got '\(name)'")
      }
      view = name
    }
    return Preset(
      config: c,
      description: try object["description"].map { v throws(ConfigError) in
        try FieldReader.string(v, "description")
      } ?? "",
      expect: try object["expect"].map { v throws(ConfigError) in
        try FieldReader.string(v, "expect")
      } ?? "",
      view: view, source: file,
      phase: try object["phase"].map { v throws(ConfigError) in try phase(v, run: c) },
      compare: try object["compare"].map { v throws(ConfigError) in try compare(v, run: c) })
  }

  /// The `compare` object: fields of the run that the second run of the compare view sets
  /// for itself, checked by reading them over the preset's own run (``RunConfig/fields``).
  func compare(_ v: JSONValue, run c: RunConfig) throws(ConfigError) -> JSONObject {
    let o = try FieldReader.object(v, "compare")
    guard !o.keys.isEmpty else {
      throw ConfigError(field: "compare", "must set at least one field of the second run")
    }
    _ = try c.applying(overrides: o, path: "compare")
    return o
  }

  /// The `phase` object: the grid of a 2→1 or 3→2 relu-output preset, its fields by
  /// ``PhaseSweepConfig/gridFields``; the model and training are the preset's run.
  func phase(_ v: JSONValue, run c: RunConfig) throws(ConfigError) -> PhaseSweepConfig {
    let o = try FieldReader.object(v, "phase")
    guard c.model == .reluOutput, c.features == 2 || c.features == 3, c.hidden == c.features - 1
    else {
      throw ConfigError(
        field: "phase",
        "needs a relu-output 2→1 or 3→2 model, got \(c.model.rawValue) \(c.features)→\(c.hidden)")
    }
    var p = PhaseSweepConfig(run: c)
    try PhaseSweepConfig.gridFields.read(o, into: &p, FieldReading(path: "phase"))
    do {
      try p.validate()
    } catch {
      throw ConfigError(field: "phase.\(error.field)", error.message)
    }
    return p
  }
}
