import TMSKernelBase

/// AdamW exactly as PyTorch applies it, in Float:
///   θ ← θ·(1 − lr·λ);  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
///   θ ← θ − (lr/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε)
/// with decoupled weight decay λ on every parameter, b included.
extension InstanceEngine {
  /// Settings of one optimiser step, shared by all instances of a run.
  package struct StepSettings {
    package var learningRate: Float
    package var beta1: Float
    package var beta2: Float
    package var epsilon: Float
    package var weightDecay: Float

    package init(
      learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    ) {
      self.learningRate = learningRate
      self.beta1 = beta1
      self.beta2 = beta2
      self.epsilon = epsilon
      self.weightDecay = weightDecay
    }
  }

  /// One training step: fresh batch, gradients, AdamW. Returns false when the loss or an
  /// updated value is not finite; the instance then rolls back to its last healthy state
  /// (``rollBack(reason:)``) and stays stopped until its divergence is cleared.
  @discardableResult
  package func trainStep(_ settings: StepSettings) -> Bool {
    guard divergence == nil else { return false }
    generateBatch()
    let loss = lossAndGradients()
    guard loss.isFinite else {
      rollBack(reason: "loss became \(loss) at step \(adamStep + 1)")
      return false
    }
    lastLoss = loss
    lossEMA = lossEMA.isNaN ? loss : 0.99 * lossEMA + 0.01 * loss
    // Judged before the update: the parameters now in place are the ones `loss` measured.
    keepIfHealthy()
    saveBackup()
    adamStep += 1
    var finite = true
    finite = adam(w1, g1, m1, v1, settings) && finite
    if !kind.tied { finite = adam(w2, g2, m2, v2, settings) && finite }
    finite = adam(b, gb, mb, vb, settings) && finite
    if !finite {
      restoreBackup()
      adamStep -= 1
      rollBack(reason: "a weight became non-finite at step \(adamStep + 1)")
      return false
    }
    return true
  }

  /// Every `healthyInterval` steps, keeps a copy of the state while training looks sound:
  /// the parameters in place were just measured (`lastLoss`, before their update), and both
  /// that loss and the loss EMA are at most 10× the lowest EMA seen since the copy was last
  /// invalidated. A blow-up (a too-large lr) raises the loss by orders of magnitude within a
  /// step or two, long before it overflows, so the copy that survives predates it; ordinary
  /// sparse-batch noise stays well within 10×.
  func keepIfHealthy() {
    guard lossEMA.isFinite, lastLoss.isFinite else { return }
    bestLossEMA = min(bestLossEMA, lossEMA)
    guard adamStep % Self.healthyInterval == 0,
      lossEMA <= 10 * bestLossEMA, lastLoss <= 10 * bestLossEMA
    else { return }
    keepHealthy()
  }

  static let healthyInterval = 32

  /// Copies the current state into the healthy slot.
  func keepHealthy() {
    copyState(into: healthy)
    healthyStep = adamStep
    healthyLossEMA = lossEMA
    healthyLastLoss = lastLoss
  }

  /// Starts the healthy copies afresh from the current state (new weights, restored or
  /// edited ones, or new data): it is the copy, and the best EMA is forgotten.
  package func restartHealthy() {
    bestLossEMA = .infinity
    keepHealthy()
  }

  /// Stops the instance with `reason` and restores its last healthy state, so that lowering
  /// the learning rate and continuing trains from weights that are still meaningful (the last
  /// finite weights after a blow-up are finite but huge, ‖W‖ ~ 1e10, and never recover).
  func rollBack(reason: String) {
    let back = adamStep - healthyStep
    restoreState(from: healthy)
    adamStep = healthyStep
    lossEMA = healthyLossEMA
    lastLoss = healthyLastLoss
    bestLossEMA = lossEMA.isFinite ? lossEMA : .infinity
    divergence =
      back == 0
      ? reason + "; kept the weights before it"
      : reason + "; rolled back \(back) step\(back == 1 ? "" : "s") to the last healthy weights"
  }

