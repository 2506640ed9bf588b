import TMSCore

/// The blocks a snapshot and `tms train --json` share, written by one function each so the
/// two documents spell every shared key the same way:
///
/// ```
/// "parameters": { "W": [[…m…] × n], "b": [n] }      (abs: "W1", "W2", "b")
/// "metrics": { "eval_loss", "eval_loss_paper", "norms", "superposition", "dimensionality",
///              "dimensions_per_feature", "attack_gain", "represented",
///              "represented_threshold", "monosemanticity" (relu-hidden and abs only) }
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

  /// The metrics of one instance with n features.
  mutating func metrics(_ m: InstanceMetrics, attackGain: Double, features n: Int, indent: Int) {
    var fields: [(String, JSONValue)] = [
      ("eval_loss", .double(m.evalLoss)), ("eval_loss_paper", .double(m.evalLoss * Double(n))),
      ("norms", .doubles(m.norms)), ("superposition", .doubles(m.superposition)),
      ("dimensionality", .doubles(m.dimensionality)),
      ("dimensions_per_feature", .double(m.dimensionsPerFeature)),
      ("attack_gain", .double(attackGain)), ("represented", .int(m.represented)),
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
