import TMSKernels

/// The SAE stage of a run: the SAE instances training on the frozen model.
final class SAEStage {
  /// The configuration the engines were built for (live fields follow edits).
  var config: SAEConfig
  /// One engine per SAE instance.
  var engines: [SAEEngine]
  /// The model instance each SAE instance reads.
  let sources: [Int]
  /// SAE steps taken.
  var step = 0

  init(config: SAEConfig, engines: [SAEEngine], sources: [Int]) {
    self.config = config
    self.engines = engines
    self.sources = sources
  }
}

/// Training a sparse autoencoder on the run's frozen model (``RunConfig/sae``).
///
/// A run with an SAE has two stages. The model trains its `training.steps` steps; then it is
/// frozen (its weights copied into every SAE instance, which draws its own data of the model
/// instance it reads) and the SAE trains. ``advance(steps:)`` trains whichever stage is
/// current, so the live trainer and the explorer need not know; `tms sae` on a snapshot
/// starts the SAE at once (``startSAE()``). A reset or a change that re-initialises the
/// model drops the SAE, and both stages run again.
extension Run {
  /// True once the SAE trains (the model is then frozen).
  public var saeStarted: Bool { saeStage != nil }

  /// SAE steps taken (0 before the SAE starts).
  public var saeStep: Int { saeStage?.step ?? 0 }

  /// The model step at which the SAE starts, nil when the run has no SAE or trains
  /// open-ended (`steps` 0, when it starts only by ``startSAE()``).
  public var saeStartStep: Int? {
    guard config.sae != nil, config.training.steps > 0 else { return nil }
    return config.training.steps
  }

  /// Freezes the model now and starts the SAE of ``RunConfig/sae`` on its current weights
  /// (fresh SAE weights). Throws when the run has no SAE or its SAE does not fit in memory.
  public func startSAE(memoryBudget: Int = MemoryBudget.bytes) throws(ConfigError) {
    guard let s = config.sae else { throw ConfigError(field: "sae", "the run has no SAE") }
    try config.checkSAEMemory(budget: memoryBudget)
    saeStage = makeSAEStage(s)
  }

  func makeSAEStage(_ s: SAEConfig) -> SAEStage {
    let sources = (0..<s.instances).map { s.source(of: $0, modelInstances: config.instances) }
    let engines = sources.enumerated().map { index, k in
      SAEEngine(
        index: index, latents: s.latents, source: saeSource(model: k, batchSize: s.batchSize),
        sourceInstance: k, batchSize: s.batchSize, lambda: Float(s.l1Coefficient[index]),
        seed: s.seed)
    }
    return SAEStage(config: s, engines: engines, sources: sources)
  }

  /// Model instance `k` as an SAE reads it: its weights now and its data.
  func saeSource(model k: Int, batchSize: Int) -> SAESource {
    let p = parameters(instance: k)
    var data = config.kernelData(instance: k)
    data.batchSize = batchSize
    return SAESource(W: p.W, W2: p.W2, b: p.b, kind: config.model.kernel, data: data)
  }

  /// Trains the current stage for `steps` steps: the model until it has trained
  /// `training.steps` (when the run has an SAE), then the SAE. Returns the steps taken.
  @discardableResult
  public func advance(steps: Int) -> Int {
    guard steps > 0 else { return 0 }
    var done = 0
    if saeStage == nil {
      guard let start = saeStartStep else { return trainCounting(steps: steps) }
      if step < start {
        let want = min(steps, start - step)
        done = trainCounting(steps: want)
        if done < want || step < start { return done }
      }
      do {
        try startSAE()
      } catch {
        saeNotice = "SAE not started: \(error.description)"
        return done
      }
    }
    return done + trainSAE(steps: steps - done)
  }

  /// Trains every SAE instance for `steps` steps (fewer for an instance that diverges);
  /// returns the SAE steps the stage advanced. Each instance runs on one worker thread from
  /// its own streams, so the result is the same whatever the thread count.
  @discardableResult
  public func trainSAE(steps: Int) -> Int {
    guard let stage = saeStage, steps > 0 else { return 0 }
    let settings = stage.config.stepSettings
    let done = mapParallel(stage.engines.count) { s in
      let e = self.saeStage!.engines[s]
      var taken = 0
      for _ in 0..<steps {
        if !e.step(settings) { break }
        taken += 1
      }
      return taken
    }
    let advanced = done.max() ?? 0
    stage.step += advanced
    return advanced
  }

  /// Held-out measurements of every SAE instance on `samples` samples (empty before the
  /// SAE starts), computed on the run's workers.
  public func evaluateSAE(samples: Int) -> [SAEHeldOut] {
    guard let stage = saeStage else { return [] }
    return mapParallel(stage.engines.count) {
      SAEHeldOut(self.saeStage!.engines[$0].evaluate(samples: samples))
    }
  }

  /// SAE instance `s`'s current weights.
  public func saeParameters(instance s: Int) -> SAEParameters? {
    guard let e = saeStage?.engines[s] else { return nil }
    return e.parameters
  }

  /// The SAE as a screen draws it (nil before it starts), with `heldOut` measurements when
  /// given (one per SAE instance).
  public func saeSnapshot(heldOut: [SAEHeldOut]? = nil) -> SAESnapshot? {
    guard let stage = saeStage else { return nil }
    let instances = stage.engines.indices.map { s -> SAEInstanceSnapshot in
      let e = stage.engines[s]
      return SAEInstanceSnapshot(
        parameters: e.parameters,
        metrics: saeMetrics(s, heldOut: heldOut.flatMap { s < $0.count ? $0[s] : nil }))
    }
    return SAESnapshot(config: stage.config, step: stage.step, instances: instances)
  }

