import TMSKernels

/// A training run: K independent instances of one model, trained side by side.
///
/// Synchronous and owned by one thread at a time (the headless CLI, a test, or the live
/// ``Trainer``'s thread). `train(steps:)` splits the instances over `threads` workers; each
/// worker takes whole instances and runs many steps on them without synchronising with the
/// others, so results are bit-identical for a seed whatever the thread count.
public final class Run: @unchecked Sendable {
  /// The configuration in force.
  public private(set) var config: RunConfig
  /// Steps taken since initialisation. A divergence rollback rewinds the diverged
  /// instance's optimiser (its weights and Adam step), not this counter: it counts the
  /// steps the run has trained, and the schedule runs on it.
  public private(set) var step: Int = 0
  /// Worker threads used by ``train(steps:)``.
  public var threads: Int { pool.threads }
  let pool: WorkerPool
  var engines: [InstanceEngine]
  /// The SAE training on the frozen model, once started (see ``startSAE()``).
  var saeStage: SAEStage?
  /// Why the SAE could not start, when it could not (shown by the live trainer).
  public internal(set) var saeNotice: String?

  /// Builds a run (validating `config`, and refusing one that needs more than
  /// `memoryBudget` bytes before allocating any) with freshly initialised weights.
  /// `onThreadStart` runs first on every worker thread the run creates.
  public init(
    config: RunConfig, threads: Int = 1, memoryBudget: Int = MemoryBudget.bytes,
    onThreadStart: (@Sendable () -> Void)? = nil
  ) throws(ConfigError) {
    try config.validate()
    try config.checkMemory(live: false, budget: memoryBudget)
    self.config = config
    pool = WorkerPool(threads: max(1, threads), onStart: onThreadStart)
    engines = config.makeEngines()
  }

  /// Builds a run whose instance k trains with its own seed and stream, `seeds[k]`, instead
  /// of the configuration's seed and its index: a sweep packs models of many points into one
  /// run, and each must train exactly as it would alone, wherever it sits.
  package convenience init(
    config: RunConfig, threads: Int, seeds: [(seed: UInt64, stream: Int)],
    memoryBudget: Int = MemoryBudget.bytes
  ) throws(ConfigError) {
    try self.init(
      config: config, pool: WorkerPool(threads: max(1, threads)), seeds: seeds,
      memoryBudget: memoryBudget)
  }

  /// A run like ``init(config:threads:seeds:memoryBudget:)`` whose jobs run on `pool`, which
  /// it shares with another run (a seed search on the live run's workers, never both at once).
  init(
    config: RunConfig, pool: WorkerPool, seeds: [(seed: UInt64, stream: Int)],
    memoryBudget: Int = MemoryBudget.bytes
  ) throws(ConfigError) {
    try config.validate()
    try config.checkMemory(live: false, budget: memoryBudget)
    guard seeds.count == config.instances else {
      throw ConfigError(
        field: "instances", "needs one seed per instance (\(config.instances)), got \(seeds.count)")
    }
    self.config = config
    self.pool = pool
    engines = (0..<config.instances).map { k in
      InstanceEngine(
        index: k, stream: seeds[k].stream, model: config.model.kernel, features: config.features,
        hidden: config.hidden, data: config.kernelData(instance: k), seed: seeds[k].seed,
        initStd: config.effectiveInitStd)
    }
  }

  /// Applies a new configuration. Data, importance, optimiser and schedule fields take effect
  /// at the next step on the current weights; a new n, m, K, model, seed or init std
  /// re-initialises. Returns true when it re-initialised.
  @discardableResult
  public func apply(_ new: RunConfig) throws(ConfigError) -> Bool {
    try new.validate()
    let old = config
    let reinit = RunConfig.needsReinitialisation(from: old, to: new)
    if reinit || new.training.batchSize != old.training.batchSize {
      try new.checkMemory(live: true)
    }
    if !reinit, saeStage != nil, let s = new.sae,
      SAEConfig.needsReinitialisation(from: saeStage!.config, to: s)
    {
      try new.checkSAEMemory()
    }
    config = new
    if reinit {
      engines = new.makeEngines()
      step = 0
      saeStage = nil
    } else {
      for (k, e) in engines.enumerated() {
        e.applyData(new.kernelData(instance: k))
        if old.featureProbability[k] != new.featureProbability[k]
          || old.importance[k] != new.importance[k] || old.groups != new.groups
        {
          e.dataChanged()
        }
      }
      try applySAE(from: old, to: new)
    }
    return reinit
  }

