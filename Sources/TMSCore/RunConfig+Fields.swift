/// The declaration of every field of a run: key, flags, range, liveness (see ``ConfigField``).
extension RunConfig {
  /// Largest sizes the engine accepts; beyond them memory and time stop being interactive.
  public static let maxFeatures = 4096
  /// Largest hidden width.
  public static let maxHidden = 1024
  /// Largest number of instances.
  public static let maxInstances = 1024
  /// Largest importance.
  public static let maxImportance = 1e6

  /// Every field of a run, in the order files list them: the model's shape first (curves
  /// read after the shapes they need), then its data, then ``TrainingSettings/fields``.
  public static let fields: [ConfigField<RunConfig>] =
    [
      .text("name", \.name, help: "Preset or run name, used in snapshot file names", live: true),
      .choice("model", \.model, flag: "model", help: "Model", live: false),
      .integer(
        "features", \.features, in: 1...maxFeatures, flag: "features",
        help: "n, the number of features", live: false),
      .integer(
        "hidden", \.hidden, in: 1...maxHidden, flag: "hidden",
        help: "m, the number of hidden dimensions", live: false),
      .integer(
        "instances", \.instances, in: 1...maxInstances, flag: "instances",
        help: "K, the number of independent instances", live: false),
      curve(
        "importance", \.importance, NumberRule("in [0, 1e6]") { $0 >= 0 && $0 <= maxImportance },
        help: "Importance I_i per instance and feature",
        flags: [
          ConfigFlag(
            "importance-decay", help: "Importance I_i = R^i for every instance (R > 0)", Double.self
          ) { r, c throws(ConfigError) in
            try NumberRule.positive.check(r, "--importance-decay")
            c.setImportanceDecay(r)
          }
        ]),
      curve(
        "feature_probability", \.featureProbability, .unitClosed,
        help: "Feature probability p = 1 − S per instance and feature",
        flags: [
          ConfigFlag(
            "probability",
            help: "Feature probability p = 1 − S for every feature of every instance, in [0, 1]",
            Double.self
          ) { p, c throws(ConfigError) in
            try NumberRule.unitClosed.check(p, "--probability")
            c.setUniformProbability(p)
          },
          ConfigFlag(
            "probability-sweep",
            help: "MAX MIN: p log-spaced from MAX (instance 0) to MIN (last instance), in (0, 1]",
            [Double].self
          ) { pair, c throws(ConfigError) in
            guard pair.count == 2, pair.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 1 }) else {
              throw ConfigError(
                field: "--probability-sweep",
                "needs two values MAX MIN, each in (0, 1], got "
                  + pair.map { "\($0)" }.joined(separator: " "))
            }
            c.setProbabilitySweep(from: pair[0], to: pair[1])
          },
        ]),
      groupsField,
    ] + TrainingSettings.fields.map { $0.lifted(\RunConfig.training) } + [saeField]

  /// A per-instance, per-feature curve (K rows of n values following `rule`). Files may write
  /// it compactly (``CurveReader``); it is written back as K rows of n.
  static func curve(
    _ key: String, _ path: WritableKeyPath<RunConfig, [[Double]]> & Sendable, _ rule: NumberRule,
    help: String, flags: [ConfigFlag<RunConfig>]
  ) -> ConfigField<RunConfig> {
    ConfigField(
      key: key, help: help, flags: flags, live: true,
      read: { v, p, c throws(ConfigError) in
        c[keyPath: path] = try CurveReader(n: c.features, k: c.instances)
          .read(v, p, sweep: key == "feature_probability")
      },
      write: { c in .array(c[keyPath: path].map(JSONValue.doubles)) },
      check: { c throws(ConfigError) in
        let rows = c[keyPath: path]
        guard rows.count == c.instances else {
          throw ConfigError(
            field: key, "must have one row per instance (\(c.instances)), got \(rows.count)")
        }
        for (k, row) in rows.enumerated() {
          guard row.count == c.features else {
            throw ConfigError(
              field: "\(key)[\(k)]",
              "must have one value per feature (\(c.features)), got \(row.count)")
          }
          for (i, x) in row.enumerated() { try rule.check(x, "\(key)[\(k)][\(i)]") }
        }
      },
      same: { $0[keyPath: path] == $1[keyPath: path] },
      fillDefault: { c in
        if c[keyPath: path].count != c.instances
          || c[keyPath: path].contains(where: { $0.count != c.features })
        {
          c[keyPath: path] = Array(
            repeating: Curve.constant(1, count: c.features), count: max(0, c.instances))
        }
      })
  }

  /// Correlated and anticorrelated sets: `[{"kind": "correlated", "features": [0, 1]}, …]`.
  static let groupsField = ConfigField<RunConfig>(
    key: "groups", help: "Correlated and anticorrelated feature sets", live: true,
    read: { v, p, c throws(ConfigError) in
      var groups: [FeatureGroup] = []
      for (g, item) in try FieldReader.list(v, p).enumerated() {
        let path = "\(p)[\(g)]"
        let o = try FieldReader.object(item, path)
        for key in o.keys where key != "kind" && key != "features" {
          throw ConfigError(field: "\(path).\(key)", "unknown key; allowed: features, kind")
        }
        guard let kind = o["kind"] else { throw ConfigError(field: "\(path).kind", "is required") }
        guard let members = o["features"] else {
          throw ConfigError(field: "\(path).features", "is required")
        }
        var indexes: [Int] = []
        for (j, x) in try FieldReader.list(members, "\(path).features").enumerated() {
          indexes.append(try FieldReader.integer(x, "\(path).features[\(j)]", in: 0...(1 << 20)))
        }
        groups.append(
          FeatureGroup(
            kind: try FieldReader.choice(kind, "\(path).kind", FeatureGroup.Kind.self),
            features: indexes))
      }
      c.groups = groups
    },
    write: { c in
      .array(
        c.groups.map { g in
          .object(
            JSONObject([
              ("kind", .string(g.kind.rawValue)),
              ("features", .array(g.features.map(JSONValue.int))),
            ]))
        })
    },
    check: { c throws(ConfigError) in
      var used = Set<Int>()
      for (g, group) in c.groups.enumerated() {
        let field = "groups[\(g)].features"
        guard group.features.count >= 2 else {
          throw ConfigError(
            field: field, "must list at least two features, got \(group.features.count)")
        }
        for i in group.features {
          guard i >= 0 && i < c.features else {
            throw ConfigError(
              field: field, "must be feature indexes in 0…\(c.features - 1), got \(i)")
          }
          guard used.insert(i).inserted else {
            throw ConfigError(field: field, "feature \(i) is already in another group")
          }
        }
      }
    },
    same: { $0.groups == $1.groups })

  /// The SAE (``SAEConfig``), an object read and written by its own table
  /// (``SAEConfig/fields``), absent when there is none. New in snapshot version 2: a file
  /// without an SAE is written exactly as before, as version 1. Its `instances` defaults to
  /// the model's K; `model_instance` must be one of the model's instances. In a snapshot
  /// (read under `config`) every SAE key must be there; a preset may leave any out. Edits act
  /// on the running model (the SAE's own fields decide whether the SAE restarts).
  static let saeField = ConfigField<RunConfig>(
    key: "sae", help: "A sparse autoencoder trained on the frozen model's hidden activations",
    live: true, since: 2, optional: true,
    read: { v, p, c throws(ConfigError) in
      if v == .null {
        c.sae = nil
        return
      }
      let o = try FieldReader.object(v, p)
      var s = SAEConfig(instances: c.instances)
      let version: Int? = p.hasPrefix("config") ? 2 : nil
      try SAEConfig.fields.read(o, into: &s, FieldReading(path: p, version: version))
      c.sae = s
    },
    write: { c in c.sae.map { .object(SAEConfig.fields.written($0)) } },
    check: { c throws(ConfigError) in
      guard let s = c.sae else { return }
      do throws(ConfigError) {
        try s.validate()
      } catch {
        throw ConfigError(field: "sae.\(error.field)", error.message)
      }
      if let k = s.modelInstance, k >= c.instances {
        throw ConfigError(
          field: "sae.model_instance",
          "must be one of the model's instances, 0…\(c.instances - 1), got \(k)")
      }
    },
    same: { $0.sae == $1.sae })

  /// Applies command-line values, given as (flag name, parsed value) pairs, in table order:
  /// the shapes before the curves that depend on them. Two flags of one field (a curve's
  /// shorthands) are refused; the curves are fitted to new shapes; the result is validated.
  public mutating func apply(flags given: [(flag: String, value: Any)]) throws(ConfigError) {
    for field in Self.fields {
      let mine = given.filter { g in field.flags.contains { $0.name == g.flag } }
      if mine.count > 1 {
        throw ConfigError(
          field: mine.map { "--" + $0.flag }.joined(separator: " and "),
          "give one (they set the same field, \(field.key))")
      }
      if let g = mine.first, let flag = field.flags.first(where: { $0.name == g.flag }) {
        try flag.set(g.value, in: &self)
      }
    }
    conformShapes()
    try validate()
  }

  /// The flag that sets the field a validation error names (`--batch` for `batch_size`,
  /// `--probability` for `feature_probability[2][0]`), or nil when no flag sets it.
  public static func flag(forField path: String) -> String? {
    fields.field(forPath: path)?.flags.first.map { "--" + $0.name }
  }
}

