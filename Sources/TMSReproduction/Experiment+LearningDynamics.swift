import Foundation
import TMSCore

extension Experiment {
  /// Learning dynamics as the code companion ran it (notes §9.9): n = 100, m = 10, I = 1,
  /// p = 0.45, one instance, W initialised at 0.1× the usual std, batch 128, lr 1e-3 with
  /// cosine decay, checkpoints log-spaced from step 100 to the end. The paper: D_i jump
  /// between levels and the loss drops at the jumps; the companion notes its run may not
  /// show it, so this section reports what it sees without a verdict.
  public static let learningDynamics = Experiment(
    name: "learning-dynamics",
    title: "Learning dynamics: feature dimensionality over training",
    claim:
      "During training features jump between tight-frame dimensionalities (1, ½, ⅖, …), and "
      + "the loss drops at the jumps.",
    setup: { quick in
      "100→10, I = 1, p = 0.45, 1 instance, init 0.1× the Xavier std, batch 128, lr 1e-3 cosine, "
        + "\(quick ? "20,000" : "100,000") steps, \(quick ? 60 : 100) checkpoints log-spaced from step 100"
    },
    train: { context in
      var config = try ShippedPreset.config("learning-dynamics")
      config.instances = 1
      config.featureProbability = [Array(repeating: 0.45, count: config.features)]
      config.importance = [Array(repeating: 1, count: config.features)]
      let usual = config.effectiveInitStd
      config.training.initStd = 0.1 * usual
      config.training.batchSize = 128
      config.training.learningRate = 1e-3
      config.training.schedule = .cosine
      config.training.steps = context.pick(full: 100_000, quick: 20_000)
      let checkpoints = logSpacedSteps(
        from: 100, to: config.training.steps, count: context.pick(full: 100, quick: 60))
      let run = try Run(config: config, threads: 1)
      var history = TrainingHistory()
      for step in checkpoints {
        try context.checkCancelled()
        _ = run.train(steps: step - run.step)
        let loss = run.evaluate(samples: 8_192)[0]
        let metrics = run.metrics(instance: 0, evalLoss: loss)
        history.steps.append(step)
        history.loss.append(loss)
        history.dimensionality.append(metrics.dimensionality)
        history.norms.append(metrics.norms)
        context.progress(Double(step) / Double(config.training.steps))
      }
      var data = ExperimentData(quick: context.quick)
      data.runs = [
        ("relu-output", try TrainedRun.fixed(config, parameters: [run.parameters(instance: 0)]))
      ]
      data.history = history
      return data
    },
    check: { data in data.history.map(checkLearningDynamics) ?? [] })

  /// `count` distinct steps log-spaced from `from` to `to`, both included.
  public static func logSpacedSteps(from: Int, to: Int, count: Int) -> [Int] {
    guard to > from, count > 1 else { return [max(from, to)] }
    let a = log(Double(from))
    let b = log(Double(to))
    var out: [Int] = []
    for i in 0..<count {
      let s = Int(exp(a + (b - a) * Double(i) / Double(count - 1)).rounded())
      if s > (out.last ?? 0) { out.append(s) }
    }
    if out.last != to { out.append(to) }
    return out
  }

  /// A feature's level at a checkpoint: the named fraction within 0.012 of its D_i, if any
  /// (the labeller's tolerance; the fractions below ½ lie only 0.025–0.05 apart).
  static func level(_ d: Double) -> Double? {
    TightFrame.fractions.first { abs($0.value - d) <= 0.012 }?.value
  }

  /// Jumps: a represented feature settled at one named fraction (two checkpoints in a row)
  /// that later settles at another; passing through a fraction on the way does not count.
  public static func jumps(_ h: TrainingHistory) -> [(
    step: Int, feature: Int, from: Double, to: Double
  )] {
    guard let n = h.dimensionality.first?.count else { return [] }
    var out: [(Int, Int, Double, Double)] = []
    for i in 0..<n {
      var settled: Double?
      for t in 1..<max(1, h.dimensionality.count) {
        guard h.norms[t][i] > 0.5, h.norms[t - 1][i] > 0.5, let l = level(h.dimensionality[t][i]),
          level(h.dimensionality[t - 1][i]) == l
        else { continue }
        if let s = settled, s != l { out.append((h.steps[t - 1], i, s, l)) }
        settled = l
      }
    }
    return out.sorted { $0.0 < $1.0 }
  }

  static func checkLearningDynamics(_ h: TrainingHistory) -> [ClaimRow] {
    guard let lastD = h.dimensionality.last, let lastN = h.norms.last else { return [] }
    let found = jumps(h)
    func name(_ v: Double) -> String {
      TightFrame.fractions.first { $0.value == v }?.label ?? ClaimRule.number(v)
    }
    var levels: [String: Int] = [:]
    for i in lastD.indices where lastN[i] > 0.5 {
      if let l = level(lastD[i]) {
        levels[name(l), default: 0] += 1
      } else {
        levels["other", default: 0] += 1
      }
    }
    let jumpSteps = Set(found.map(\.step))
    var dropAtJumps: [Double] = []
    var dropElsewhere: [Double] = []
    for t in 1..<h.steps.count {
      let drop = (h.loss[t - 1] - h.loss[t]) / max(1e-30, h.loss[t - 1])
      if jumpSteps.contains(h.steps[t]) {
        dropAtJumps.append(drop)
      } else {
        dropElsewhere.append(drop)
      }
    }
    func mean(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count) }
    let examples = found.prefix(6).map {
      "step \($0.step): #\($0.feature) \(name($0.from))→\(name($0.to))"
    }
    return [
      ClaimRule.observation(
        "D_i at the end (represented features)", paper: "levels 1, ½, ⅖, …",
        tms: levels.sorted { $0.value > $1.value }.map { "\($0.value) at \($0.key)" }
          .joined(separator: ", ")),
      ClaimRule.observation(
        "jumps between levels", paper: "features jump between levels",
        tms: found.isEmpty
          ? "none seen"
          : "\(found.count): " + examples.joined(separator: "; ")
            + (found.count > examples.count ? "; …" : ""),
        value: Double(found.count)),
      ClaimRule.observation(
        "mean relative loss drop per checkpoint, at jumps vs elsewhere",
        paper: "the loss drops at the jumps",
        tms: "\(ClaimRule.number(mean(dropAtJumps))) vs \(ClaimRule.number(mean(dropElsewhere)))"),
      ClaimRule.observation(
        "loss at the end (notebook convention)", paper: "—",
        tms: ClaimRule.number(h.loss.last ?? .nan), value: h.loss.last),
    ]
  }
}
