import TMSCore

extension Experiment {
  /// Computation in superposition, the abs model 100→40 with I = 0.8^i (notes §9.8, one
  /// reference run with the notebook's optimiser, 10k steps): monosemantic neurons 40, 40,
  /// 36, 13, 0, 0, 0 of 40 at p = 1, .3, .1, .03, .01, .003, .001; dense runs put several
  /// neurons on each of ≈ 11 top features; at p = 0.3 most computed features use exactly 2
  /// neurons (|x| = ReLU(x) + ReLU(−x)). And the privileged basis (10→5 relu-hidden):
  /// neurons go from monosemantic to polysemantic as features get sparser.
  public static let neurons = Experiment(
    name: "neurons",
    title: "Neurons: computation in superposition and the privileged basis",
    claim:
      "With a hidden ReLU the basis is privileged: dense features get monosemantic neurons "
      + "(the abs model computes |x| with ReLU(x) + ReLU(−x)), and as features get sparser "
      + "neurons become polysemantic.",
    setup: { quick in
      "preset computation-abs (abs 100→40, I = 0.8^i, p = 1 … 0.001), "
        + "\(quick ? "3,000" : "10,000") steps, 1 seed (the notes' reference is one run); "
        + "preset privileged-basis (relu-hidden 10→5), 10,000 steps, best of \(quick ? 2 : 4) seeds"
    },
    train: { context in
      var data = ExperimentData(quick: context.quick)
      let abs = try ShippedPreset.config(
        "computation-abs", steps: context.pick(full: 10_000, quick: 3_000))
      data.runs.append(
        (
          "abs",
          try TrainedRun.train(abs, seeds: 1, context: context) { context.progress($0 * 0.8) }
        ))
      let basis = try ShippedPreset.config("privileged-basis", steps: 10_000)
      data.runs.append(
        (
          "relu-hidden",
          try TrainedRun.train(basis, seeds: context.pick(full: 4, quick: 2), context: context) {
            context.progress(0.8 + $0 * 0.2)
          }
        ))
      return data
    },
    check: { data in
      var rows: [ClaimRow] = []
      if let abs = data.run("abs") { rows += checkAbs(abs, quick: data.quick) }
      if let basis = data.run("relu-hidden") { rows += checkPrivilegedBasis(basis) }
      return rows
    })

  /// The notes' monosemantic-neuron counts for the abs model at p = 1 … 0.001.
  static let absMonosemantic = [40, 40, 36, 13, 0, 0, 0]
  /// A neuron is monosemantic when max_f |W_kf| / ‖W_k‖ > this (notes §5).
  static let monosemanticAbove = 0.99

  /// Per feature, the neurons whose largest weight is on it (features with none omitted):
  /// feature → neuron count.
  public static func neuronsPerFeature(_ W: [[Float]], hidden m: Int) -> [Int: Int] {
    var out: [Int: Int] = [:]
    for k in 0..<m {
      var best = 0
      var bestValue: Float = 0
      var sq = 0.0
      for (i, row) in W.enumerated() {
        let v = abs(row[k])
        sq += Double(v) * Double(v)
        if v > bestValue {
          bestValue = v
          best = i
        }
      }
      // A dead neuron (all weights ≈ 0) computes nothing.
      guard sq > 1e-4 else { continue }
      out[best, default: 0] += 1
    }
    return out
  }

  static func checkAbs(_ run: TrainedRun, quick: Bool) -> [ClaimRow] {
    var rows: [ClaimRow] = []
    let m = run.config.hidden
    for k in 0..<min(run.config.instances, absMonosemantic.count) {
      let mono = run.metrics[k].monosemanticity.filter { $0 > monosemanticAbove }.count
      let target = absMonosemantic[k]
      let row = ClaimRule.count(
        "monosemantic neurons at p = \(ClaimRule.number(run.probability(k)))", measured: mono,
        low: max(0, target - 4), high: min(m, target + 4), paper: "\(target) of \(m)")
      rows.append(quick ? needsFullRun(row) : row)
    }
    let dense = neuronsPerFeature(run.parameters[0].W, hidden: m)
    let sizes = dense.values.sorted(by: >)
    rows.append(
      ClaimRule.property(
        "dense: features computed, neurons each",
        holds: (8...14).contains(dense.count) && (sizes.first ?? 0) >= 3,
        paper: "≈ 11 features, 2–6 neurons each (duplicated neurons)",
        tms: "\(dense.count) features, " + sizes.map(String.init).joined(separator: ", "),
        rule: "8–14 features, the top one with ≥ 3 neurons"))
    let k3 = 1
    let sparse = neuronsPerFeature(run.parameters[k3].W, hidden: m)
    let two = sparse.values.filter { $0 == 2 }.count
    let share = Double(two) / Double(max(1, sparse.count))
    let pairRow = ClaimRule.property(
      "p = 0.3: features computed by exactly 2 neurons", holds: share > 0.5,
      paper: "most (ReLU(x) + ReLU(−x))",
      tms: "\(two) of \(sparse.count)", rule: "more than half", value: share)
    rows.append(quick ? needsFullRun(pairRow) : pairRow)
    return rows
  }

  static func checkPrivilegedBasis(_ run: TrainedRun) -> [ClaimRow] {
    let counts = (0..<run.config.instances).map { k in
      run.metrics[k].monosemanticity.filter { $0 > monosemanticAbove }.count
    }
    let first = counts.first ?? 0
    let last = counts.last ?? 0
    return [
      ClaimRule.property(
        "relu-hidden 10→5: monosemantic neurons, dense → sparse",
        holds: first >= last + 2 && first >= 3,
        paper: "monosemantic when dense, polysemantic when sparse",
        tms: zip(0..<counts.count, counts).map {
          "\(ClaimRule.number(run.probability($0.0))): \($0.1)"
        }.joined(separator: ", "),
        rule: "≥ 3 of 5 at the densest p and at least 2 fewer at the sparsest")
    ]
  }
}
