import TMSKernels

import Foundation

/// Taking a ``Snapshot`` of a run and restoring one into it.
///
/// Both read or write the instances' internals, so they must run on the thread that owns the
/// run: the headless CLI, a test, or — for a live run — the trainer's own thread between two
/// chunks of steps (``Trainer/checkpoint(timeout:)`` arranges that).
extension Run {
  /// The complete state of the run now. `history`, `evalLoss` (one held-out loss per
  /// instance, shown in the metrics) and `evalLossError` (their standard errors) are the
  /// caller's; pass `nil` to leave them unknown (NaN).
  public func snapshot(
    history: LossHistory = LossHistory(), evalLoss: [Double]? = nil,
    evalLossError: [Double]? = nil, date: Date = Date()
  ) -> Snapshot {
    let instances = engines.indices.map { k in
      instanceState(
        k, evalLoss: evalLoss.map { k < $0.count ? $0[k] : .nan } ?? .nan,
        evalLossError: evalLossError.map { k < $0.count ? $0[k] : .nan } ?? .nan)
    }
    return Snapshot(
      config: config, step: step, instances: instances, lossHistory: history,
      created: Snapshot.iso8601(date), sae: saeState())
  }

  /// Instance `k`'s complete state now: weights, optimiser, random streams, loss trackers and
  /// metrics (with `evalLoss` as the held-out loss and `evalLossError` its standard error).
  func instanceState(_ k: Int, evalLoss: Double, evalLossError: Double = .nan)
    -> Snapshot.InstanceState
  {
    let e = engines[k]
    var metrics = metrics(instance: k, evalLoss: evalLoss)
    metrics.evalLossError = evalLossError
    return Snapshot.InstanceState(
      parameters: parameters(instance: k), optimizer: e.optimizerState(), random: e.randomState(),
      trainLossEMA: e.lossEMA, lastTrainLoss: e.lastLoss, divergence: e.divergence,
      metrics: metrics)
  }

  /// A run rebuilt from `snapshot`: its configuration, step, weights, optimiser state and
  /// random streams, so that training continues exactly where the snapshot was taken.
  public convenience init(
    snapshot: Snapshot, threads: Int = 1, onThreadStart: (@Sendable () -> Void)? = nil
  ) throws(SnapshotError) {
    do {
      try self.init(config: snapshot.config, threads: threads, onThreadStart: onThreadStart)
    } catch {
      throw SnapshotError(file: "", "config.\(error.description)")
    }
    try restore(snapshot)
  }

  /// Replaces this run's configuration and state with `snapshot`'s (re-initialising first
  /// when the shapes differ). Throws, changing nothing, when the snapshot is inconsistent.
  public func restore(_ snapshot: Snapshot) throws(SnapshotError) {
    try snapshot.validate()
    do {
      try apply(snapshot.config)
    } catch {
      throw SnapshotError(file: "", "config.\(error.description)")
    }
    if step != 0 || saeStage != nil { reset() }
    for (k, state) in snapshot.instances.enumerated() {
      setParameters(state.parameters, instance: k)
      engines[k].restore(state)
    }
    advanceStepCounter(by: snapshot.step)
    if let sae = snapshot.sae { restoreSAE(sae) }
  }
}

extension InstanceEngine {
  /// Reads a hidden-major padded buffer as n rows of m (the ``Parameters`` layout).
  func rows(_ buffer: AlignedFloats) -> [[Float]] {
    (0..<n).map { i in (0..<m).map { j in buffer[j * nPad + i] } }
  }

  /// Writes n rows of m into a hidden-major padded buffer.
  func store(_ rows: [[Float]], into buffer: AlignedFloats) {
    for i in 0..<n { for j in 0..<m { buffer[j * nPad + i] = rows[i][j] } }
  }

  func optimizerState() -> Snapshot.OptimizerState {
    Snapshot.OptimizerState(
      step: adamStep, mW: rows(m1), vW: rows(v1), mW2: kind.tied ? nil : rows(m2),
      vW2: kind.tied ? nil : rows(v2), mb: (0..<n).map { mb[$0] }, vb: (0..<n).map { vb[$0] })
  }

  func randomState() -> Snapshot.RandomState {
    var lanes: [UInt32] = []
    lanes.reserveCapacity(32)
    for word in [random.s0, random.s1, random.s2, random.s3] {
      for l in 0..<8 { lanes.append(word[l]) }
    }
    return Snapshot.RandomState(lanes: lanes, group: groupRandom.state)
  }

  /// Overwrites the optimiser, random streams and loss trackers (the weights are set by
  /// ``Run/setParameters(_:instance:)``). Shapes were checked by ``Snapshot/validate()``.
  func restore(_ s: Snapshot.InstanceState) {
    let o = s.optimizer
    store(o.mW, into: m1)
    store(o.vW, into: v1)
    if !kind.tied, let mW2 = o.mW2, let vW2 = o.vW2 {
      store(mW2, into: m2)
      store(vW2, into: v2)
    }
    for i in 0..<n {
      mb[i] = o.mb[i]
      vb[i] = o.vb[i]
    }
    adamStep = o.step
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
    lossEMA = s.trainLossEMA
    lastLoss = s.lastTrainLoss
    divergence = s.divergence
    restartHealthy()
  }
}
