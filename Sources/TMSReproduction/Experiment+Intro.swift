import Foundation
import TMSCore

extension Experiment {
  /// The intro figure: 5 features in 2 dimensions, I = 0.9^i, p = 20^(−k/9) for k = 0…9.
  /// Facts (notes §9.1–9.2): dense, two orthogonal unit features with b ≈ (0, 0, ½, ½, ½) and
  /// L = 0.18293; p = 0.717 still two features with L ≈ 0.2415–0.2425; p ≈ 0.2 two antipodal
  /// pairs; p ≤ 0.1 a pentagon with ‖W_i‖ ≈ 1.11–1.14, b_i ≈ −0.24 and L ≈ 0.0072 at p = 0.05.
  public static let intro = Experiment(
    name: "intro",
    title: "Intro: five features in two dimensions",
    claim:
      "Dense features get two orthogonal dimensions like a linear model; as they get sparser "
      + "the model stores more of them in superposition, as two antipodal pairs and then a "
      + "pentagon.",
    setup: { quick in
      "preset intro (relu-output 5→2, I = 0.9^i, 10 instances p = 20^(−k/9)), 10,000 steps, "
        + "best of \(quick ? 4 : 8) seeds per instance by held-out loss"
    },
    train: { context in
      let config = try ShippedPreset.config("intro", steps: 10_000)
      var data = ExperimentData(quick: context.quick)
      let run = try TrainedRun.train(
        config, seeds: context.pick(full: 8, quick: 4), context: context,
        progress: context.progress)
      data.runs = [("relu-output", run)]
      return data
    },
    check: { data in data.run("relu-output").map(checkIntro) ?? [] })

  static func checkIntro(_ run: TrainedRun) -> [ClaimRow] {
    var rows: [ClaimRow] = []
    let dense = run.paperLoss(0)
    rows.append(
      ClaimRule.relative(
        "loss at p = 1 (paper convention)", measured: dense.value,
        standardError: dense.standardError, target: 0.18293, relative: 0.01))
    rows.append(
      ClaimRule.count(
        "features represented at p = 1", measured: run.metrics[0].represented, low: 2, high: 2,
        paper: "2"))
    let W = run.parameters[0].W
    let cosine = Geometry2D.cosine(W[0], W[1])
    let norms = [Geometry2D.norm(W[0]), Geometry2D.norm(W[1])]
    let worstNorm = norms.map { abs($0 - 1) }.max() ?? .infinity
    rows.append(
      ClaimRule.property(
        "features 0 and 1 at p = 1: orthogonal, unit norm",
        holds: abs(cosine) <= 0.02 && worstNorm <= 0.02, paper: "orthogonal, ‖W_i‖ = 1",
        tms:
          "cos \(ClaimRule.number(cosine)), ‖W‖ \(norms.map(ClaimRule.number).joined(separator: ", "))",
        rule: "|cos| ≤ 0.02, |‖W_i‖ − 1| ≤ 0.02"))
    let bias = run.parameters[0].b[2...].map(Double.init)
    let worstBias = bias.map { abs($0 - 0.5) }.max() ?? .infinity
    rows.append(
      ClaimRule.property(
        "b_2, b_3, b_4 at p = 1", holds: worstBias <= 0.02, paper: "½ each (= E[x_i])",
        tms: bias.map(ClaimRule.number).joined(separator: ", "), rule: "each within 0.02 of ½"))
    let k1 = 1
    rows.append(
      ClaimRule.count(
        "features represented at p = \(ClaimRule.number(run.probability(k1)))",
        measured: run.metrics[k1].represented, low: 2, high: 2, paper: "2"))
    let l1 = run.paperLoss(k1)
    rows.append(
      ClaimRule.range(
        "loss at p = \(ClaimRule.number(run.probability(k1)))", measured: l1.value,
        standardError: l1.standardError, low: 0.2415, high: 0.2425, paper: "0.2415–0.2425"))
    let k5 = 5
    let pairs = run.metrics[k5].geometry.groups.filter { $0.name == "antipodal pair" }.count
    rows.append(
      ClaimRule.property(
        "arrangement at p = \(ClaimRule.number(run.probability(k5)))",
        holds: pairs == 2 && run.metrics[k5].represented == 4,
        paper: "4 features: two antipodal pairs", tms: run.metrics[k5].geometry.text,
        rule: "2 antipodal pairs, 4 represented"))
    for k in 7..<run.config.instances {
      let pentagon = run.metrics[k].geometry.groups.contains {
        $0.name == "pentagon" && $0.features.count == 5
      }
      rows.append(
        ClaimRule.property(
          "arrangement at p = \(ClaimRule.number(run.probability(k)))", holds: pentagon,
          paper: "pentagon", tms: run.metrics[k].geometry.text, rule: "a pentagon of all 5"))
    }
    let last = run.config.instances - 1
    let norms9 = run.metrics[last].norms
    let meanNorm = norms9.reduce(0, +) / Double(max(1, norms9.count))
    rows.append(
      ClaimRule.range(
        "mean ‖W_i‖ at p = 0.05", measured: meanNorm, low: 1.10, high: 1.15,
        paper: "≈ 1.11–1.14"))
    let b9 = run.parameters[last].b.map(Double.init)
    rows.append(
      ClaimRule.absolute(
        "mean b_i at p = 0.05", measured: b9.reduce(0, +) / Double(max(1, b9.count)),
        target: -0.24, absolute: 0.03, paper: "≈ −0.24"))
    let l9 = run.paperLoss(last)
    rows.append(
      ClaimRule.relative(
        "loss at p = 0.05 (best seed)", measured: l9.value, standardError: l9.standardError,
        target: 0.0072, relative: 0.05, paper: "≈ 0.0072"))
    return rows
  }
}

/// Small vector helpers for the checks.
enum Geometry2D {
  static func norm(_ v: [Float]) -> Double {
    v.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
  }

  /// The angles between consecutive directions of `features` around the circle (m = 2),
  /// in degrees, summing to 360.
  static func angularGaps(_ W: [[Float]], features: [Int]) -> [Double] {
    let angles = features.map { atan2(Double(W[$0][1]), Double(W[$0][0])) * 180 / .pi }.sorted()
    guard angles.count > 1 else { return [360] }
    return angles.indices.map { i in
      i + 1 < angles.count ? angles[i + 1] - angles[i] : angles[0] + 360 - angles[i]
    }
  }

  static func cosine(_ a: [Float], _ b: [Float]) -> Double {
    let d = zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    let n = norm(a) * norm(b)
    return n > 0 ? d / n : 0
  }
}
