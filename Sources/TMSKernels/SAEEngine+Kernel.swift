import TMSKernelBase

/// The SAE's forward and backward pass with hand-derived gradients.
///
/// Per sample, with c = h − b_dec, pre = W_enc c + b_enc, z = ReLU(pre), ĥ = W_dec z + b_dec,
/// r = ĥ − h, and the batch loss L = (1/B) Σ_s (‖r_s‖² + λ Σ_j z_sj):
///   ∂L/∂ĥ = (2/B) r,   ∂L/∂W_dec[i, j] = Σ_s (2/B) r_si z_sj,
///   ∂L/∂z_j = (2/B) (W_dec[:, j]·r + λ/2),   δ_j = ∂L/∂pre_j = ∂L/∂z_j · [pre_j > 0],
///   ∂L/∂W_enc[j, i] = Σ_s δ_sj c_si,   ∂L/∂b_enc = Σ_s δ_s,
///   ∂L/∂b_dec = Σ_s (2/B) r_s − W_encᵀ Σ_s δ_s   (b_dec enters ĥ directly and c negated).
/// ReLU'(0) is taken as 0, as PyTorch does. Samples run eight to a SIMD vector (no horizontal
/// sums until the end), only those with h ≠ 0; the h = 0 samples share one pass, weighted by
/// their count.
extension SAEEngine {
  /// Runs the pass on the current batch, leaving ∂L/∂θ in the gradient buffers, each sample's
  /// ‖r‖² in ``sampleError`` (packed) and ``zeroError``, and the fire counts in
  /// ``fireCount``. Returns (L, the mean ‖h − ĥ‖², the mean number of active latents).
  package func lossAndGradients() -> (loss: Double, reconstruction: Double, l0: Double) {
    let m = self.m
    let d = self.d
    let dm = d * m
    let cap = capacity
    let we = wEnc.base
    let wd = wDec.base
    let be = bEnc.base
    let bd = bDec.base
    let hp = packed.base
    let errs = sampleError.base
    let accEnc = lanes
    let accDec = accEnc + dm
    let accBEnc = accDec + dm
    let count = accBEnc + d
    let z = count + d
    let c = z + 2 * d
    let r = c + m
    let accBDec = r + m
    let zero = SIMD8<Float>(repeating: 0)
    let one = SIMD8<Float>(repeating: 1)
    for k in 0..<laneCount { lanes[k] = zero }
    let halfLambda = SIMD8<Float>(repeating: lambda / 2)
    let laneIndex = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
    var errV = zero
    var l1V = zero

    var off = 0
    while off < nonzeroCount {
      let valid =
        laneIndex .< SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: nonzeroCount - off))
      let mask = zero.replacing(with: one, where: valid)
      for i in 0..<m { c[i] = hp.vec(i * cap + off) - SIMD8(repeating: bd[i]) }
      for j in 0..<d {
        var acc = SIMD8<Float>(repeating: be[j])
        let row = we + j * m
        for i in 0..<m { acc = acc.plusProduct(SIMD8(repeating: row[i]), c[i]) }
        let zj = acc.replacing(with: 0, where: acc .<= 0) * mask
        z[j] = zj
        l1V += zj
        count[j] += one.replacing(with: 0, where: zj .<= 0)
      }
      var e = zero
      for i in 0..<m {
        var acc = SIMD8<Float>(repeating: bd[i])
        for j in 0..<d { acc = acc.plusProduct(SIMD8(repeating: wd[j * m + i]), z[j]) }
        let ri = (acc - hp.vec(i * cap + off)) * mask
        r[i] = ri
        e = e.plusProduct(ri, ri)
        accBDec[i] += ri
      }
      errs.setVec(off, e)
      errV += e
      for j in 0..<d {
        let zj = z[j]
        let col = wd + j * m
        let accD = accDec + j * m
        var dz = halfLambda
        for i in 0..<m {
          let ri = r[i]
          dz = dz.plusProduct(SIMD8(repeating: col[i]), ri)
          accD[i] = accD[i].plusProduct(ri, zj)
        }
        let delta = dz.replacing(with: 0, where: zj .<= 0)
        accBEnc[j] += delta
        let accE = accEnc + j * m
        for i in 0..<m { accE[i] = accE[i].plusProduct(delta, c[i]) }
      }
      off += 8
    }

    // The h = 0 samples: one pass in Double, weighted by their count.
    let zc = Double(zeroCount)
    var errSum = Double(errV.sum())
    var l1Sum = Double(l1V.sum())
    let g = 2.0 / Double(batch)
    let ge = gEnc.base
    let gd = gDec.base
    let gbe = gBEnc.base
    let gbd = gBDec.base
    for j in 0..<d {
      for i in 0..<m {
        ge[j * m + i] = Float(Double(accEnc[j * m + i].sum()))
        gd[j * m + i] = Float(Double(accDec[j * m + i].sum()))
      }
      gbe[j] = accBEnc[j].sum()
      fireCount[j] = Int(count[j].sum())
    }
    for i in 0..<m { gbd[i] = accBDec[i].sum() }
    zeroError = 0
    if zeroCount > 0 {
      let c0 = zeroPass
      let z0 = c0 + m
      let r0 = z0 + d
      for i in 0..<m { c0[i] = -Double(bd[i]) }
      for j in 0..<d {
        var acc = Double(be[j])
        for i in 0..<m { acc += Double(we[j * m + i]) * c0[i] }
        z0[j] = max(0, acc)
      }
      var e0 = 0.0
      for i in 0..<m {
        var acc = Double(bd[i])
        for j in 0..<d { acc += Double(wd[j * m + i]) * z0[j] }
        r0[i] = acc
        e0 += acc * acc
      }
      zeroError = e0
      errSum += zc * e0
      for j in 0..<d {
        l1Sum += zc * z0[j]
        guard z0[j] > 0 else { continue }
        fireCount[j] += zeroCount
        var dz = Double(lambda) / 2
        for i in 0..<m {
          dz += Double(wd[j * m + i]) * r0[i]
          gd[j * m + i] += Float(zc * r0[i] * z0[j])
        }
        gbe[j] += Float(zc * dz)
        for i in 0..<m { ge[j * m + i] += Float(zc * dz * c0[i]) }
      }
      for i in 0..<m { gbd[i] += Float(zc * r0[i]) }
    }
    // Scale by 2/B; then b_dec's gradient through c: −W_encᵀ ∂L/∂b_enc.
    let gf = Float(g)
    for k in 0..<dm {
      ge[k] *= gf
      gd[k] *= gf
    }
    for j in 0..<d { gbe[j] *= gf }
    for i in 0..<m {
      var through = Float(0)
      for j in 0..<d { through += we[j * m + i] * gbe[j] }
      gbd[i] = gbd[i] * gf - through
    }
    let fired = fireCount.reduce(0, +)
    let b = Double(batch)
    return ((errSum + Double(lambda) * l1Sum) / b, errSum / b, Double(fired) / b)
  }
}