  /// SAE instance `s`'s metrics from its engine and the frozen model's feature directions.
  func saeMetrics(_ s: Int, heldOut: SAEHeldOut?) -> SAEMetrics {
    let stage = saeStage!
    let e = stage.engines[s]
    let k = stage.sources[s]
    let params = e.parameters
    let r = SAEMetrics.recovery(decoder: params.decoder, features: parameters(instance: k).W)
    let deadSteps = stage.config.deadSteps
    return SAEMetrics(
      l1Coefficient: Double(e.lambda), modelInstance: k, step: e.step, loss: e.lossEMA,
      reconstruction: e.reconstructionEMA, l0: e.l0EMA, firing: e.frequency,
      dead: (0..<e.d).map { e.isDead($0, deadSteps: deadSteps) }, resamples: e.resamples,
      cosine: r.cosine, featureRecovery: r.featureRecovery, featureLatent: r.featureLatent,
      latentFeature: r.latentFeature, represented: r.represented, representedThreshold: 0.5,
      recovery: r.recovery, heldOut: heldOut, divergence: e.divergence)
  }

  /// Loss and analytic gradient of SAE instance `s` on `rows` of hidden activations (each of
  /// length m), as the training kernel computes them, without the unit-norm projection; the
  /// next step draws a fresh batch as usual (for the gradient tests).
  public func saeLossAndGradient(instance s: Int, hidden rows: [[Float]]) -> (
    loss: Double, gradient: SAEParameters
  )? {
    guard let stage = saeStage else { return nil }
    let e = stage.engines[s]
    let saved = e.batch
    e.loadBatch(rows)
    let loss = e.lossAndGradients().loss
    let g = e.gradients
    var data = config.kernelData(instance: stage.sources[s])
    data.batchSize = saved
    e.batch = -1
    e.applyData(data)
    return (loss, g)
  }

  /// The gradient of SAE instance `s`'s decoder on the unit sphere: the kernel's gradient
  /// with each column's component along the column removed, g_j − (g_j·d_j) d_j.
  public func saeProjected(_ g: SAEParameters, instance s: Int) -> SAEParameters {
    guard let e = saeStage?.engines[s] else { return g }
    var out = g
    for j in 0..<e.d {
      let col = (0..<e.m).map { e.wDec[j * e.m + $0] }
      let dot = zip(g.decoder[j], col).reduce(Float(0)) { $0 + $1.0 * $1.1 }
      out.decoder[j] = zip(g.decoder[j], col).map { $0 - dot * $1 }
    }
    return out
  }

  /// Overwrites SAE instance `s`'s parameters (shapes must match).
  public func setSAEParameters(_ p: SAEParameters, instance s: Int) {
    guard let e = saeStage?.engines[s] else { return }
    e.setParameters(p)
  }

  /// The hidden activations of SAE instance `s`'s latest batch, as rows of m values (the
  /// non-zero ones first).
  public func saeLastBatch(instance s: Int) -> [[Float]] {
    saeStage?.engines[s].batchHidden() ?? []
  }

  /// Applies an edited configuration to the SAE: dropped with `sae` removed, rebuilt on the
  /// frozen model when a field that is not live changed, else λ, the batch size and the
  /// model's data follow at the next step. Called by ``apply(_:)`` after the model's part.
  func applySAE(from old: RunConfig, to new: RunConfig) throws(ConfigError) {
    guard let stage = saeStage else { return }
    guard let s = new.sae else {
      saeStage = nil
      return
    }
    if SAEConfig.needsReinitialisation(from: stage.config, to: s) {
      try new.checkSAEMemory()
      saeStage = makeSAEStage(s)
      return
    }
    stage.config = s
    for (index, e) in stage.engines.enumerated() {
      e.lambda = Float(s.l1Coefficient[index])
      var data = new.kernelData(instance: stage.sources[index])
      data.batchSize = s.batchSize
      e.applyData(data)
    }
  }
}

extension SAEEngine {
  /// The weights as ``SAEParameters``.
  var parameters: SAEParameters {
    SAEParameters(
      encoder: (0..<d).map { j in (0..<m).map { wEnc[j * m + $0] } },
      encoderBias: (0..<d).map { bEnc[$0] },
      decoder: (0..<d).map { j in (0..<m).map { wDec[j * m + $0] } },
      decoderBias: (0..<m).map { bDec[$0] })
  }

  /// The gradient buffers as ``SAEParameters``.
  var gradients: SAEParameters {
    SAEParameters(
      encoder: (0..<d).map { j in (0..<m).map { gEnc[j * m + $0] } },
      encoderBias: (0..<d).map { gBEnc[$0] },
      decoder: (0..<d).map { j in (0..<m).map { gDec[j * m + $0] } },
      decoderBias: (0..<m).map { gBDec[$0] })
  }

  /// Overwrites the weights (the moments and counters stay).
  func setParameters(_ p: SAEParameters) {
    for j in 0..<d {
      for i in 0..<m {
        wEnc[j * m + i] = p.encoder[j][i]
        wDec[j * m + i] = p.decoder[j][i]
      }
      bEnc[j] = p.encoderBias[j]
    }
    for i in 0..<m { bDec[i] = p.decoderBias[i] }
  }
}