  private func adam(
    _ p: AlignedFloats, _ g: AlignedFloats, _ mo: AlignedFloats, _ vo: AlignedFloats,
    _ s: StepSettings
  ) -> Bool {
    let t = Double(adamStep)
    let bc1 = 1 - libPow(Double(s.beta1), t)
    let bc2 = 1 - libPow(Double(s.beta2), t)
    let stepSize = Float(Double(s.learningRate) / bc1)
    let bc2Sqrt = Float(bc2.squareRoot())
    let decay = 1 - s.learningRate * s.weightDecay
    let b1 = s.beta1
    let b2 = s.beta2
    let eps = s.epsilon
    let pp = p.base
    let gp = g.base
    let mp = mo.base
    let vp = vo.base
    var bad = SIMD8<Float>(repeating: 0)
    var k = 0
    while k < p.count {
      var th = pp.vec(k) * decay
      let gr = gp.vec(k)
      let mn = b1 * mp.vec(k) + (1 - b1) * gr
      let vn = b2 * vp.vec(k) + (1 - b2) * gr * gr
      th -= stepSize * mn / (vn.squareRoot() / bc2Sqrt + eps)
      pp.setVec(k, th)
      mp.setVec(k, mn)
      vp.setVec(k, vn)
      bad += th - th
      k += 8
    }
    return bad == SIMD8<Float>(repeating: 0)
  }

  private func saveBackup() { copyState(into: backup) }

  private func restoreBackup() { restoreState(from: backup) }

  private func copyState(into store: AlignedFloats) {
    var o = 0
    for buf in stateBuffers {
      (store.base + o).update(from: buf.base, count: buf.count)
      o += buf.count
    }
  }

  private func restoreState(from store: AlignedFloats) {
    var o = 0
    for buf in stateBuffers {
      buf.base.update(from: store.base + o, count: buf.count)
      o += buf.count
    }
  }

  /// Loss on the instance's fixed held-out data: the same `samples` every call for the same
  /// probabilities, drawn from a stream separate from training.
  package func evaluate(samples: Int) -> Double {
    var rng = LaneRandom(seed: evalSeed)
    let saved = groupRandom
    groupRandom = SplitMix64(seed: evalSeed ^ 0xFFFF)
    var total = 0.0
    var counted = 0
    while counted < samples {
      if useSmallKernel { generateColumns(rng: &rng) } else { generateRows(rng: &rng) }
      total += lossAndGradients() * Double(batch)
      counted += batch
    }
    groupRandom = saved
    return total / Double(counted)
  }

  /// The held-out loss of ``evaluate(samples:)`` (the same batches, the same mean) with its
  /// standard error: the batches are independent draws, so with B batch means ℓ_b of equal
  /// size the error of their mean ℓ̄ is √(Σ_b (ℓ_b − ℓ̄)² / (B (B − 1))); NaN for B < 2.
  package func evaluateWithError(samples: Int) -> (mean: Double, standardError: Double) {
    var rng = LaneRandom(seed: evalSeed)
    let saved = groupRandom
    groupRandom = SplitMix64(seed: evalSeed ^ 0xFFFF)
    var total = 0.0
    var counted = 0
    var means: [Double] = []
    while counted < samples {
      if useSmallKernel { generateColumns(rng: &rng) } else { generateRows(rng: &rng) }
      let loss = lossAndGradients()
      means.append(loss)
      total += loss * Double(batch)
      counted += batch
    }
    groupRandom = saved
    let mean = total / Double(counted)
    guard means.count > 1 else { return (mean, .nan) }
    var squares = 0.0
    for x in means { squares += (x - mean) * (x - mean) }
    let b = Double(means.count)
    return (mean, (squares / (b * (b - 1))).squareRoot())
  }
}
