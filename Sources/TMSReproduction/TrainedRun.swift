import TMSCore

/// A configuration trained from several seeds with, per instance, the seed of lowest held-out
/// loss kept — the paper's figures are best-of-seeds, single runs stop in local minima.
///
/// Seed s trains the whole configuration with `training.seed + s`; instance k keeps the
/// parameters of argmin_s loss_s(k). Losses are the notebook's convention (mean over batch
/// and features; × n for the paper's), each with its standard error.
public struct TrainedRun: Sendable {
  /// The configuration (its seed is the first one tried).
  public var config: RunConfig
  /// Seeds tried per instance.
  public var seeds: Int
  /// The kept parameters, per instance.
  public var parameters: [Parameters]
  /// Held-out loss of the kept parameters (notebook convention), per instance.
  public var loss: [Double]
  /// Standard error of `loss`, per instance.
  public var lossStandardError: [Double]
  /// The seed offset s kept, per instance.
  public var keptSeed: [Int]
  /// Loss of every seed tried, per instance (`seedLosses[k][s]`).
  public var seedLosses: [[Double]]
  /// Metrics of the kept parameters, per instance.
  public var metrics: [InstanceMetrics]

  /// The held-out estimate: stratified over the number of active features, sampled until
  /// the relative standard error is 1% (at most 2²⁰ samples), on the same samples for every
  /// seed so their losses differ by the models alone.
  public static let lossSettings = LossEstimate.Settings(targetRelativeError: 0.01, seed: 0x5EED)

  /// Trains `config` from `seeds` seeds for `config.training.steps` steps each.
  public static func train(
    _ config: RunConfig, seeds: Int, context: ReproductionContext,
    progress: @Sendable (Double) -> Void = { _ in }
  ) throws -> TrainedRun {
    let steps = config.training.steps
    var best: TrainedRun?
    for s in 0..<max(1, seeds) {
      var c = config
      c.training.seed = config.training.seed &+ UInt64(s)
      let run = try Run(config: c, threads: context.threads)
      var done = 0
      while done < steps {
        try context.checkCancelled()
        // A hundredth of the run at a time: a Ctrl-C is seen within a second even for the
        // largest models (200→20 × 20 trains ~150 steps a second).
        let chunk = min(steps - done, max(10, min(1_000, steps / 100)))
        _ = run.train(steps: chunk)
        done += chunk
        progress((Double(s) + Double(done) / Double(max(1, steps))) / Double(max(1, seeds)))
      }
      let trial = evaluate(run: run, config: config, seed: s)
      best = best.map { $0.merged(with: trial) } ?? trial
    }
    return best!
  }

  /// Evaluates fixed parameters (one per instance) as if they had been trained: for tests
  /// that feed known weights, good or wrong, through the same checks.
  public static func fixed(_ config: RunConfig, parameters: [Parameters]) throws -> TrainedRun {
    let run = try Run(config: config, threads: 1)
    for (k, p) in parameters.enumerated() { run.setParameters(p, instance: k) }
    return evaluate(run: run, config: config, seed: 0)
  }

  static func evaluate(run: Run, config: RunConfig, seed: Int) -> TrainedRun {
    let losses = run.estimateLosses(settings: lossSettings)
    let params = (0..<config.instances).map { run.parameters(instance: $0) }
    let metrics = (0..<config.instances).map { k in
      var m = run.metrics(instance: k, evalLoss: losses[k].mean)
      m.evalLossError = losses[k].standardError
      return m
    }
    return TrainedRun(
      config: config, seeds: 1, parameters: params, loss: losses.map(\.mean),
      lossStandardError: losses.map { $0.standardError.isFinite ? $0.standardError : 0 },
      keptSeed: Array(repeating: seed, count: config.instances),
      seedLosses: losses.map { [$0.mean] }, metrics: metrics)
  }

  /// Per instance, the lower-loss of the two (a NaN loss never wins).
  func merged(with other: TrainedRun) -> TrainedRun {
    var out = self
    out.seeds += other.seeds
    for k in 0..<parameters.count {
      out.seedLosses[k] += other.seedLosses[k]
      let mine = loss[k].isFinite ? loss[k] : .infinity
      let theirs = other.loss[k].isFinite ? other.loss[k] : .infinity
      guard theirs < mine else { continue }
      out.parameters[k] = other.parameters[k]
      out.loss[k] = other.loss[k]
      out.lossStandardError[k] = other.lossStandardError[k]
      out.keptSeed[k] = other.keptSeed[k]
      out.metrics[k] = other.metrics[k]
    }
    return out
  }

  /// Paper-convention loss (sum over features) of instance k: the notebook's × n.
  public func paperLoss(_ k: Int) -> (value: Double, standardError: Double) {
    let n = Double(config.features)
    return (loss[k] * n, lossStandardError[k] * n)
  }

  /// p of instance k (the mean over features, which is every feature's p in a uniform sweep).
  public func probability(_ k: Int) -> Double {
    let p = config.featureProbability[k]
    return p.reduce(0, +) / Double(max(1, p.count))
  }
}
