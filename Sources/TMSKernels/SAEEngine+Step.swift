import TMSKernelBase

/// One SAE training step: a fresh batch, the gradients, the unit-norm projection, Adam, the
/// decoder renormalised, then the dead latents resampled.
extension SAEEngine {
  /// Settings of one SAE step, shared by every SAE instance (λ is each instance's own).
  package struct StepSettings: Sendable, Equatable {
    /// Adam's learning rate.
    package var learningRate: Float
    /// Adam β₁.
    package var beta1: Float
    /// Adam β₂.
    package var beta2: Float
    /// Adam ε.
    package var epsilon: Float
    /// Keep the decoder's columns at unit norm.
    package var unitNormDecoder: Bool
    /// Resample dead latents.
    package var resample: Bool
    /// A latent that has not fired for this many steps is dead.
    package var deadSteps: Int

    /// Settings from their parts.
    package init(
      learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, unitNormDecoder: Bool,
      resample: Bool, deadSteps: Int
    ) {
      self.learningRate = learningRate
      self.beta1 = beta1
      self.beta2 = beta2
      self.epsilon = epsilon
      self.unitNormDecoder = unitNormDecoder
      self.resample = resample
      self.deadSteps = deadSteps
    }
  }

  /// One step. With a unit-norm decoder, the gradient of each decoder column d_j loses its
  /// component along d_j (g_j ← g_j − (g_j·d_j) d_j, the gradient on the sphere) and the
  /// column is divided by its norm after Adam's update. Then every latent that fired (z_j > 0
  /// on some sample) is marked — a resampled latent only from `deadSteps`/2 steps after its
  /// resampling, so that the firing its new encoder causes at once does not hide a latent
  /// that dies again — and with `resample` each latent dead for `deadSteps` steps (and not
  /// resampled within as many) is resampled (``resample(_:)``). Returns false, with
  /// the state of the step before restored and ``divergence`` set, when the loss or a new
  /// value is not finite.
  @discardableResult
  package func step(_ s: StepSettings) -> Bool {
    guard divergence == nil else { return false }
    generateBatch()
    let (loss, reconstruction, l0) = lossAndGradients()
    guard loss.isFinite else {
      divergence = "SAE loss became \(loss) at SAE step \(step + 1); kept the weights before it"
      return false
    }
    copyState(into: backup)
    if s.unitNormDecoder { projectDecoderGradient() }
    step += 1
    var finite = adamUpdate(wEnc, gEnc, mEnc, vEnc, s)
    finite = adamUpdate(bEnc, gBEnc, mBEnc, vBEnc, s) && finite
    finite = adamUpdate(wDec, gDec, mDec, vDec, s) && finite
    finite = adamUpdate(bDec, gBDec, mBDec, vBDec, s) && finite
    if s.unitNormDecoder { normaliseDecoder() }
    guard finite else {
      restoreState(from: backup)
      step -= 1
      divergence =
        "an SAE weight became non-finite at SAE step \(step + 1); kept the weights before it"
      return false
    }
    lastLoss = loss
    lossEMA = lossEMA.isNaN ? loss : 0.99 * lossEMA + 0.01 * loss
    reconstructionEMA =
      reconstructionEMA.isNaN ? reconstruction : 0.99 * reconstructionEMA + 0.01 * reconstruction
    l0EMA = l0EMA.isNaN ? l0 : 0.99 * l0EMA + 0.01 * l0
    let b = Double(batch)
    let grace = s.deadSteps / 2
    for j in 0..<d {
      // A resampled latent fires at once (its encoder points at an input); only firing from
      // half a window after its resampling on counts, so one that dies again stays dead.
      if fireCount[j] > 0 && (lastResampled[j] == 0 || step - lastResampled[j] >= grace) {
        lastFired[j] = step
      }
      frequency[j] = 0.99 * frequency[j] + 0.01 * Double(fireCount[j]) / b
    }
    if s.resample {
      for j in 0..<d
      where step - lastFired[j] >= s.deadSteps && step - lastResampled[j] >= s.deadSteps {
        resample(j)
      }
    }
    return true
  }

  /// True when latent `j` has not fired for `deadSteps` steps.
  package func isDead(_ j: Int, deadSteps: Int) -> Bool { step - lastFired[j] >= deadSteps }

  /// g_j ← g_j − (g_j·d_j) d_j for every decoder column d_j.
  func projectDecoderGradient() {
    let wd = wDec.base
    let gd = gDec.base
    for j in 0..<d {
      var dot: Float = 0
      for i in 0..<m { dot += gd[j * m + i] * wd[j * m + i] }
      for i in 0..<m { gd[j * m + i] -= dot * wd[j * m + i] }
    }
  }

