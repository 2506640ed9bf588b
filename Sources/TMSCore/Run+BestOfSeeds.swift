/// Best of several seeds, headless: the paper's figures show the best of several runs, since
/// a single run can stop in a local minimum.
extension Run {
  /// Trains each of `instances` from every seed in `seeds` for `steps` steps (see
  /// ``SeedSearch`` for exactly what is trained and measured) and returns each instance's
  /// outcome, in order. Runs on `threads` workers (the run's own when nil); the results do
  /// not depend on the thread count. The run itself is not changed: ``adopt(_:)`` installs
  /// an outcome.
  public func bestOfSeeds(
    instances: [Int], seeds: [UInt64], steps: Int, threads: Int? = nil,
    evalSamples: Int = 32_768
  ) throws(ConfigError) -> [BestOfSeeds] {
    try SeedSearch(
      run: self, instances: instances, seeds: seeds, steps: steps, evalSamples: evalSamples,
      threads: threads
    ).run()
  }

  /// ``bestOfSeeds(instances:seeds:steps:threads:evalSamples:)`` for one instance and the
  /// `seeds` consecutive seeds from the run's own (``consecutiveSeeds(_:)``), so the first
  /// trial is the instance as the run trains it.
  public func bestOfSeeds(
    instance: Int, seeds: Int, steps: Int, threads: Int? = nil, evalSamples: Int = 32_768
  ) throws(ConfigError) -> BestOfSeeds {
    try bestOfSeeds(
      instances: [instance], seeds: consecutiveSeeds(seeds), steps: steps, threads: threads,
      evalSamples: evalSamples)[0]
  }

  /// The run's seed s and the `count` − 1 after it: s, s + 1, … (wrapping at 2⁶⁴).
  public func consecutiveSeeds(_ count: Int) -> [UInt64] {
    let s = config.training.seed
    return (0..<max(0, count)).map { s &+ UInt64($0) }
  }

  /// Puts the best seed's complete state into its instance: weights, AdamW moments and step,
  /// random streams and loss trackers, so the instance trains on exactly as that seed's model
  /// would have. The held-out samples stay the instance's own, and the run's step counter
  /// and seed are unchanged. Throws when the outcome does not fit this run (another shape or
  /// model, an instance it lacks) or when the model is frozen under a started SAE.
  public func adopt(_ outcome: BestOfSeeds) throws(ConfigError) {
    let k = outcome.instance
    guard k >= 0 && k < config.instances else {
      throw ConfigError(field: "instance", "\(k) is not an instance of this run")
    }
    // The snapshot checks of one instance: shapes of weights and moments, finite values,
    // live random lanes.
    var one = config
    one.instances = 1
    one.featureProbability = [config.featureProbability[k]]
    one.importance = [config.importance[k]]
    one.sae = nil
    do {
      try Snapshot(
        config: one, step: 0, instances: [outcome.state], lossHistory: LossHistory(), created: ""
      ).validate()
    } catch {
      throw ConfigError(
        field: "instance", "the outcome does not fit instance \(k): \(error.description)")
    }
    guard !saeStarted else {
      throw ConfigError(field: "sae", "the model is frozen while its SAE trains")
    }
    setParameters(outcome.state.parameters, instance: k)
    engines[k].restore(outcome.state)
  }
}
