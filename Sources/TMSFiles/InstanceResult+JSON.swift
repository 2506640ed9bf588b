import TMSCore

/// The blocks a snapshot and `tms train --json` share, written by one function each so the
/// two documents spell every shared key the same way:
///
/// ```
/// "parameters": { "W": [[…m…] × n], "b": [n] }      (abs: "W1", "W2", "b")
/// "metrics": { "eval_loss", "eval_loss_se", "eval_loss_paper", "eval_loss_paper_se", "norms",
///              "superposition", "dimensionality", "dimensions_per_feature",
///              "attack_gain_bound", "represented", "represented_threshold",
///              "monosemanticity" (relu-hidden and abs only) }
/// (a run report adds "eval_samples_used", "attack_gain_worst", "attack_gain_mean",
///  "attack_epsilon" and "attack_points" to its metrics)
/// "geometry": { "text", "groups": [{"features", "dimensions", "name", "tight_frame"}],
///               "dropped" }
/// ```
/// Losses are the notebook convention (`eval_loss_paper` is × n); a value that is not known
/// or not finite is `null`.
extension JSONWriter {
  /// W (or W₁ and W₂ for abs) as n rows of m, and b.
  mutating func parameters(_ p: Parameters, abs: Bool, indent: Int) {
    let pad = String(repeating: " ", count: indent + 2)
    raw("{\n" + pad + (abs ? "\"W1\": " : "\"W\": "))
    matrix(p.W, indent: indent + 2) { $0.floats($1) }
    if abs, let W2 = p.W2 {
      raw(",\n" + pad + "\"W2\": ")
      matrix(W2, indent: indent + 2) { $0.floats($1) }
    }
    raw(",\n" + pad + "\"b\": ")
    floats(p.b)
    newline(indent)
    raw("}")
  }

  /// The metrics of one instance with n features; `attack` (a run report's) adds the
  /// measured gains beside the bound, `samples` the held-out inputs sampled.
  mutating func metrics(
    _ m: InstanceMetrics, attackBound: Double, attack: AttackResult? = nil, samples: Int? = nil,
    features n: Int, indent: Int
  ) {
    var fields: [(String, JSONValue)] = [
      ("eval_loss", .double(m.evalLoss)), ("eval_loss_se", .double(m.evalLossError)),
      ("eval_loss_paper", .double(m.evalLoss * Double(n))),
      ("eval_loss_paper_se", .double(m.evalLossError * Double(n))),
    ]
    if let samples { fields.append(("eval_samples_used", .int(samples))) }
    fields += [
      ("norms", .doubles(m.norms)), ("superposition", .doubles(m.superposition)),
      ("dimensionality", .doubles(m.dimensionality)),
      ("dimensions_per_feature", .double(m.dimensionsPerFeature)),
      ("attack_gain_bound", .double(attackBound)),
    ]
    if let attack {
      fields += [
        ("attack_gain_worst", .double(attack.worstGain)),
        ("attack_gain_mean", .double(attack.meanGain)), ("attack_epsilon", .double(attack.epsilon)),
        ("attack_points", .int(attack.points)),
      ]
    }
    fields += [
      ("represented", .int(m.represented)),
      ("represented_threshold", .double(m.representedThreshold)),
    ]
    if !m.monosemanticity.isEmpty {
      fields.append(("monosemanticity", .doubles(m.monosemanticity)))
    }
    value(.object(JSONObject(fields)), indent: indent)
  }

  /// The geometry label: its text, its groups and the dropped features.
  mutating func geometry(_ g: GeometryLabel, indent: Int) {
    let pad = String(repeating: " ", count: indent + 2)
    raw("{\n" + pad + "\"text\": ")
    string(g.text)
    raw(",\n" + pad + "\"groups\": ")
    matrix(g.groups, indent: indent + 2) { w, group in
      w.raw("{\"features\": ")
      w.list(group.features) { $0.int($1) }
      w.raw(", \"dimensions\": ")
      w.int(group.dimensions)
      w.raw(", \"name\": ")
      w.string(group.name)
      w.raw(", \"tight_frame\": ")
      w.raw(group.isTightFrame ? "true" : "false")
      w.raw("}")
    }
    raw(",\n" + pad + "\"dropped\": ")
    list(g.dropped) { $0.int($1) }
    newline(indent)
    raw("}")
  }
}