  /// d_j ← d_j/‖d_j‖ for every decoder column (a zero column stays zero).
  func normaliseDecoder() {
    let wd = wDec.base
    for j in 0..<d {
      var sq: Float = 0
      for i in 0..<m { sq += wd[j * m + i] * wd[j * m + i] }
      guard sq > 0 else { continue }
      let inv = 1 / sq.squareRoot()
      for i in 0..<m { wd[j * m + i] *= inv }
    }
  }

  /// Re-initialises latent `j` towards an input the SAE reconstructs badly: a sample of the
  /// current batch drawn with probability proportional to the square of its ‖h − ĥ‖², whose
  /// h − b_dec, normalised to v, becomes the decoder column (d_j = v) and, scaled by 0.2, the
  /// encoder row (so the latent fires on inputs along v); b_enc_j = 0 and the latent's Adam
  /// moments restart. Nothing changes when every sample is reconstructed exactly.
  func resample(_ j: Int) {
    let errs = sampleError.base
    var total = Double(zeroCount) * zeroError * zeroError
    for t in 0..<nonzeroCount { total += Double(errs[t]) * Double(errs[t]) }
    guard total > 0, total.isFinite else { return }
    let u = resampleRandom.nextUnit() * total
    var acc = Double(zeroCount) * zeroError * zeroError
    var chosen = -1  // −1: an h = 0 sample
    if u >= acc {
      for t in 0..<nonzeroCount {
        acc += Double(errs[t]) * Double(errs[t])
        chosen = t
        if u < acc { break }
      }
    }
    let v = zeroPass + m + d
    var sq = 0.0
    for i in 0..<m {
      let h: Float = chosen < 0 ? 0 : packed[i * capacity + chosen]
      v[i] = Double(h - bDec[i])
      sq += v[i] * v[i]
    }
    guard sq > 1e-24 else { return }
    let inv = 1 / sq.squareRoot()
    for i in 0..<m {
      wDec[j * m + i] = Float(v[i] * inv)
      wEnc[j * m + i] = Float(0.2 * v[i] * inv)
      mDec[j * m + i] = 0
      vDec[j * m + i] = 0
      mEnc[j * m + i] = 0
      vEnc[j * m + i] = 0
    }
    bEnc[j] = 0
    mBEnc[j] = 0
    vBEnc[j] = 0
    lastResampled[j] = step
    resamples += 1
  }

  func copyState(into store: AlignedFloats) {
    var o = 0
    for buf in stateBuffers {
      (store.base + o).update(from: buf.base, count: buf.count)
      o += buf.count
    }
  }

  func restoreState(from store: AlignedFloats) {
    var o = 0
    for buf in stateBuffers {
      buf.base.update(from: store.base + o, count: buf.count)
      o += buf.count
    }
  }

  /// Adam as PyTorch applies it (no weight decay), in Float:
  ///   m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − (lr/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε).
  /// Returns false when an updated value is not finite.
  private func adamUpdate(
    _ p: AlignedFloats, _ g: AlignedFloats, _ mo: AlignedFloats, _ vo: AlignedFloats,
    _ s: StepSettings
  ) -> Bool {
    let t = Double(step)
    let stepSize = Float(Double(s.learningRate) / (1 - libPow(Double(s.beta1), t)))
    let bc2Sqrt = Float((1 - libPow(Double(s.beta2), t)).squareRoot())
    let b1 = s.beta1
    let b2 = s.beta2
    let eps = s.epsilon
    let pp = p.base
    let gp = g.base
    let mp = mo.base
    let vp = vo.base
    var bad = SIMD8<Float>(repeating: 0)
    var k = 0
    // Buffers are allocated in whole cache lines with zero padding, so the last vector's
    // spare lanes are zeros that stay zeros.
    while k < p.count {
      let gr = gp.vec(k)
      let mn = b1 * mp.vec(k) + (1 - b1) * gr
      let vn = b2 * vp.vec(k) + (1 - b2) * gr * gr
      let th = pp.vec(k) - stepSize * mn / (vn.squareRoot() / bc2Sqrt + eps)
      pp.setVec(k, th)
      mp.setVec(k, mn)
      vp.setVec(k, vn)
      bad += th - th
      k += 8
    }
    return bad == SIMD8<Float>(repeating: 0)
  }

  /// Clears a divergence so training continues (from the weights kept).
  package func clearDivergence() { divergence = nil }
}
