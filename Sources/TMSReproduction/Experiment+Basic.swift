import TMSCore

extension Experiment {
  /// Basic results: 20 features in 5 dimensions, I = 0.7^i, p ∈ {1, .3, .1, .03, .01, .003,
  /// .001}, linear against relu-output. Facts (notes §9.3): the linear model keeps the top 5,
  /// L = (p/3 − p²/4)·0.557574 at every p; the ReLU model equals it dense and beats it by
  /// ×0.78, ×0.45, ×0.25, ×0.19, ×0.16, ×0.13; features represented 5 → 7 → 9 → ~10 → 11–13;
  /// biases turn negative from p ≈ 0.01.
  public static let basic = Experiment(
    name: "basic",
    title: "Basic results: linear against ReLU output, 20→5",
    claim:
      "The linear model keeps the five most important features at every sparsity; the ReLU "
      + "model matches it when features are dense and, as they get sparser, represents more "
      + "features in superposition and reaches a lower loss.",
    setup: { quick in
      "presets basic-linear and basic-relu (20→5, I = 0.7^i, 7 instances p = 1 … 0.001), "
        + "10,000 steps, best of \(quick ? 2 : 4) seeds per instance"
    },
    train: { context in
      var data = ExperimentData(quick: context.quick)
      let seeds = context.pick(full: 4, quick: 2)
      for (i, role) in ["linear", "relu-output"].enumerated() {
        let config = try ShippedPreset.config(
          role == "linear" ? "basic-linear" : "basic-relu", steps: 10_000)
        let run = try TrainedRun.train(
          config, seeds: seeds, context: context,
          progress: { context.progress((Double(i) + $0) / 2) })
        data.runs.append((role, run))
      }
      return data
    },
    check: { data in
      guard let linear = data.run("linear"), let relu = data.run("relu-output") else { return [] }
      return checkBasic(linear: linear, relu: relu)
    })

  /// The paper's ReLU-to-linear loss ratios at p = 1, .3, .1, .03, .01, .003, .001.
  static let basicRatios = [1.0, 0.78, 0.45, 0.25, 0.19, 0.16, 0.13]
  /// Features represented by the ReLU model at the same p, as (low, high).
  static let basicRepresented = [(5, 5), (7, 7), (9, 9), (9, 11), (11, 13), (11, 13), (11, 13)]

  static func checkBasic(linear: TrainedRun, relu: TrainedRun) -> [ClaimRow] {
    var rows: [ClaimRow] = []
    let tail = 0.557574  // Σ_{i=5}^{19} 0.7^i: the importance the linear model drops
    var worst = 0.0
    var worstText = ""
    var within = true
    for k in 0..<linear.config.instances {
      let p = linear.probability(k)
      let target = (p / 3 - p * p / 4) * tail
      let l = linear.paperLoss(k)
      let deviation = abs(l.value - target) / target
      if deviation > worst {
        worst = deviation
        worstText =
          "p = \(ClaimRule.number(p)): \(ClaimRule.estimate(l.value, l.standardError))"
          + " vs \(ClaimRule.number(target))"
      }
      if !(abs(l.value - target) <= 0.01 * target + 2 * l.standardError) { within = false }
    }
    rows.append(
      ClaimRule.property(
        "linear loss at every p", holds: within, paper: "(p/3 − p²/4)·0.557574",
        tms: "worst \(ClaimRule.percent(worst)) off (\(worstText))", rule: "±1% + 2 SE each",
        value: worst))
    rows.append(
      ClaimRule.property(
        "linear model keeps the top 5",
        holds: (0..<linear.config.instances).allSatisfy { keepsTopFive(linear.metrics[$0]) },
        paper: "features 0–4, orthogonal",
        tms: (0..<linear.config.instances).map { linear.metrics[$0].represented }.map(String.init)
          .joined(separator: ", ") + " represented",
        rule: "‖W_i‖ > 0.5 exactly for i < 5, every p"))
    for k in 0..<min(relu.config.instances, basicRatios.count) {
      let p = relu.probability(k)
      let a = relu.paperLoss(k)
      let b = linear.paperLoss(k)
      let ratio = a.value / b.value
      let se =
        ratio
        * ((a.standardError / a.value) * (a.standardError / a.value)
        + (b.standardError / b.value) * (b.standardError / b.value)).squareRoot()
      rows.append(
        ClaimRule.relative(
          "ReLU ÷ linear loss at p = \(ClaimRule.number(p))", measured: ratio,
          standardError: se.isFinite ? se : 0, target: basicRatios[k],
          relative: k == 0 ? 0.01 : 0.2, paper: "×" + ClaimRule.number(basicRatios[k])))
    }
    for k in 0..<min(relu.config.instances, basicRepresented.count) {
      let (low, high) = basicRepresented[k]
      rows.append(
        ClaimRule.count(
          "ReLU features represented at p = \(ClaimRule.number(relu.probability(k)))",
          measured: relu.metrics[k].represented, low: low, high: high,
          paper: low == high ? "\(low)" : (k == 3 ? "~10" : "11–13")))
    }
    let meanBias = (0..<relu.config.instances).map { k -> Double in
      let kept = (0..<relu.config.features).filter { relu.metrics[k].norms[$0] > 0.5 }
      return kept.map { Double(relu.parameters[k].b[$0]) }.reduce(0, +) / Double(max(1, kept.count))
    }
    let sparse = (0..<relu.config.instances).filter { relu.probability($0) <= 0.01 + 1e-9 }
    let dense = (0..<relu.config.instances).filter { relu.probability($0) >= 0.1 - 1e-9 }
    rows.append(
      ClaimRule.property(
        "mean bias of represented features",
        holds: sparse.allSatisfy { meanBias[$0] < 0 } && dense.allSatisfy { meanBias[$0] > -0.01 },
        paper: "negative from p ≈ 0.01",
        tms: meanBias.enumerated().map {
          "\(ClaimRule.number(relu.probability($0.offset))): \(ClaimRule.number($0.element))"
        }.joined(separator: ", "),
        rule: "< 0 at p ≤ 0.01, > −0.01 at p ≥ 0.1"))
    return rows
  }

  static func keepsTopFive(_ m: InstanceMetrics) -> Bool {
    m.norms.enumerated().allSatisfy { ($0.offset < 5) == ($0.element > 0.5) }
  }
}
