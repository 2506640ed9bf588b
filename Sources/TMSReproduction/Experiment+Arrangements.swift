import Foundation
import TMSCore

extension Experiment {
  /// Geometry beyond uniform sparsity (notes §6): non-uniform sparsity deforms the pentagon
  /// and then gives a square; anticorrelated pairs sit antipodally; correlated features are
  /// stored orthogonally within their set, and a dense enough pair collapses onto one
  /// direction.
  public static let arrangements = Experiment(
    name: "arrangements",
    title: "Non-uniform sparsity, correlated and anticorrelated features",
    claim:
      "Making one feature sparser deforms the pentagon until it becomes a square of the "
      + "other four; anticorrelated features become each other's antipodes; correlated "
      + "features prefer orthogonal directions, and collapse onto one when dense.",
    setup: { quick in
      "presets non-uniform (5→2, four features at p = 0.05, feature 0 at 0.05·r), "
        + "anticorrelated and correlated (4→2, two pairs), collapse (6→2, three correlated "
        + "pairs); 10,000 steps, best of \(quick ? 12 : 20) seeds (non-uniform), "
        + "\(quick ? 16 : 24) (anticorrelated: about 1 seed in 3 finds the antipodal pairs at "
        + "p = 0.1) and \(quick ? 6 : 12) (the others)"
    },
    train: { context in
      var data = ExperimentData(quick: context.quick)
      let names = ["non-uniform", "anticorrelated", "correlated", "collapse"]
      for (index, name) in names.enumerated() {
        let config = try ShippedPreset.config(name, steps: 10_000)
        let seeds =
          switch name {
          case "non-uniform": context.pick(full: 20, quick: 12)
          case "anticorrelated": context.pick(full: 24, quick: 16)
          default: context.pick(full: 12, quick: 6)
          }
        let run = try TrainedRun.train(config, seeds: seeds, context: context) {
          context.progress((Double(index) + $0) / Double(names.count))
        }
        data.runs.append((name, run))
      }
      return data
    },
    check: { data in
      var rows: [ClaimRow] = []
      if let run = data.run("non-uniform") { rows += checkNonUniform(run) }
      if let run = data.run("anticorrelated") { rows += checkAnticorrelated(run) }
      if let run = data.run("correlated") { rows += checkCorrelated(run) }
      if let run = data.run("collapse") { rows += checkCollapse(run) }
      return rows
    })

  static func has(_ m: InstanceMetrics, _ name: String, size: Int) -> Bool {
    m.geometry.groups.contains { $0.name == name && $0.features.count == size }
  }

  static func checkNonUniform(_ run: TrainedRun) -> [ClaimRow] {
    func r(_ k: Int) -> Double {
      run.config.featureProbability[k][0] / run.config.featureProbability[k][1]
    }
    let uniform = (0..<run.config.instances).min { abs(log(r($0))) < abs(log(r($1))) } ?? 0
    var rows = [
      ClaimRule.property(
        "r = \(ClaimRule.number(r(uniform))) (uniform)",
        holds: has(run.metrics[uniform], "pentagon", size: 5),
        paper: "pentagon", tms: run.metrics[uniform].geometry.text, rule: "a pentagon of all 5")
    ]
    for k in 0..<run.config.instances where r(k) < 0.2 {
      let m = run.metrics[k]
      let gaps = Geometry2D.angularGaps(run.parameters[k].W, features: [1, 2, 3, 4])
      let square =
        m.norms[0] <= 0.5 && (1...4).allSatisfy { m.norms[$0] > 0.5 }
        && gaps.allSatisfy { abs($0 - 90) <= 10 }
      rows.append(
        ClaimRule.property(
          "r = \(ClaimRule.number(r(k))) (feature 0 sparser)", holds: square,
          paper: "square of features 1–4",
          tms: m.geometry.text + "; gaps "
            + gaps.map { String(format: "%.0f°", $0) }.joined(separator: ", "),
          rule: "feature 0 dropped, 1–4 at gaps of 90° ± 10°"))
    }
    return rows
  }

  static func checkAnticorrelated(_ run: TrainedRun) -> [ClaimRow] {
    run.config.instances > 0
      ? (max(0, run.config.instances - 2)..<run.config.instances).map { k in
        let W = run.parameters[k].W
        let a = Geometry2D.cosine(W[0], W[1])
        let b = Geometry2D.cosine(W[2], W[3])
        return ClaimRule.property(
          "anticorrelated pairs at p = \(ClaimRule.number(run.probability(k)))",
          holds: a <= -0.95 && b <= -0.95, paper: "each pair antipodal",
          tms: "cos(W₀,W₁) \(ClaimRule.number(a)), cos(W₂,W₃) \(ClaimRule.number(b))",
          rule: "both cosines ≤ −0.95")
      } : []
  }

  static func checkCorrelated(_ run: TrainedRun) -> [ClaimRow] {
    let k = run.config.instances - 1
    guard k >= 0 else { return [] }
    let W = run.parameters[k].W
    let a = Geometry2D.cosine(W[0], W[1])
    let b = Geometry2D.cosine(W[2], W[3])
    return [
      ClaimRule.property(
        "correlated pairs at p = \(ClaimRule.number(run.probability(k)))",
        holds: abs(a) <= 0.1 && abs(b) <= 0.1, paper: "orthogonal within each pair",
        tms: "cos(W₀,W₁) \(ClaimRule.number(a)), cos(W₂,W₃) \(ClaimRule.number(b))",
        rule: "|cos| ≤ 0.1 for both pairs")
    ]
  }

  static func checkCollapse(_ run: TrainedRun) -> [ClaimRow] {
    guard run.config.instances > 0 else { return [] }
    let W = run.parameters[0].W
    let cosines = [(0, 1), (2, 3), (4, 5)].map { Geometry2D.cosine(W[$0.0], W[$0.1]) }
    return [
      ClaimRule.property(
        "correlated pairs at p = \(ClaimRule.number(run.probability(0))) (densest)",
        holds: cosines.contains { $0 >= 0.95 }, paper: "a pair collapses onto one direction",
        tms: "cos " + cosines.map(ClaimRule.number).joined(separator: ", "),
        rule: "some pair with cos ≥ 0.95")
    ]
  }
}
