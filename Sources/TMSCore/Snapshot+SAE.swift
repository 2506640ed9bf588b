import TMSKernels

/// The SAE's part of a snapshot: everything needed to continue its training exactly.
///
/// Present only when the run's SAE had started; a snapshot that has it is written as format
/// version 2 (one without it stays version 1, byte for byte as before), so a tms that reads
/// only version 1 refuses it in one line instead of dropping the SAE.
extension Snapshot {
  /// The SAE stage: its step and every SAE instance's state.
  public struct SAEState: Sendable, Equatable {
    /// SAE steps taken.
    public var step: Int
    /// One per SAE instance (``SAEConfig/instances``).
    public var instances: [SAEInstanceState]

    /// A state from its parts.
    public init(step: Int, instances: [SAEInstanceState]) {
      self.step = step
      self.instances = instances
    }
  }

  /// One SAE instance's complete state.
  public struct SAEInstanceState: Sendable, Equatable {
    /// W_enc, b_enc, W_dec, b_dec.
    public var parameters: SAEParameters
    /// Adam's state, laid out like the parameters.
    public var optimizer: SAEOptimizerState
    /// The data stream's eight xoshiro128++ lanes (32 words, as for the model), the group
    /// stream's and the resampling stream's SplitMix64 states.
    public var random: SAERandomState
    /// Per latent: the SAE step it last fired at, and was last resampled at.
    public var lastFired: [Int]
    /// Per latent: the SAE step it was last resampled at (0: never).
    public var lastResampled: [Int]
    /// Per latent: the firing-frequency EMA.
    public var frequency: [Double]
    /// Resamplings so far.
    public var resamples: Int
    /// Training-loss EMA (NaN before the first step).
    public var lossEMA: Double
    /// E‖h − ĥ‖² EMA.
    public var reconstructionEMA: Double
    /// L0 EMA.
    public var l0EMA: Double
    /// The last step's loss.
    public var lastLoss: Double
    /// Why it stopped, when it diverged.
    public var divergence: String?

    /// A state from its parts.
    public init(
      parameters: SAEParameters, optimizer: SAEOptimizerState, random: SAERandomState,
      lastFired: [Int], lastResampled: [Int], frequency: [Double], resamples: Int,
      lossEMA: Double, reconstructionEMA: Double, l0EMA: Double, lastLoss: Double,
      divergence: String?
    ) {
      self.parameters = parameters
      self.optimizer = optimizer
      self.random = random
      self.lastFired = lastFired
      self.lastResampled = lastResampled
      self.frequency = frequency
      self.resamples = resamples
      self.lossEMA = lossEMA
      self.reconstructionEMA = reconstructionEMA
      self.l0EMA = l0EMA
      self.lastLoss = lastLoss
      self.divergence = divergence
    }
  }

  /// Adam's state of one SAE instance: t and both moments of every parameter.
  public struct SAEOptimizerState: Sendable, Equatable {
    /// t, the Adam updates so far.
    public var step: Int
    /// First moments, laid out like ``SAEParameters``.
    public var first: SAEParameters
    /// Second moments, laid out like ``SAEParameters``.
    public var second: SAEParameters

    /// A state from its parts.
    public init(step: Int, first: SAEParameters, second: SAEParameters) {
      self.step = step
      self.first = first
      self.second = second
    }
  }

  /// The positions of an SAE instance's random streams.
  public struct SAERandomState: Sendable, Equatable {
    /// The data stream: 32 words `s0[0…7], s1[0…7], s2[0…7], s3[0…7]`.
    public var lanes: [UInt32]
    /// The group stream's SplitMix64 state.
    public var group: UInt64
    /// The resampling stream's SplitMix64 state.
    public var resample: UInt64

    /// A state from its parts.
    public init(lanes: [UInt32], group: UInt64, resample: UInt64) {
      self.lanes = lanes
      self.group = group
      self.resample = resample
    }
  }