  /// Re-initialises the weights and optimiser (with `seed`, or the current one) and restarts
  /// the data streams, so a reset with the same seed replays the run exactly.
  public func reset(seed: UInt64? = nil) {
    if let seed { config.training.seed = seed }
    engines = config.makeEngines()
    step = 0
    saeStage = nil
    saeNotice = nil
  }

  /// The instance that stopped on a non-finite value, with the reason, if any.
  public var divergence: (instance: Int, reason: String)? {
    for e in engines { if let r = e.divergence { return (e.index, r) } }
    if let stage = saeStage {
      for e in stage.engines {
        if let r = e.divergence { return (stage.sources[e.index], "SAE \(e.index): " + r) }
      }
    }
    return nil
  }

  /// Every instance that stopped on a non-finite value, in order.
  public var divergedInstances: [Int] {
    engines.filter { $0.divergence != nil }.map(\.index)
  }

  /// Clears divergence flags so training continues from the last finite parameters
  /// (after the user lowered the learning rate, say).
  public func clearDivergence() {
    for e in engines { e.divergence = nil }
    for e in saeStage?.engines ?? [] { e.clearDivergence() }
  }

  /// Trains every instance for `steps` steps (fewer for an instance that diverges).
  /// Returns false when some instance diverged.
  @discardableResult
  public func train(steps: Int) -> Bool {
    trainCounting(steps: steps)
    return divergence == nil
  }

  /// Trains like ``train(steps:)`` and returns the steps the run advanced: `steps`, or the
  /// most any instance took before diverging (0 when every instance was already stopped), so
  /// that the step counter and steps/s never count steps that did not happen.
  @discardableResult
  public func trainCounting(steps: Int) -> Int {
    guard steps > 0 else { return 0 }
    let start = step
    let training = config.training
    let done = mapInstances { k in
      let e = self.engines[k]
      var done = 0
      for s in 0..<steps {
        if !e.trainStep(training.stepSettings(at: start + s)) { break }
        done += 1
      }
      return done
    }
    let advanced = done.max() ?? 0
    step += advanced
    return advanced
  }

  /// Moves ``step`` forward without training (a restored snapshot's step count).
  func advanceStepCounter(by steps: Int) {
    step += max(0, steps)
  }

  /// Current parameters of instance `k`.
  public func parameters(instance k: Int) -> Parameters {
    let e = engines[k]
    let W = (0..<e.n).map { i in (0..<e.m).map { j in e.w1[j * e.nPad + i] } }
    let W2 =
      e.kind.tied ? nil : (0..<e.n).map { i in (0..<e.m).map { j in e.w2[j * e.nPad + i] } }
    return Parameters(W: W, W2: W2, b: (0..<e.n).map { e.b[$0] })
  }

  /// Overwrites instance `k`'s parameters (shapes must match the configuration).
  public func setParameters(_ p: Parameters, instance k: Int) {
    let e = engines[k]
    for i in 0..<e.n {
      for j in 0..<e.m {
        e.w1[j * e.nPad + i] = p.W[i][j]
        if let W2 = p.W2, !e.kind.tied { e.w2[j * e.nPad + i] = W2[i][j] }
      }
      e.b[i] = p.b[i]
    }
    e.restartHealthy()
  }

  /// Loss and analytic gradient of instance `k` on the given batch (rows of n inputs), as the
  /// training kernel computes them; the next training step draws a fresh batch as usual.
  public func lossAndGradient(instance k: Int, batch rows: [[Float]]) -> LossAndGradient {
    lossAndGradient(instance: k, batch: rows, path: nil)
  }

