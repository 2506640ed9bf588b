import Foundation

/// Strict reader of one preset dictionary: every key checked, every type and range named.
struct PresetReader {
  let file: String
  let dict: [String: Any]

  func fail(_ path: String, _ message: String) -> PresetError {
    PresetError(file: file, path: path, message: message)
  }

  func number(_ v: Any, _ path: String) throws(PresetError) -> Double {
    guard let n = v as? NSNumber, !Self.isBoolean(v) else {
      throw fail(path, "must be a number, got \(Self.describe(v))")
    }
    return n.doubleValue
  }

  func integer(_ v: Any, _ path: String, min lo: Int, max hi: Int) throws(PresetError) -> Int {
    let d = try number(v, path)
    guard d.rounded() == d, d >= Double(lo), d <= Double(hi) else {
      throw fail(path, "must be an integer in \(lo)…\(hi), got \(Self.describe(v))")
    }
    return Int(d)
  }

  func string(_ v: Any, _ path: String) throws(PresetError) -> String {
    guard let s = v as? String else {
      throw fail(path, "must be a string, got \(Self.describe(v))")
    }
    return s
  }

  func numbers(_ v: Any, _ path: String) throws(PresetError) -> [Double] {
    guard let a = v as? [Any] else { throw fail(path, "must be a list of numbers") }
    var out: [Double] = []
    for (i, e) in a.enumerated() { out.append(try number(e, "\(path)[\(i)]")) }
    return out
  }

  /// JSON `true`/`false` arrive as a boolean NSNumber subclass; numbers must not accept them.
  static func isBoolean(_ v: Any) -> Bool {
    String(describing: type(of: v)).contains("Boolean")
  }

  static func describe(_ v: Any) -> String {
    switch v {
    case let s as String: return "\"\(s)\""
    case let n as NSNumber: return isBoolean(v) ? (n.boolValue ? "true" : "false") : "\(n)"
    case is [Any]: return "a list"
    case is [String: Any]: return "an object"
    case is NSNull: return "null"
    default: return "\(v)"
    }
  }

