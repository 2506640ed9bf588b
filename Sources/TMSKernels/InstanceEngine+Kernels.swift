import TMSKernelBase

/// Forward and backward passes with hand-derived gradients.
///
/// With pre = W₁x, h = σ_h(pre), out = W₂h + b, y = σ_o(out), target t (x, or |x| for abs),
/// per-sample loss ℓ = (1/(B·n)) Σ_i I_i (y_i − t_i)²:
///   ∂ℓ/∂out_i = c_i (y_i − t_i) · [out_i > 0 if σ_o = ReLU],  c_i = 2 I_i/(B·n)
///   ∂ℓ/∂b_i   = ∂ℓ/∂out_i
///   ∂ℓ/∂W₂_{i,j} = ∂ℓ/∂out_i · h_j
///   ∂ℓ/∂h_j   = Σ_i W₂_{i,j} ∂ℓ/∂out_i,   ∂ℓ/∂pre_j = ∂ℓ/∂h_j · [pre_j > 0 if σ_h = ReLU]
///   ∂ℓ/∂W₁_{j,i} = ∂ℓ/∂pre_j · x_i
/// For tied models W₂ = W₁ᵀ and both terms land in the same gradient. ReLU'(0) is taken as 0,
/// as PyTorch does.
extension InstanceEngine {
  /// Runs the kernel on the current data buffer, leaving ∂loss/∂θ in g1, g2, gb.
  /// Returns the notebook-convention loss of the batch.
  package func lossAndGradients() -> Double {
    g1.zero()
    g2.zero()
    gb.zero()
    if !useSmallKernel { transposeEncoder() }
    let weighted =
      useTinyKernel
      ? tinyKernel() : useSmallKernel ? smallKernel() : useGram ? gramKernel() : tiledKernel()
    if !useSmallKernel { addEncoderGradient() }
    return weighted / (Double(batch) * Double(n))
  }

  /// Samples in SIMD lanes: eight samples per vector, features and hidden units in loops.
  /// Best when n·m is small (the intro 5→2): no horizontal sums, no wasted padding lanes.
  private func smallKernel() -> Double {
    let n = self.n
    let m = self.m
    let nPad = self.nPad
    let tied = kind.tied
    let hiddenReLU = kind.hiddenReLU
    let outputReLU = kind.outputReLU
    let signed = kind.signedInputs
    let w1p = w1.base
    let w2p = tied ? w1.base : w2.base
    let bp = b.base
    let ip = importance.base
    let cp = coefficient.base
    let xs = x.base
    let bPad = batchPad

    let accW1 = lanes
    let accW2 = tied ? lanes : lanes + m * n
    let xv = lanes + (tied ? 1 : 2) * m * n
    let dout = xv + n
    let accB = dout + n
    let pre = accB + n
    let h = pre + m
    let dpre = h + m
    let lossAcc = dpre + m
    let zero = SIMD8<Float>(repeating: 0)
    for k in 0..<((tied ? 1 : 2) * m * n) { lanes[k] = zero }
    for i in 0..<n { accB[i] = zero }
    lossAcc[0] = zero

    let blocks = bPad / 8
    for blk in 0..<blocks {
      let off = blk * 8
      var mask = SIMD8<Float>(repeating: 1)
      if off + 8 > batch {
        for l in 0..<8 where off + l >= batch { mask[l] = 0 }
      }
      for i in 0..<n { xv[i] = xs.vec(i * bPad + off) }
      for j in 0..<m {
        var acc = zero
        let row = w1p + j * nPad
        for i in 0..<n { acc = acc.plusProduct(SIMD8(repeating: row[i]), xv[i]) }
        pre[j] = acc
        h[j] = hiddenReLU ? acc.replacing(with: 0, where: acc .< 0) : acc
      }
      var lossV = lossAcc[0]
      for i in 0..<n {
        var o = SIMD8<Float>(repeating: bp[i])
        for j in 0..<m { o = o.plusProduct(SIMD8(repeating: w2p[j * nPad + i]), h[j]) }
        let xi = xv[i]
        let t = signed ? xi.replacing(with: -xi, where: xi .< 0) : xi
        let y = outputReLU ? o.replacing(with: 0, where: o .< 0) : o
        let diff = (y - t) * mask
        lossV += SIMD8(repeating: ip[i]) * diff * diff
        var d = SIMD8(repeating: cp[i]) * diff
        if outputReLU { d = d.replacing(with: 0, where: o .<= 0) }
        dout[i] = d
        accB[i] += d
      }
      lossAcc[0] = lossV
      for j in 0..<m {
        var acc = zero
        let hj = h[j]
        let row2 = w2p + j * nPad
        let accRow = accW2 + j * n
        for i in 0..<n {
          let d = dout[i]
          acc = acc.plusProduct(SIMD8(repeating: row2[i]), d)
          accRow[i] = accRow[i].plusProduct(hj, d)
        }
        dpre[j] = hiddenReLU ? acc.replacing(with: 0, where: pre[j] .<= 0) : acc
      }
      for j in 0..<m {
        let dp = dpre[j]
        let accRow = accW1 + j * n
        for i in 0..<n { accRow[i] = accRow[i].plusProduct(dp, xv[i]) }
      }
    }
    for j in 0..<m {
      for i in 0..<n {
        g1[j * nPad + i] = accW1[j * n + i].sum()
        if !tied { g2[j * nPad + i] = accW2[j * n + i].sum() }
      }
    }
    for i in 0..<n { gb[i] = accB[i].sum() }
    return Double(lossAcc[0].sum())
  }

  /// wf[i·mPad + j] = W₁_{j,i} (and wf2 from W₂ for `abs`): the weights in feature-major
  /// order for the tiled kernel's encoder and ∂ℓ/∂h.
  private func transposeEncoder() {
    for i in 0..<n {
      for j in 0..<m { wf[i * mPad + j] = w1[j * nPad + i] }
    }
    if !kind.tied {
      for i in 0..<n {
        for j in 0..<m { wf2[i * mPad + j] = w2[j * nPad + i] }
      }
    }
    gf.zero()
  }

  /// Adds the feature-major encoder gradient into g1 (hidden-major).
  private func addEncoderGradient() {
    for i in 0..<n {
      for j in 0..<m { g1[j * nPad + i] += gf[i * mPad + j] }
    }
  }
}
