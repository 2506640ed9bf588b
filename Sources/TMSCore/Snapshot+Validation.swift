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
    try validateHistory()
  }

  /// The recorded history fits the run: frames in increasing step up to ``step``, each with
  /// the run's shape, one finite weight set, loss and label per instance; events name real
  /// instances and features.
  func validateHistory() throws(SnapshotError) {
    guard let history else { return }
    func fail(_ path: String, _ message: String) -> SnapshotError {
      SnapshotError(file: "", "\(path): \(message)")
    }
    guard history.spacing.isFinite, history.spacing > 0, history.spacing <= RunHistory.maxSpacing
    else {
      throw fail(
        "history.spacing",
        "must be a number > 0 and ≤ \(Int(RunHistory.maxSpacing)), got \(history.spacing)")
    }
    var previous = -1
    for (f, frame) in history.frames.enumerated() {
      let p = "history.frames[\(f)]"
      guard frame.step > previous else {
        throw fail("\(p).step", "must increase, got \(frame.step) after \(previous)")
      }
      guard frame.step <= step else {
        throw fail("\(p).step", "is \(frame.step), after the snapshot's step \(step)")
      }
      previous = frame.step
      let c = frame.config
      guard
        c.features == config.features, c.hidden == config.hidden,
        c.instances == config.instances, c.model == config.model
      else {
        throw fail(
          "\(p).config",
          "is a \(c.model.rawValue) \(c.features)→\(c.hidden)×\(c.instances) run, but the snapshot's is \(config.model.rawValue) \(config.features)→\(config.hidden)×\(config.instances)"
        )
      }
      guard frame.parameters.count == config.instances, frame.trainLoss.count == config.instances,
        frame.labels.count == config.instances
      else {
        throw fail(p, "must hold one set of weights, loss and label per instance")
      }
      for (k, w) in frame.parameters.enumerated() {
        let shapes =
          w.W.count == config.features && w.W.allSatisfy { $0.count == config.hidden }
          && w.b.count == config.features
          && (w.W2 == nil) == config.model.isTied
          && (w.W2?.allSatisfy { $0.count == config.hidden } ?? true)
        guard shapes else {
          throw fail("\(p).parameters[\(k)]", "does not have the run's shape")
        }
        guard w.isFinite else {
          throw fail("\(p).parameters[\(k)]", "holds a value that is not finite")
        }
      }
    }
    for (e, event) in history.events.enumerated() {
      let p = "history.events[\(e)]"
      guard (0..<config.instances).contains(event.instance) else {
        throw fail("\(p).instance", "must be in 0…\(config.instances - 1), got \(event.instance)")
      }
      guard event.step >= 0, event.step <= step else {
        throw fail("\(p).step", "must be in 0…\(step), got \(event.step)")
      }
      if case .dimensionality(let features, _, _) = event.kind,
        features.isEmpty || !features.allSatisfy({ (0..<config.features).contains($0) })
      {
        throw fail("\(p).features", "must list features in 0…\(config.features - 1)")
      }
    }
  }
}