  /// A per-instance, per-feature matrix from one of the compact curve forms.
  func curve(
    _ v: Any, _ path: String, n: Int, k: Int, sweepKey: String?
  ) throws(PresetError) -> [[Double]] {
    if v is NSNumber {
      let x = try number(v, path)
      return Array(repeating: Curve.constant(x, count: n), count: k)
    }
    if let obj = v as? [String: Any] {
      guard obj.count == 1, let (key, arg) = obj.first else {
        throw fail(
          path, "must have exactly one of geometric, log_spaced, constant, sweep, per_instance")
      }
      let sub = "\(path).\(key)"
      switch key {
      case "constant":
        return Array(repeating: Curve.constant(try number(arg, sub), count: n), count: k)
      case "geometric":
        let r = try number(arg, sub)
        guard r > 0, r.isFinite else { throw fail(sub, "must be a number > 0, got \(r)") }
        return Array(repeating: Curve.geometric(r, count: n), count: k)
      case "log_spaced":
        let a = try number(arg, sub)
        guard a > 0, a.isFinite else { throw fail(sub, "must be a number > 0, got \(a)") }
        return Array(repeating: Curve.logSpaced(a, count: n), count: k)
      case "sweep" where sweepKey != nil:
        let pair = try numbers(arg, sub)
        guard pair.count == 2, pair.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
          throw fail(sub, "must be [high, low] with both in (0, 1]")
        }
        return Curve.logRange(from: pair[0], to: pair[1], count: k).map {
          Curve.constant($0, count: n)
        }
      case "per_instance":
        let values = try numbers(arg, sub)
        guard values.count == k else {
          throw fail(sub, "must have one value per instance (\(k)), got \(values.count)")
        }
        return values.map { Curve.constant($0, count: n) }
      default:
        let allowed =
          sweepKey != nil
          ? "constant, geometric, log_spaced, sweep, per_instance"
          : "constant, geometric, log_spaced, per_instance"
        throw fail(sub, "unknown curve '\(key)'; allowed: \(allowed)")
      }
    }
    if let list = v as? [Any] {
      if list.first is [Any] {
        guard list.count == k else {
          throw fail(path, "must have one row per instance (\(k)), got \(list.count)")
        }
        var rows: [[Double]] = []
        for (r, row) in list.enumerated() {
          let values = try numbers(row, "\(path)[\(r)]")
          guard values.count == n else {
            throw fail(
              "\(path)[\(r)]", "must have one value per feature (\(n)), got \(values.count)")
          }
          rows.append(values)
        }
        return rows
      }
      let values = try numbers(v, path)
      guard values.count == n else {
        throw fail(path, "must have one value per feature (\(n)), got \(values.count)")
      }
      return Array(repeating: values, count: k)
    }
    throw fail(path, "must be a number, a curve object or a list, got \(Self.describe(v))")
  }

  mutating func read() throws(PresetError) -> Preset {
    for key in dict.keys.sorted() where !Preset.knownKeys.contains(key) {
      throw fail(key, "unknown key; allowed: \(Preset.knownKeys.sorted().joined(separator: ", "))")
    }
    var c = RunConfig()
    if let v = dict["name"] { c.name = try string(v, "name") }
    if let v = dict["model"] {
      let s = try string(v, "model")
      guard let kind = ModelKind(rawValue: s) else {
        throw fail(
          "model",
          "unknown model '\(s)'; allowed: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))"
        )
      }
      c.model = kind
    }
    if let v = dict["features"] {
      c.features = try integer(v, "features", min: 1, max: RunConfig.maxFeatures)
    }
    if let v = dict["hidden"] {
      c.hidden = try integer(v, "hidden", min: 1, max: RunConfig.maxHidden)
    }
    if let v = dict["instances"] {
      c.instances = try integer(v, "instances", min: 1, max: RunConfig.maxInstances)
    }
    let n = c.features
    let k = c.instances
    c.importance =
      try dict["importance"].map { v throws(PresetError) in
        try curve(v, "importance", n: n, k: k, sweepKey: nil)
      } ?? Array(repeating: Curve.constant(1, count: n), count: k)
    c.featureProbability =
      try dict["feature_probability"].map { v throws(PresetError) in
        try curve(v, "feature_probability", n: n, k: k, sweepKey: "sweep")
      } ?? Array(repeating: Curve.constant(1, count: n), count: k)
    if let v = dict["groups"] {
      guard let list = v as? [Any] else { throw fail("groups", "must be a list of groups") }
      c.groups = []
      for (g, item) in list.enumerated() {
        let path = "groups[\(g)]"
        guard let obj = item as? [String: Any] else { throw fail(path, "must be an object") }
        for key in obj.keys.sorted() where key != "kind" && key != "features" {
          throw fail("\(path).\(key)", "unknown key; allowed: features, kind")
        }
        guard let kv = obj["kind"] else { throw fail("\(path).kind", "is required") }
        let ks = try string(kv, "\(path).kind")
        guard let kind = FeatureGroup.Kind(rawValue: ks) else {
          throw fail("\(path).kind", "unknown kind '\(ks)'; allowed: anticorrelated, correlated")
        }
        guard let fv = obj["features"] else { throw fail("\(path).features", "is required") }
        guard let list = fv as? [Any] else {
          throw fail("\(path).features", "must be a list of feature indexes")
        }
        var idx: [Int] = []
        for (j, item) in list.enumerated() {
          idx.append(try integer(item, "\(path).features[\(j)]", min: 0, max: 1 << 20))
        }
        c.groups.append(FeatureGroup(kind: kind, features: idx))
      }
    }
    if let v = dict["batch_size"] {
      c.batchSize = try integer(v, "batch_size", min: 1, max: RunConfig.maxBatch)
    }
    if let v = dict["lr"] { c.learningRate = try number(v, "lr") }
    if let v = dict["beta1"] { c.beta1 = try number(v, "beta1") }
    if let v = dict["beta2"] { c.beta2 = try number(v, "beta2") }
    if let v = dict["eps"] { c.epsilon = try number(v, "eps") }
    if let v = dict["weight_decay"] { c.weightDecay = try number(v, "weight_decay") }
    if let v = dict["schedule"] {
      let s = try string(v, "schedule")
      guard let sc = Schedule(rawValue: s) else {
        throw fail("schedule", "unknown schedule '\(s)'; allowed: constant, linear, cosine")
      }
      c.schedule = sc
    }
    if let v = dict["steps"] { c.steps = try integer(v, "steps", min: 0, max: 1_000_000_000) }
    if let v = dict["seed"] {
      c.seed = UInt64(try integer(v, "seed", min: 0, max: Int.max))
    }
    if let v = dict["init_std"] { c.initStd = try number(v, "init_std") }
    do {
      try c.validate()
    } catch {
      throw fail(error.field, error.message)
    }
    return Preset(
      config: c,
      description: try dict["description"].map { v throws(PresetError) in
        try string(v, "description")
      } ?? "",
      expect: try dict["expect"].map { v throws(PresetError) in try string(v, "expect") } ?? "",
      view: try dict["view"].map { v throws(PresetError) in
        let name = try string(v, "view")
        guard Preset.viewNames.contains(name) else {
          throw fail(
            "view", "must be one of \(Preset.viewNames.joined(separator: ", ")); got '\(name)'")
        }
        return name
      },
      source: file,
      phase: try dict["phase"].map { v throws(PresetError) in try phase(v, run: c) })
  }

  /// The `phase` object: the grid of a 2→1 or 3→2 relu-output preset.
  func phase(_ v: Any, run c: RunConfig) throws(PresetError) -> PhaseSweepConfig {
    guard let obj = v as? [String: Any] else {
      throw fail("phase", "must be an object, got \(Self.describe(v))")
    }
    let allowed = ["grid", "importance", "probability", "seeds"]
    for key in obj.keys.sorted() where !allowed.contains(key) {
      throw fail("phase.\(key)", "unknown key; allowed: \(allowed.joined(separator: ", "))")
    }
    guard c.model == .reluOutput, c.features == 2 || c.features == 3, c.hidden == c.features - 1
    else {
      throw fail(
        "phase",
        "needs a relu-output 2→1 or 3→2 model, got \(c.model.rawValue) \(c.features)→\(c.hidden)")
    }
    var p = PhaseSweepConfig(run: c)
    if let g = obj["grid"] {
      p.grid = try integer(g, "phase.grid", min: 2, max: PhaseSweepConfig.maxGrid)
    }
    if let s = obj["seeds"] {
      p.seeds = try integer(s, "phase.seeds", min: 1, max: PhaseSweepConfig.maxSeeds)
    }
    func pair(_ key: String) throws(PresetError) -> (Double, Double)? {
      guard let v = obj[key] else { return nil }
      let values = try numbers(v, "phase.\(key)")
      guard values.count == 2 else {
        throw fail("phase.\(key)", "must be a list of two numbers, got \(values.count)")
      }
      return (values[0], values[1])
    }
    if let (hi, lo) = try pair("probability") {
      p.probabilityMax = hi
      p.probabilityMin = lo
    }
    if let (lo, hi) = try pair("importance") {
      p.importanceMin = lo
      p.importanceMax = hi
    }
    do {
      try p.validate()
    } catch {
      let field: String
      switch error.field {
      case "probability_max", "probability_min": field = "phase.probability"
      case "importance_min", "importance_max": field = "phase.importance"
      default: field = "phase.\(error.field)"
      }
      throw fail(field, error.message)
    }
    return p
  }
}
