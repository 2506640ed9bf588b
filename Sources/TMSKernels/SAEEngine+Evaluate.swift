import TMSKernelBase

/// Held-out measurements of one SAE instance.
///
/// On fixed samples (the same every call, from a stream of their own) of the model
/// instance's data: the reconstruction error E‖h − ĥ‖², L0 = E[#{j : z_j > 0}], E‖z‖₁, each
/// latent's firing frequency, and the toy model's loss (notebook convention: mean over
/// samples and features of I_i (y_i − t_i)²) with its own h and with h replaced by the SAE's
/// ĥ — what splicing the SAE in costs the model.
package struct SAEEvaluation: Sendable, Equatable {
  /// E‖h − ĥ‖².
  package var reconstruction: Double
  /// Mean number of active latents per sample.
  package var l0: Double
  /// E Σ_j z_j.
  package var l1: Double
  /// Per latent: the fraction of samples on which it fired.
  package var firing: [Double]
  /// The model's loss with its own h.
  package var modelLoss: Double
  /// The model's loss with h replaced by ĥ.
  package var splicedLoss: Double
  /// Samples measured.
  package var samples: Int

  /// Measurements from their parts.
  package init(
    reconstruction: Double, l0: Double, l1: Double, firing: [Double], modelLoss: Double,
    splicedLoss: Double, samples: Int
  ) {
    self.reconstruction = reconstruction
    self.l0 = l0
    self.l1 = l1
    self.firing = firing
    self.modelLoss = modelLoss
    self.splicedLoss = splicedLoss
    self.samples = samples
  }
}

extension SAEEngine {
  /// Measures the SAE on `samples` held-out samples (see ``SAEEvaluation``). Leaves the
  /// training streams where they were.
  package func evaluate(samples: Int) -> SAEEvaluation {
    var rng = LaneRandom(seed: evalSeed)
    let savedGroup = groupRandom
    groupRandom = SplitMix64(seed: evalSeed ^ 0xFFFF)
    defer { groupRandom = savedGroup }
    let dPad = (d + 7) / 8 * 8
    let dChunks = dPad / 8
    let mChunks = mPad / 8
    // Encoder columns and decoder columns padded for SIMD (built once per call).
    let encT = AlignedFloats(m * dPad)
    let decP = AlignedFloats(d * mPad)
    for j in 0..<d {
      for i in 0..<m {
        encT[i * dPad + j] = wEnc[j * m + i]
        decP[j * mPad + i] = wDec[j * m + i]
      }
    }
    let bEncP = AlignedFloats(dPad)
    for j in 0..<d { bEncP[j] = bEnc[j] }
    let bDecP = AlignedFloats(mPad)
    for i in 0..<m { bDecP[i] = bDec[i] }
    let x = AlignedFloats(nPad)
    let z = AlignedFloats(dPad)
    let hHat = AlignedFloats(mPad)
    let h = UnsafeMutableRawPointer(hiddenRow).assumingMemoryBound(to: Float.self)
    var fired = [Int](repeating: 0, count: d)
    var errSum = 0.0
    var l0Sum = 0
    var l1Sum = 0.0
    var modelSum = 0.0
    var splicedSum = 0.0
    let zero = SIMD8<Float>(repeating: 0)

    for _ in 0..<samples {
      if !drawSample(&rng, x: x.base) {
        // h = 0 (drawSample leaves h untouched when no feature is active).
        for c in 0..<mChunks { hiddenRow[c] = zero }
      }
      // z = ReLU(W_enc (h − b_dec) + b_enc), latents in lanes.
      for c in 0..<dChunks { z.base.setVec(c * 8, bEncP.base.vec(c * 8)) }
      for i in 0..<m {
        let ci = SIMD8<Float>(repeating: h[i] - bDec[i])
        let col = encT.base + i * dPad
        for c in 0..<dChunks {
          z.base.setVec(c * 8, z.base.vec(c * 8).plusProduct(ci, col.vec(c * 8)))
        }
      }
      for c in 0..<dChunks {
        let v = z.base.vec(c * 8)
        z.base.setVec(c * 8, v.replacing(with: 0, where: v .<= 0))
      }
      // ĥ = W_dec z + b_dec over the active latents.
      for c in 0..<mChunks { hHat.base.setVec(c * 8, bDecP.base.vec(c * 8)) }
      for j in 0..<d where z[j] > 0 {
        fired[j] += 1
        l0Sum += 1
        l1Sum += Double(z[j])
        let zj = SIMD8<Float>(repeating: z[j])
        let col = decP.base + j * mPad
        for c in 0..<mChunks {
          hHat.base.setVec(c * 8, hHat.base.vec(c * 8).plusProduct(zj, col.vec(c * 8)))
        }
      }
      var e = zero
      for c in 0..<mChunks {
        let r = hHat.base.vec(c * 8) - hiddenRow[c]
        e = e.plusProduct(r, r)
      }
      errSum += Double(e.sum())
      modelSum += outputLoss(hidden: h, x: x.base)
      splicedSum += outputLoss(hidden: hHat.base, x: x.base)
    }
    let s = Double(max(1, samples))
    return SAEEvaluation(
      reconstruction: errSum / s, l0: Double(l0Sum) / s, l1: l1Sum / s,
      firing: fired.map { Double($0) / s }, modelLoss: modelSum / (s * Double(n)),
      splicedLoss: splicedSum / (s * Double(n)), samples: samples)
  }

  /// Σ_i I_i (y_i − t_i)² for one sample: y = σ_o(W₂ h + b), t = x (|x| for abs).
  func outputLoss(hidden h: UnsafeMutablePointer<Float>, x: UnsafeMutablePointer<Float>)
    -> Double
  {
    let out = modelOut.base
    var loss = SIMD8<Float>(repeating: 0)
    for c in 0..<chunks {
      var o = modelBias.base.vec(c * 8)
      for j in 0..<m where h[j] != 0 {
        o = o.plusProduct(SIMD8(repeating: h[j]), out.vec(j * nPad + c * 8))
      }
      if kind.outputReLU { o = o.replacing(with: 0, where: o .< 0) }
      var t = x.vec(c * 8)
      if kind.signedInputs { t = t.replacing(with: -t, where: t .< 0) }
      let diff = o - t
      loss = loss.plusProduct(importance.base.vec(c * 8) * diff, diff)
    }
    return Double(loss.sum())
  }
}
