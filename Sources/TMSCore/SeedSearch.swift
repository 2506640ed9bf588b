import TMSKernels

/// Trains chosen instances of a run from several seeds side by side, in chunks the owner
/// schedules, and then picks each instance's best seed by held-out loss.
///
/// For instance i of the run and seed s, the model trained is instance i's exact
/// configuration (its p_i, I_i, groups, model, optimiser and schedule, and the run's initial
/// scale) with every random stream seeded by s on instance i's stream, from step 0 for
/// ``steps`` steps. So the trial of the run's own seed replays instance i bit for bit when
/// its configuration did not change while it trained, and every trial is the model that
/// `RunConfig` with `training.seed = s` gives as instance i, wherever it sits in the search.
/// All trials are packed into one run (one instance each), so the results are the same
/// whatever the thread count.
///
/// Every trial, and the weights the instance had when the search started, are then measured
/// on instance i's own held-out samples (those ``Run/evaluateWithError(samples:)`` uses, at
/// ``evalSamples`` samples), so the comparison is on the same data.
///
/// Not thread-safe: the thread that owns the run owns the search. Without `threads` it uses
/// the run's worker threads, so it must not train while the run does (the live ``Trainer``
/// holds the run meanwhile).
public final class SeedSearch: @unchecked Sendable {
  /// The run's instances searched.
  public let instances: [Int]
  /// The seeds tried for each instance, in order.
  public let seeds: [UInt64]
  /// Steps each trial trains.
  public let steps: Int
  /// Held-out samples each loss is measured on.
  public let evalSamples: Int
  /// One instance per (searched instance a, seed j), at a·seeds + j.
  private let trials: Run
  /// Held-out evaluators: per searched instance a, seeds + 1 instances with a's held-out
  /// stream, at a·(seeds + 1) + j (trial j) and a·(seeds + 1) + seeds (the weights before).
  private let evaluation: Run
  /// The searched instances' weights when the search started.
  private let before: [Parameters]
  /// True once every trial stopped on a non-finite value before the end.
  private var stopped = false

  /// Prepares trials of `seeds` for each of the run's `instances`, `steps` steps each,
  /// measured on `evalSamples` held-out samples, on `threads` workers (the run's own when
  /// nil). Reads the run's configuration and the instances' current weights; throws naming
  /// what is out of range, or when the trials would not fit in memory.
  public init(
    run: Run, instances: [Int], seeds: [UInt64], steps: Int, evalSamples: Int = 32_768,
    threads: Int? = nil
  ) throws(ConfigError) {
    let config = run.config
    guard !instances.isEmpty else {
      throw ConfigError(field: "instance", "name at least one instance to search")
    }
    if let bad = instances.first(where: { $0 < 0 || $0 >= config.instances }) {
      throw ConfigError(
        field: "instance", "\(bad) is not an instance of this run (0…\(config.instances - 1))")
    }
    guard !seeds.isEmpty else { throw ConfigError(field: "seeds", "needs at least one seed") }
    let models = instances.count * (seeds.count + 1)
    guard models <= RunConfig.maxInstances else {
      throw ConfigError(
        field: "seeds",
        "\(seeds.count) seeds × \(instances.count) instances is too many: at most "
          + "\(RunConfig.maxInstances) models (the trials and the weights before) at once")
    }
    guard steps >= 1 && steps <= TrainingSettings.maxSteps else {
      throw ConfigError(
        field: "steps", "a seed search trains 1…\(TrainingSettings.maxSteps) steps, got \(steps)")
    }
    guard evalSamples >= 1 else {
      throw ConfigError(field: "eval_samples", "needs at least one held-out sample")
    }
    self.instances = instances
    self.seeds = seeds
    self.steps = steps
    self.evalSamples = evalSamples
    let pool = threads.map { WorkerPool(threads: max(1, $0)) } ?? run.pool
    let streams = instances.map { run.engines[$0].stream }
    trials = try Run(
      config: Self.packed(config, instances: instances, copies: seeds.count), pool: pool,
      seeds: streams.flatMap { stream in seeds.map { (seed: $0, stream: stream) } })
    evaluation = try Run(
      config: Self.packed(config, instances: instances, copies: seeds.count + 1), pool: pool,
      seeds: streams.flatMap { stream in
        Array(repeating: (seed: config.training.seed, stream: stream), count: seeds.count + 1)
      })
    before = instances.map { run.parameters(instance: $0) }
  }

  /// `config` with each of `instances` repeated `copies` times as the instances, keeping the
  /// run's initial scale (the default Xavier std depends on K) and dropping any SAE.
  static func packed(_ config: RunConfig, instances: [Int], copies: Int) -> RunConfig {
    var c = config
    c.sae = nil
    c.training.initStd = config.effectiveInitStd
    c.instances = instances.count * copies
    c.featureProbability = instances.flatMap {
      Array(repeating: config.featureProbability[$0], count: copies)
    }
    c.importance = instances.flatMap { Array(repeating: config.importance[$0], count: copies) }
    return c
  }

  /// Steps the trials have trained.
  public var completedSteps: Int { trials.step }

  /// True once the trials trained ``steps`` steps (or every one of them diverged).
  public var isFinished: Bool { stopped || trials.step >= steps }

  /// Trains every trial up to `count` more steps (never past ``steps``); returns the steps
  /// taken.
  @discardableResult
  public func advance(steps count: Int) -> Int {
    let want = min(max(0, count), steps - trials.step)
    guard want > 0, !stopped else { return 0 }
    let done = trials.trainCounting(steps: want)
    // The run advances by its furthest instance: short of `want`, every trial has stopped.
    if done < want { stopped = true }
    return done
  }

  /// Trains to the end, then measures: the outcome for each searched instance, in order.
  public func run() -> [BestOfSeeds] {
    while !isFinished { advance(steps: 1_000) }
    return results()
  }

  /// Every trial's held-out loss now and each instance's best (call once finished; earlier,
  /// it measures the trials as far as they got).
  public func results() -> [BestOfSeeds] {
    let k = seeds.count
    for a in instances.indices {
      for j in 0..<k {
        evaluation.setParameters(trials.parameters(instance: a * k + j), instance: a * (k + 1) + j)
      }
      evaluation.setParameters(before[a], instance: a * (k + 1) + k)
    }
    let losses = evaluation.evaluateWithError(samples: evalSamples)
    let diverged = Set(trials.divergedInstances)
    return instances.enumerated().map { a, instance in
      let measured = (0..<k).map { j in
        SeedTrial(
          seed: seeds[j], loss: losses[a * (k + 1) + j].mean,
          standardError: losses[a * (k + 1) + j].standardError,
          diverged: diverged.contains(a * k + j))
      }
      let best = BestOfSeeds.bestIndex(measured.map(\.loss))
      return BestOfSeeds(
        instance: instance, steps: trials.step, trials: measured, bestIndex: best,
        lossBefore: losses[a * (k + 1) + k].mean,
        standardErrorBefore: losses[a * (k + 1) + k].standardError,
        state: trials.instanceState(a * k + best, evalLoss: measured[best].loss))
    }
  }
}