  /// Checks the SAE part against the configuration: one state per SAE instance, every array
  /// of its size, every value finite, second moments ≥ 0, counters in range, live random
  /// lanes. Field paths are those of the JSON file.
  func validateSAE() throws(SnapshotError) {
    guard let state = sae else { return }
    func fail(_ path: String, _ message: String) -> SnapshotError {
      SnapshotError(file: "", "\(path): \(message)")
    }
    guard let c = config.sae else {
      throw fail("sae", "the snapshot has an SAE state but config.sae is missing")
    }
    let d = c.latents
    let m = config.hidden
    guard state.step >= 0 else { throw fail("sae.step", "must be ≥ 0, got \(state.step)") }
    guard state.instances.count == c.instances else {
      throw fail(
        "sae.instances",
        "has \(state.instances.count) entries, expected one per SAE instance (config.sae.instances = \(c.instances))"
      )
    }
    func vector(_ v: [Float], _ path: String, count: Int, what: String, nonNegative: Bool)
      throws(SnapshotError)
    {
      guard v.count == count else {
        throw fail(path, "has \(v.count) values, expected \(what) = \(count)")
      }
      for (j, x) in v.enumerated() {
        guard x.isFinite else { throw fail("\(path)[\(j)]", "is \(x); must be finite") }
        if nonNegative && x < 0 { throw fail("\(path)[\(j)]", "is \(x); must be ≥ 0") }
      }
    }
    func block(_ p: SAEParameters, _ path: String, nonNegative: Bool = false)
      throws(SnapshotError)
    {
      for (key, rows) in [("W_enc", p.encoder), ("W_dec", p.decoder)] {
        guard rows.count == d else {
          throw fail("\(path).\(key)", "has \(rows.count) rows, expected latents = \(d)")
        }
        for (j, row) in rows.enumerated() {
          try vector(row, "\(path).\(key)[\(j)]", count: m, what: "m", nonNegative: nonNegative)
        }
      }
      try vector(
        p.encoderBias, "\(path).b_enc", count: d, what: "latents", nonNegative: nonNegative)
      try vector(p.decoderBias, "\(path).b_dec", count: m, what: "m", nonNegative: nonNegative)
    }
    for (s, inst) in state.instances.enumerated() {
      let p = "sae.instances[\(s)]"
      try block(inst.parameters, "\(p).parameters")
      guard inst.optimizer.step >= 0 else {
        throw fail("\(p).optimizer.step", "must be ≥ 0, got \(inst.optimizer.step)")
      }
      try block(inst.optimizer.first, "\(p).optimizer.m")
      try block(inst.optimizer.second, "\(p).optimizer.v", nonNegative: true)
      for (key, list) in [("last_fired", inst.lastFired), ("last_resampled", inst.lastResampled)] {
        guard list.count == d else {
          throw fail("\(p).\(key)", "has \(list.count) values, expected latents = \(d)")
        }
        for (j, x) in list.enumerated() where x < 0 || x > inst.optimizer.step {
          throw fail("\(p).\(key)[\(j)]", "must be in 0…\(inst.optimizer.step), got \(x)")
        }
      }
      guard inst.frequency.count == d else {
        throw fail("\(p).frequency", "has \(inst.frequency.count) values, expected latents = \(d)")
      }
      for (j, x) in inst.frequency.enumerated() where !(x >= 0 && x <= 1) {
        throw fail("\(p).frequency[\(j)]", "must be in [0, 1], got \(x)")
      }
      guard inst.resamples >= 0 else {
        throw fail("\(p).resamples", "must be ≥ 0, got \(inst.resamples)")
      }
      let lanes = inst.random.lanes
      guard lanes.count == 32 else {
        throw fail(
          "\(p).random.lanes", "has \(lanes.count) values, expected 32 (4 words × 8 lanes)")
      }
      for l in 0..<8 where (0..<4).allSatisfy({ lanes[8 * $0 + l] == 0 }) {
        throw fail("\(p).random.lanes", "lane \(l) is all zero, which xoshiro128++ never reaches")
      }
    }
  }
}

extension Snapshot {
  /// The SAE as a screen draws it (nil when the snapshot has no SAE state): metrics from the
  /// saved weights and counters, without held-out measurements.
  public func saeSnapshot() -> SAESnapshot? {
    guard let state = sae, let c = config.sae else { return nil }
    let instances = state.instances.enumerated().map { s, inst -> SAEInstanceSnapshot in
      let k = c.source(of: s, modelInstances: config.instances)
      let r = SAEMetrics.recovery(
        decoder: inst.parameters.decoder,
        features: k < self.instances.count ? self.instances[k].parameters.W : [])
      let t = inst.optimizer.step
      return SAEInstanceSnapshot(
        parameters: inst.parameters,
        metrics: SAEMetrics(
          l1Coefficient: s < c.l1Coefficient.count ? c.l1Coefficient[s] : .nan,
          modelInstance: k, step: t, loss: inst.lossEMA, reconstruction: inst.reconstructionEMA,
          l0: inst.l0EMA, firing: inst.frequency,
          dead: inst.lastFired.map { t - $0 >= c.deadSteps }, resamples: inst.resamples,
          cosine: r.cosine, featureRecovery: r.featureRecovery, featureLatent: r.featureLatent,
          latentFeature: r.latentFeature, represented: r.represented, representedThreshold: 0.5,
          recovery: r.recovery, heldOut: nil, divergence: inst.divergence))
    }
    return SAESnapshot(config: c, step: state.step, instances: instances)
  }
}

