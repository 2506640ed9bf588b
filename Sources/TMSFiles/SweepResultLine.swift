import TMSCore

/// The lines of a sweep's result file (JSON Lines: one JSON object per line).
///
/// The first line is the header, then one line per finished point:
/// ```
/// {"format": "tms-sweep-results", "version": 1, "sweep_id": "…16 hex…", "points": 2000,
///  "shard": null | {"index": K, "count": N}, "loss_convention": "…", "spec": {…sweep file…}}
/// {"point": 17, "axes": {"lr": 0.001, …}, "config": {…the point's run, one instance…},
///  "seeds": 3, "best_seed": 1, "eval_loss": …, "eval_loss_se": …, "eval_loss_paper": …,
///  "seed_losses": […], "seed_loss_mean": …, "seed_loss_se": …, "norms": […],
///  "superposition": […], "dimensionality": […], "dimensions_per_feature": …,
///  "represented": …, "represented_threshold": 0.5, "geometry": "5 features in a pentagon",
///  "seed_results": [{"eval_loss", "eval_loss_se", "represented", "dimensions_per_feature",
///                    "geometry", "diverged"}, …], "init_std": …,
///  "parameters": {"W": […], "b": […]}   (only with --weights; "W1", "W2", "b" for abs)}
/// ```
/// A point line holds nothing about when, where or how fast it was trained, so the same
/// point writes the same bytes in a one-machine run, a shard and a resumed run.
public enum SweepResultLine {
  /// The header's `format`.
  public static let format = "tms-sweep-results"
  /// The header's `version`.
  public static let version = 1

  /// The header line of `spec`'s results (of one shard, or of the whole sweep when nil).
  public static func header(_ spec: SweepSpec, shard: (index: Int, count: Int)?) -> [UInt8] {
    let o = JSONObject([
      ("format", .string(format)), ("version", .int(version)), ("sweep_id", .string(spec.id)),
      ("points", .int(spec.pointCount)),
      (
        "shard",
        shard.map { .object(JSONObject([("index", .int($0.index)), ("count", .int($0.count))])) }
          ?? .null
      ),
      ("loss_convention", .string(Snapshot.lossConvention)),
      ("spec", .object(spec.written)),
    ])
    return line(.object(o))
  }

  /// The line of a finished point.
  public static func point(_ r: SweepPointResult) -> [UInt8] {
    let m = r.metrics
    let n = r.point.config.features
    let spread = r.seedLossSpread
    var o = JSONObject([
      ("point", .int(r.point.index)),
      ("axes", .object(JSONObject(r.point.axes.map { ($0.key, $0.value) }))),
      ("config", .object(RunConfig.fields.written(r.point.config))),
      ("seeds", .int(r.seeds.count)), ("best_seed", .int(r.best)),
      ("eval_loss", .double(r.seeds[r.best].evalLoss)),
      ("eval_loss_se", .double(r.seeds[r.best].evalLossError)),
      ("eval_loss_paper", .double(r.seeds[r.best].evalLoss * Double(n))),
      ("seed_losses", .doubles(r.seeds.map(\.evalLoss))),
      ("seed_loss_mean", .double(spread.mean)), ("seed_loss_se", .double(spread.standardError)),
      ("norms", .doubles(m.norms)), ("superposition", .doubles(m.superposition)),
      ("dimensionality", .doubles(m.dimensionality)),
      ("dimensions_per_feature", .double(m.dimensionsPerFeature)),
      ("represented", .int(m.represented)),
      ("represented_threshold", .double(m.representedThreshold)),
      ("geometry", .string(m.geometry.text)),
      (
        "seed_results",
        .array(
          r.seeds.map { s in
            .object(
              JSONObject([
                ("eval_loss", .double(s.evalLoss)), ("eval_loss_se", .double(s.evalLossError)),
                ("represented", .int(s.represented)),
                ("dimensions_per_feature", .double(s.dimensionsPerFeature)),
                ("geometry", .string(s.geometry)),
                ("diverged", s.diverged.map(JSONValue.string) ?? .null),
              ]))
          })
      ),
      ("init_std", .double(r.point.initStd)),
    ])
    if let p = r.parameters {
      let rows: ([[Float]]) -> JSONValue = { .array($0.map { .array($0.map(JSONValue.float)) }) }
      var params = JSONObject()
      params[p.W2 == nil ? "W" : "W1"] = rows(p.W)
      if let W2 = p.W2 { params["W2"] = rows(W2) }
      params["b"] = .array(p.b.map(JSONValue.float))
      o["parameters"] = .object(params)
    }
    return line(.object(o))
  }

  /// `v` on one line, then a newline.
  static func line(_ v: JSONValue) -> [UInt8] {
    var w = JSONWriter()
    w.compact(v)
    w.raw(0x0A)
    return w.bytes
  }
}

extension JSONWriter {
  /// A value on one line (`{"a": 1, "b": [1, 2]}`), number tokens copied verbatim.
  mutating func compact(_ v: JSONValue) {
    switch v {
    case .array(let items): list(items) { $0.compact($1) }
    case .object(let o):
      raw("{")
      for (j, key) in o.keys.enumerated() {
        if j > 0 { raw(", ") }
        string(key)
        raw(": ")
        if let member = o[key] { compact(member) }
      }
      raw("}")
    default: value(v, indent: 0)
    }
  }
}
