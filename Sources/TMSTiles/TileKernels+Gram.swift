import TMSKernelBase

/// The kernel for tied models without a hidden nonlinearity (linear, relu-output) at sparse
/// inputs, through the Gram matrix G = WᵀW.
///
/// out_s = WᵀW x_s + b = G x_s + b, so with k active inputs a sample's forward pass is k
/// rows of G (k·n multiply-adds) instead of W x_s and Wᵀh_s (2·n·m). The gradient goes back
/// through G likewise: with d_s = ∂ℓ/∂out_s and f(W) = d_sᵀWᵀW x_s,
///   ∂f/∂W = (W x_s) d_sᵀ + (W d_s) x_sᵀ,   so   ∂ℓ/∂W = W (A + Aᵀ),   A = Σ_s x_s d_sᵀ,
/// where A (n×n) gains k rows per sample (k·n multiply-adds). Per step G and W(A + Aᵀ) cost
/// n²m each, shared by the whole batch. Per sample that is about 2·k·n + 2·n²m/B against the
/// tiled kernel's 5·n·m, a win when k is well below m; the engine's `prefersGram` chooses.
extension TileKernels {
  /// One step's forward and backward pass for `job` through G = WᵀW (tied, no hidden
  /// ReLU); returns Σ_s Σ_i I_i (y_i − t_i)². ∂ℓ/∂W arrives in two parts, W A hidden-major in
  /// the encoder gradient and W Aᵀ feature-major in its feature-major copy.
  package static func gramStep(_ job: TileJob) -> Double {
    let n = job.n
    let m = job.m
    let nPad = job.nPad
    let mPad = job.mPad
    let batch = job.batch
    let chunks = nPad / 8
    let outputReLU = job.outputReLU
    let g = job.gram
    let a = job.gramA
    let w = job.encoder
    let wf = job.encoderFeatureMajor
    let bp = job.bias
    let gbp = job.biasGradient
    let ip = job.importance
    let cp = job.coefficient
    let xs = job.inputs
    let flags = job.chunkFlags
    let list = job.activeLists
    let d = job.scratch
    let zero = SIMD8<Float>(repeating: 0)
    var lossV = zero

    // G = WᵀW.
    g.update(repeating: 0, count: n * nPad)
    a.update(repeating: 0, count: n * nPad)
    for c in 0..<chunks { flags[c] = 1 }
    Self.addOuterProducts(
      into: g, rows: n, nPad: nPad, samples: m, left: w, leftStride: nPad, right: w,
      flags: flags)

    for s in 0..<batch {
      let row = xs + s * nPad
      var k = 0
      for c in 0..<chunks {
        if !anyLane(row.vec(c * 8) .!= zero) { continue }
        for i in (c * 8)..<(c * 8 + 8) {
          list[k] = Int32(i)
          k &+= row[i] != 0 ? 1 : 0
        }
      }
      // out = b + Σ_active x_i G[i, :], then d = ∂ℓ/∂out, four lane blocks at a time.
      var c = 0
      while c < chunks {
        let width = min(4, chunks - c)
        let o0 = c * 8
        var acc0 = bp.vec(o0)
        var acc1 = width > 1 ? bp.vec(o0 + 8) : zero
        var acc2 = width > 2 ? bp.vec(o0 + 16) : zero
        var acc3 = width > 3 ? bp.vec(o0 + 24) : zero
        if width == 4 {
          for q in 0..<k {
            let i = Int(list[q])
            let xi = SIMD8<Float>(repeating: row[i])
            let gi = g + i * nPad + o0
            acc0 = acc0.plusProduct(xi, gi.vec(0))
            acc1 = acc1.plusProduct(xi, gi.vec(8))
            acc2 = acc2.plusProduct(xi, gi.vec(16))
            acc3 = acc3.plusProduct(xi, gi.vec(24))
          }
        } else {
          for q in 0..<k {
            let i = Int(list[q])
            let xi = SIMD8<Float>(repeating: row[i])
            let gi = g + i * nPad + o0
            acc0 = acc0.plusProduct(xi, gi.vec(0))
            if width > 1 { acc1 = acc1.plusProduct(xi, gi.vec(8)) }
            if width > 2 { acc2 = acc2.plusProduct(xi, gi.vec(16)) }
          }
        }
        @inline(__always) func finish(_ off: Int, _ o: SIMD8<Float>) {
          let target = row.vec(off)
          let y = outputReLU ? o.replacing(with: 0, where: o .< 0) : o
          let diff = y - target
          lossV += ip.vec(off) * diff * diff
          var e = cp.vec(off) * diff
          if outputReLU { e = e.replacing(with: 0, where: o .<= 0) }
          d.setVec(off, e)
          gbp.setVec(off, gbp.vec(off) + e)
        }
        finish(o0, acc0)
        if width > 1 { finish(o0 + 8, acc1) }
        if width > 2 { finish(o0 + 16, acc2) }
        if width > 3 { finish(o0 + 24, acc3) }
        c += width
      }
      // A[i, :] += x_i d for the active i, four lane blocks at a time.
      c = 0
      while c < chunks {
        let width = min(4, chunks - c)
        let o0 = c * 8
        if width == 4 {
          let d0 = d.vec(o0)
          let d1 = d.vec(o0 + 8)
          let d2 = d.vec(o0 + 16)
          let d3 = d.vec(o0 + 24)
          for q in 0..<k {
            let i = Int(list[q])
            let xi = SIMD8<Float>(repeating: row[i])
            let ai = a + i * nPad + o0
            ai.setVec(0, ai.vec(0).plusProduct(xi, d0))
            ai.setVec(8, ai.vec(8).plusProduct(xi, d1))
            ai.setVec(16, ai.vec(16).plusProduct(xi, d2))
            ai.setVec(24, ai.vec(24).plusProduct(xi, d3))
          }
        } else {
          for q in 0..<k {
            let i = Int(list[q])
            let xi = SIMD8<Float>(repeating: row[i])
            let ai = a + i * nPad + o0
            for l in 0..<width {
              ai.setVec(l * 8, ai.vec(l * 8).plusProduct(xi, d.vec(o0 + l * 8)))
            }
          }
        }
        c += width
      }
    }

    // ∂ℓ/∂W = W A + W Aᵀ: the first hidden-major into g1, the second feature-major
    // ((A Wᵀ)[i, j] = Σ_i' A[i, i'] W[j, i']) into gf, which lossAndGradients adds to g1.
    Self.addOuterProducts(
      into: job.encoderGradient, rows: m, nPad: nPad, samples: n, left: wf, leftStride: mPad,
      right: a, flags: flags)
    let zeroRow = job.zeroRow
    var i0 = 0
    while i0 < n {
      let count = min(4, n - i0)
      let r0 = a + i0 * nPad
      Self.multiplyFour(
        rows: (
          r0, count > 1 ? r0 + nPad : zeroRow, count > 2 ? r0 + 2 * nPad : zeroRow,
          count > 3 ? r0 + 3 * nPad : zeroRow
        ), count: count, weights: wf, nPad: nPad, mPad: mPad,
        out: job.encoderGradientFeatureMajor + i0 * mPad)
      i0 += 4
    }
    return Double(lossV.sum())
  }
}