extension Run {
  /// The SAE's complete state (nil before it starts).
  func saeState() -> Snapshot.SAEState? {
    guard let stage = saeStage else { return nil }
    return Snapshot.SAEState(step: stage.step, instances: stage.engines.map { $0.state })
  }

  /// Rebuilds the SAE from a snapshot's state on the (restored) model.
  func restoreSAE(_ state: Snapshot.SAEState) {
    guard let s = config.sae else { return }
    let stage = makeSAEStage(s)
    for (e, inst) in zip(stage.engines, state.instances) { e.restore(inst) }
    stage.step = state.step
    saeStage = stage
  }
}

extension SAEEngine {
  func block(_ we: AlignedFloats, _ be: AlignedFloats, _ wd: AlignedFloats, _ bd: AlignedFloats)
    -> SAEParameters
  {
    SAEParameters(
      encoder: (0..<d).map { j in (0..<m).map { we[j * m + $0] } },
      encoderBias: (0..<d).map { be[$0] },
      decoder: (0..<d).map { j in (0..<m).map { wd[j * m + $0] } },
      decoderBias: (0..<m).map { bd[$0] })
  }

  func store(
    _ p: SAEParameters, _ we: AlignedFloats, _ be: AlignedFloats, _ wd: AlignedFloats,
    _ bd: AlignedFloats
  ) {
    for j in 0..<d {
      for i in 0..<m {
        we[j * m + i] = p.encoder[j][i]
        wd[j * m + i] = p.decoder[j][i]
      }
      be[j] = p.encoderBias[j]
    }
    for i in 0..<m { bd[i] = p.decoderBias[i] }
  }

  /// The complete state.
  var state: Snapshot.SAEInstanceState {
    var lanes: [UInt32] = []
    lanes.reserveCapacity(32)
    for word in [random.s0, random.s1, random.s2, random.s3] {
      for l in 0..<8 { lanes.append(word[l]) }
    }
    return Snapshot.SAEInstanceState(
      parameters: block(wEnc, bEnc, wDec, bDec),
      optimizer: Snapshot.SAEOptimizerState(
        step: step, first: block(mEnc, mBEnc, mDec, mBDec),
        second: block(vEnc, vBEnc, vDec, vBDec)),
      random: Snapshot.SAERandomState(
        lanes: lanes, group: groupRandom.state, resample: resampleRandom.state),
      lastFired: lastFired, lastResampled: lastResampled, frequency: frequency,
      resamples: resamples, lossEMA: lossEMA, reconstructionEMA: reconstructionEMA,
      l0EMA: l0EMA, lastLoss: lastLoss, divergence: divergence)
  }

  /// Overwrites everything from `s` (shapes were checked by ``Snapshot/validate()``).
  func restore(_ s: Snapshot.SAEInstanceState) {
    store(s.parameters, wEnc, bEnc, wDec, bDec)
    store(s.optimizer.first, mEnc, mBEnc, mDec, mBDec)
    store(s.optimizer.second, vEnc, vBEnc, vDec, vBDec)
    step = s.optimizer.step
    func word(_ w: Int) -> SIMD8<UInt32> {
      var v = SIMD8<UInt32>()
      for l in 0..<8 { v[l] = s.random.lanes[8 * w + l] }
      return v
    }
    random.s0 = word(0)
    random.s1 = word(1)
    random.s2 = word(2)
    random.s3 = word(3)
    groupRandom = SplitMix64(seed: s.random.group)
    resampleRandom = SplitMix64(seed: s.random.resample)
    lastFired = s.lastFired
    lastResampled = s.lastResampled
    frequency = s.frequency
    resamples = s.resamples
    lossEMA = s.lossEMA
    reconstructionEMA = s.reconstructionEMA
    l0EMA = s.l0EMA
    lastLoss = s.lastLoss
    divergence = s.divergence
  }
}