  /// ``lossAndGradient(instance:batch:)`` through a given kernel path (one of
  /// ``kernelPaths(instance:)``) and instruction set (one of `InstructionSet.available`),
  /// or the instance's own when nil.
  package func lossAndGradient(
    instance k: Int, batch rows: [[Float]], path: KernelPath?,
    instructionSet: InstructionSet? = nil
  ) -> LossAndGradient {
    let e = engines[k]
    let savedBatch = e.batch
    let savedSet = e.instructionSet
    defer { e.instructionSet = savedSet }
    e.loadBatch(rows)
    if let path { e.force(path) }
    if let instructionSet { e.instructionSet = instructionSet }
    let loss = e.lossAndGradients()
    let grad = Parameters(
      W: (0..<e.n).map { i in (0..<e.m).map { j in e.g1[j * e.nPad + i] } },
      W2: e.kind.tied ? nil : (0..<e.n).map { i in (0..<e.m).map { j in e.g2[j * e.nPad + i] } },
      b: (0..<e.n).map { e.gb[$0] })
    var restored = config.kernelData(instance: k)
    restored.batchSize = savedBatch
    e.batch = -1
    e.applyData(restored)
    return LossAndGradient(loss: loss, gradient: grad)
  }

  /// The kernel path instance `k` trains through, and the paths it could.
  /// Runs every instance's tiled and Gram kernels with `set` (one of
  /// `InstructionSet.available`) until the engines are next rebuilt: for tests comparing
  /// the sets on one run.
  package func useInstructionSet(_ set: InstructionSet) {
    for e in engines { e.instructionSet = set }
  }

  package func kernelPath(instance k: Int) -> KernelPath { engines[k].path }
  package func kernelPaths(instance k: Int) -> [KernelPath] { engines[k].availablePaths }

  /// The most recent training batch of instance `k`, as rows of n inputs.
  public func lastBatch(instance k: Int) -> [[Float]] { engines[k].batchRows() }

  /// Fraction of non-zero inputs in instance `k`'s most recent training batch.
  public func lastBatchDensity(instance k: Int) -> Double { engines[k].batchDensity() }

  /// Notebook-convention loss of each instance on its fixed held-out data of `samples` samples.
  public func evaluate(samples: Int = 1024) -> [Double] {
    mapInstances { self.engines[$0].evaluate(samples: samples) }
  }

  /// Each instance's held-out loss as ``evaluate(samples:)`` computes it, with the standard
  /// error of that estimate from its independent batches (NaN with a single batch).
  public func evaluateWithError(samples: Int = 1024) -> [(mean: Double, standardError: Double)] {
    mapInstances { self.engines[$0].evaluateWithError(samples: samples) }
  }

  /// Exponential moving average of each instance's training loss (notebook convention).
  public var trainLossEMA: [Double] { engines.map(\.lossEMA) }

  /// Each instance's loss on its latest training batch.
  public var lastTrainLoss: [Double] { engines.map(\.lastLoss) }
}

extension Run {
  /// Metrics of instance `k` from its current weights; `evalLoss` is passed in because the
  /// held-out evaluation costs a forward pass and callers decide how often to pay it.
  public func metrics(instance k: Int, evalLoss: Double = .nan) -> InstanceMetrics {
    InstanceMetrics.compute(
      parameters: parameters(instance: k), hidden: config.hidden, model: config.model,
      featureProbability: config.featureProbability[k], importance: config.importance[k],
      trainLoss: engines[k].lossEMA, evalLoss: evalLoss, groups: config.groups)
  }
}

extension RunConfig {
  /// Instance k's data, importance and batch size as the kernels take them.
  package func kernelData(instance k: Int) -> KernelData {
    KernelData(
      featureProbability: featureProbability[k], importance: importance[k],
      groups: groups.map(\.kernel), batchSize: training.batchSize)
  }

  /// Freshly initialised engines for every instance.
  package func makeEngines() -> [InstanceEngine] {
    (0..<instances).map { k in
      InstanceEngine(
        index: k, model: model.kernel, features: features, hidden: hidden,
        data: kernelData(instance: k), seed: training.seed, initStd: effectiveInitStd)
    }
  }
}