/// Reads a per-instance, per-feature curve from one of its compact forms: a number (the same
/// value everywhere), `{"constant": x}`, `{"geometric": r}` (rⁱ), `{"log_spaced": a}`
/// (a^(−linspace(0,1,n))), `{"per_instance": [x₀, …, x_{K−1}]}`, for probabilities
/// `{"sweep": [high, low]}` (log-spaced across the K instances), a list of n values (every
/// instance), or K lists of n.
struct CurveReader {
  let n: Int
  let k: Int

  func read(_ v: JSONValue, _ path: String, sweep: Bool) throws(ConfigError) -> [[Double]] {
    switch v {
    case .number, .special:
      return Array(repeating: Curve.constant(try FieldReader.number(v, path), count: n), count: k)
    case .object(let o):
      let allowed =
        sweep
        ? "constant, geometric, log_spaced, sweep, per_instance"
        : "constant, geometric, log_spaced, per_instance"
      guard o.keys.count == 1, let key = o.keys.first, let arg = o[key] else {
        throw ConfigError(field: path, "must have exactly one of \(allowed)")
      }
      let sub = "\(path).\(key)"
      switch key {
      case "constant":
        return Array(
          repeating: Curve.constant(try FieldReader.number(arg, sub), count: n), count: k)
      case "geometric":
        let r = try FieldReader.number(arg, sub)
        try NumberRule.positive.check(r, sub)
        return Array(repeating: Curve.geometric(r, count: n), count: k)
      case "log_spaced":
        let a = try FieldReader.number(arg, sub)
        try NumberRule.positive.check(a, sub)
        return Array(repeating: Curve.logSpaced(a, count: n), count: k)
      case "sweep" where sweep:
        let pair = try FieldReader.numbers(arg, sub)
        guard pair.count == 2, pair.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
          throw ConfigError(field: sub, "must be [high, low] with both in (0, 1]")
        }
        return Curve.logRange(from: pair[0], to: pair[1], count: k).map {
          Curve.constant($0, count: n)
        }
      case "per_instance":
        let values = try FieldReader.numbers(arg, sub)
        guard values.count == k else {
          throw ConfigError(
            field: sub, "must have one value per instance (\(k)), got \(values.count)")
        }
        return values.map { Curve.constant($0, count: n) }
      default:
        throw ConfigError(field: sub, "unknown curve '\(key)'; allowed: \(allowed)")
      }
    case .array(let items):
      if case .array = items.first {
        guard items.count == k else {
          throw ConfigError(
            field: path, "must have one row per instance (\(k)), got \(items.count)")
        }
        var rows: [[Double]] = []
        for (r, row) in items.enumerated() {
          let values = try FieldReader.numbers(row, "\(path)[\(r)]")
          guard values.count == n else {
            throw ConfigError(
              field: "\(path)[\(r)]", "must have one value per feature (\(n)), got \(values.count)")
          }
          rows.append(values)
        }
        return rows
      }
      let values = try FieldReader.numbers(v, path)
      guard values.count == n else {
        throw ConfigError(
          field: path, "must have one value per feature (\(n)), got \(values.count)")
      }
      return Array(repeating: values, count: k)
    default:
      throw ConfigError(field: path, "must be a number, a curve object or a list, got \(v.shown)")
    }
  }
}
