/// The checks a snapshot passes before it is written, or restored into a ``Run``.
extension Snapshot {
  /// Throws the first inconsistency: an invalid config, a wrong count of instances, an array
  /// of the wrong size, a non-finite weight or moment, a negative second moment or step, or a
  /// degenerate (all-zero) random generator. Field paths are those of the JSON file.
  public func validate() throws(SnapshotError) {
    func fail(_ path: String, _ message: String) -> SnapshotError {
      SnapshotError(file: "", "\(path): \(message)")
    }
    do {
      try config.validate()
    } catch {
      throw fail("config.\(error.field)", error.message)
    }
    let n = config.features
    let m = config.hidden
    let abs = !config.model.isTied
    guard step >= 0 else { throw fail("step", "must be ≥ 0, got \(step)") }
    guard instances.count == config.instances else {
      throw fail(
        "instances",
        "has \(instances.count) entries, expected one per instance (config.instances = \(config.instances))"
      )
    }
    func matrix(_ rows: [[Float]]?, _ path: String, nonNegative: Bool = false) throws(SnapshotError)
    {
      guard let rows else {
        throw fail(path, "is missing (required for the \(config.model.rawValue) model)")
      }
      guard rows.count == n else { throw fail(path, "has \(rows.count) rows, expected n = \(n)") }
      for (i, row) in rows.enumerated() {
        try vector(row, "\(path)[\(i)]", count: m, what: "m", nonNegative: nonNegative)
      }
    }
    func vector(
      _ v: [Float], _ path: String, count: Int, what: String, nonNegative: Bool = false
    ) throws(SnapshotError) {
      guard v.count == count else {
        throw fail(path, "has \(v.count) values, expected \(what) = \(count)")
      }
      for (j, x) in v.enumerated() {
        guard x.isFinite else { throw fail("\(path)[\(j)]", "is \(x); must be finite") }
        if nonNegative && x < 0 { throw fail("\(path)[\(j)]", "is \(x); must be ≥ 0") }
      }
    }
    for (k, s) in instances.enumerated() {
      let p = "instances[\(k)]"
      let wName = abs ? "W1" : "W"
      try matrix(s.parameters.W, "\(p).parameters.\(wName)")
      if abs {
        try matrix(s.parameters.W2, "\(p).parameters.W2")
      } else if s.parameters.W2 != nil {
        throw fail("\(p).parameters.W2", "only the abs model has W2")
      }
      try vector(s.parameters.b, "\(p).parameters.b", count: n, what: "n")
      let o = s.optimizer
      guard o.step >= 0 else { throw fail("\(p).optimizer.step", "must be ≥ 0, got \(o.step)") }
      try matrix(o.mW, "\(p).optimizer.m_\(wName)")
      try matrix(o.vW, "\(p).optimizer.v_\(wName)", nonNegative: true)
      if abs {
        try matrix(o.mW2, "\(p).optimizer.m_W2")
        try matrix(o.vW2, "\(p).optimizer.v_W2", nonNegative: true)
      } else if o.mW2 != nil || o.vW2 != nil {
        throw fail("\(p).optimizer.m_W2", "only the abs model has W2")
      }
      try vector(o.mb, "\(p).optimizer.m_b", count: n, what: "n")
      try vector(o.vb, "\(p).optimizer.v_b", count: n, what: "n", nonNegative: true)
      let lanes = s.random.lanes
      guard lanes.count == 32 else {
        throw fail(
          "\(p).random.lanes", "has \(lanes.count) values, expected 32 (4 words × 8 lanes)")
      }
      for l in 0..<8 where (0..<4).allSatisfy({ lanes[8 * $0 + l] == 0 }) {
        throw fail("\(p).random.lanes", "lane \(l) is all zero, which xoshiro128++ never reaches")
      }
    }
    for (i, row) in lossHistory.loss.enumerated() where row.count != config.instances {
      throw fail(
        "loss_history.loss[\(i)]",
        "has \(row.count) values, expected one per instance (\(config.instances))")
    }
    try validateSAE()
  }
}
