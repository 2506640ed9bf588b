import TMSCore

/// Reads a sweep file: strict JSON, like presets.
///
/// ```json
/// { "preset": "intro",                       // or "base": { …preset keys… }; else the defaults
///   "axes": [ {"key": "feature_probability", "log": [1, 0.01], "count": 20},
///             {"key": "relative_importance", "values": [0.1, 1, 10]} ],
///   "seeds": 3, "random_points": 0, "random_seed": 0, "eval_samples": 32768,
///   "weights": false }
/// ```
/// `base` holds a run's preset keys (``RunConfig/fields``); `preset` names a preset (a name
/// or a path) whose run is the base, and `base` may then override some of its keys. Unknown
/// keys, wrong types and out-of-range values are one line naming the file and the key path.
public enum SweepSpecFile {
  /// The top-level keys besides ``SweepSpec/fields``.
  static let otherKeys = ["axes", "base", "preset"]

  /// Reads a sweep from a document object; `resolvePreset` turns `preset` into a run.
  public static func read(
    _ o: JSONObject, path: String = "", checkPoints: Bool = true,
    resolvePreset: (String) throws -> RunConfig
  ) throws(ConfigError) -> SweepSpec {
    var spec = SweepSpec()
    try SweepSpec.fields.read(o, into: &spec, FieldReading(path: path, otherKeys: otherKeys))
    let join: (String) -> String = { path.isEmpty ? $0 : "\(path).\($0)" }
    if let p = o["preset"] {
      let name = try FieldReader.string(p, join("preset"))
      do {
        spec.base = try resolvePreset(name)
      } catch {
        throw ConfigError(field: join("preset"), "\(error)")
      }
    }
    spec.base.instances = 1
    spec.base.conformShapes()
    if let b = o["base"] {
      var base = spec.base
      try RunConfig.fields.read(
        try FieldReader.object(b, join("base")), into: &base, FieldReading(path: join("base")))
      base.instances = 1
      base.conformShapes()
      spec.base = base
    }
    guard let axes = o["axes"] else { throw ConfigError(field: join("axes"), "is required") }
    spec.axes = []
    for (i, a) in try FieldReader.list(axes, join("axes")).enumerated() {
      spec.axes.append(try SweepAxis.read(a, "\(join("axes"))[\(i)]"))
    }
    try spec.validate(points: checkPoints)
    return spec
  }

  /// Reads the sweep file at `path` (errors: `path: key: problem`).
  public static func load(
    _ path: String, resolvePreset: (String) throws -> RunConfig
  ) throws(SweepFileError) -> SweepSpec {
    let bytes = try SweepResultFile.readBytes(path, limit: Preset.maxFileSize, what: "sweep")
    let value: JSONValue
    do {
      value = try JSONDocument.parse(bytes, file: path)
    } catch {
      throw SweepFileError(file: path, quoted(error.message))
    }
    guard case .object(let o) = value else {
      throw SweepFileError(file: path, "must be a JSON object, got \(value.kind)")
    }
    do {
      return try read(o, resolvePreset: resolvePreset)
    } catch {
      throw SweepFileError(file: path, quoted(error.description))
    }
  }
}

extension SweepSpecFile {
  /// The sweep as a sweep file (readable JSON, the base run written out in full), which
  /// reads back to the same sweep with the same id.
  public static func encode(_ spec: SweepSpec) -> [UInt8] {
    var w = JSONWriter()
    w.value(.object(spec.written), indent: 0)
    w.raw(0x0A)
    return w.bytes
  }
}
