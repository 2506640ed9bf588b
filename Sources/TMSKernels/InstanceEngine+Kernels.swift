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
    let weighted = useTinyKernel ? tinyKernel() : useSmallKernel ? smallKernel() : largeKernel()
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

  /// Features in SIMD lanes, four samples at a time (a small GEMM micro-kernel: each weight
  /// vector loaded feeds four samples). The encoder visits only the non-zero x_i (most are
  /// zero in sparse instances), and decoder chunks whose ∂ℓ/∂out is zero for all four samples
  /// (ReLU off, common once the bias is negative) are skipped in the backward pass.
  private func largeKernel() -> Double {
    let m = self.m
    let nPad = self.nPad
    let chunks = self.chunks
    let tied = kind.tied
    let hiddenReLU = kind.hiddenReLU
    let outputReLU = kind.outputReLU
    let signed = kind.signedInputs
    let w2p = tied ? w1.base : w2.base
    let g2p = tied ? g1.base : g2.base
    let bp = b.base
    let gbp = gb.base
    let ip = importance.base
    let cp = coefficient.base
    let xs = x.base
    let zeroRow = zeroRowBuffer.base
    // Scratch: pre[4][mPad], dpre[4][mPad], h[4][m], dout[4][nPad]; active lists [4][nPad].
    let mPad = self.mPad
    let mChunks = mPad / 8
    let pre = scratch.base
    let dpre = pre + 4 * mPad
    let h = dpre + 4 * mPad
    let dout = scratch.base + scratchDoutOffset
    let wfp = wf.base
    let gfp = gf.base
    let active = activeLists
    var activeCount = (0, 0, 0, 0)
    let nonzero = nonzeroChunks
    let zero = SIMD8<Float>(repeating: 0)
    let laneBits = SIMD8<UInt32>(1, 2, 4, 8, 16, 32, 64, 128)
    var lossV = zero

    var s0 = 0
    while s0 < batch {
      let count = min(4, batch - s0)
      let r0 = xs + s0 * nPad
      let r1 = count > 1 ? r0 + nPad : zeroRow
      let r2 = count > 2 ? r0 + 2 * nPad : zeroRow
      let r3 = count > 3 ? r0 + 3 * nPad : zeroRow
      let rows = (r0, r1, r2, r3)
      for q in 0..<4 {
        let row = q == 0 ? rows.0 : q == 1 ? rows.1 : q == 2 ? rows.2 : rows.3
        let list = active + q * nPad
        var count = 0
        for c in 0..<chunks {
          let xc = row.vec(c * 8)
          if !any(xc .!= zero) { continue }
          // Bitmask of the non-zero lanes, then one iteration per set bit.
          var bits = SIMD8<UInt32>(repeating: 0).replacing(with: laneBits, where: xc .!= zero)
            .wrappedSum()
          while bits != 0 {
            list[count] = Int32(c * 8 + bits.trailingZeroBitCount)
            count &+= 1
            bits &= bits &- 1
          }
        }
        switch q {
        case 0: activeCount.0 = count
        case 1: activeCount.1 = count
        case 2: activeCount.2 = count
        default: activeCount.3 = count
        }
        let pq = pre + q * mPad
        if mChunks <= 4 {
          // Up to 32 hidden units: the accumulators stay in registers.
          var a0 = zero
          var a1 = zero
          var a2 = zero
          var a3 = zero
          for a in 0..<count {
            let i = Int(list[a])
            let xi = SIMD8<Float>(repeating: row[i])
            let wi = wfp + i * mPad
            a0 = a0.plusProduct(xi, wi.vec(0))
            if mChunks > 1 { a1 = a1.plusProduct(xi, wi.vec(8)) }
            if mChunks > 2 { a2 = a2.plusProduct(xi, wi.vec(16)) }
            if mChunks > 3 { a3 = a3.plusProduct(xi, wi.vec(24)) }
          }
          pq.setVec(0, a0)
          if mChunks > 1 { pq.setVec(8, a1) }
          if mChunks > 2 { pq.setVec(16, a2) }
          if mChunks > 3 { pq.setVec(24, a3) }
        } else {
          for jc in 0..<mChunks { pq.setVec(jc * 8, zero) }
          for a in 0..<count {
            let i = Int(list[a])
            let xi = SIMD8<Float>(repeating: row[i])
            let wi = wfp + i * mPad
            for jc in 0..<mChunks {
              pq.setVec(jc * 8, pq.vec(jc * 8).plusProduct(xi, wi.vec(jc * 8)))
            }
          }
        }
        let hq = h + q * m
        for j in 0..<m { hq[j] = hiddenReLU ? max(pq[j], 0) : pq[j] }
      }
      let h0 = h
      let h1 = h + m
      let h2 = h + 2 * m
      let h3 = h + 3 * m
      let mask1: Float = count > 1 ? 1 : 0
      let mask2: Float = count > 2 ? 1 : 0
      let mask3: Float = count > 3 ? 1 : 0
      var nz = 0
      for c in 0..<chunks {
        let off = c * 8
        let bias = bp.vec(off)
        var o0 = bias
        var o1 = bias
        var o2 = bias
        var o3 = bias
        for j in 0..<m {
          let w = w2p.vec(j * nPad + off)
          o0 = o0.plusProduct(SIMD8(repeating: h0[j]), w)
          o1 = o1.plusProduct(SIMD8(repeating: h1[j]), w)
          o2 = o2.plusProduct(SIMD8(repeating: h2[j]), w)
          o3 = o3.plusProduct(SIMD8(repeating: h3[j]), w)
        }
        let imp = ip.vec(off)
        let coef = cp.vec(off)
        @inline(__always) func grad(_ o: SIMD8<Float>, _ xc: SIMD8<Float>, _ mask: Float)
          -> SIMD8<Float>
        {
          let t = signed ? xc.replacing(with: -xc, where: xc .< 0) : xc
          let y = outputReLU ? o.replacing(with: 0, where: o .< 0) : o
          let diff = (y - t) * mask
          lossV += imp * diff * diff
          let d = coef * diff
          return outputReLU ? d.replacing(with: 0, where: o .<= 0) : d
        }
        let d0 = grad(o0, rows.0.vec(off), 1)
        let d1 = grad(o1, rows.1.vec(off), mask1)
        let d2 = grad(o2, rows.2.vec(off), mask2)
        let d3 = grad(o3, rows.3.vec(off), mask3)
        dout.setVec(off, d0)
        dout.setVec(nPad + off, d1)
        dout.setVec(2 * nPad + off, d2)
        dout.setVec(3 * nPad + off, d3)
        let dsum = (d0 + d1) + (d2 + d3)
        if any((d0 .!= zero) .| (d1 .!= zero) .| (d2 .!= zero) .| (d3 .!= zero)) {
          gbp.setVec(off, gbp.vec(off) + dsum)
          nonzero[nz] = Int32(off)
          nz += 1
        }
      }
      for j in 0..<m {
        var a0 = zero
        var a1 = zero
        var a2 = zero
        var a3 = zero
        let hj0 = SIMD8(repeating: h0[j])
        let hj1 = SIMD8(repeating: h1[j])
        let hj2 = SIMD8(repeating: h2[j])
        let hj3 = SIMD8(repeating: h3[j])
        let wr = w2p + j * nPad
        let gr = g2p + j * nPad
        for q in 0..<nz {
          let off = Int(nonzero[q])
          let w = wr.vec(off)
          let d0 = dout.vec(off)
          let d1 = dout.vec(nPad + off)
          let d2 = dout.vec(2 * nPad + off)
          let d3 = dout.vec(3 * nPad + off)
          a0 = a0.plusProduct(w, d0)
          a1 = a1.plusProduct(w, d1)
          a2 = a2.plusProduct(w, d2)
          a3 = a3.plusProduct(w, d3)
          let g = gr.vec(off).plusProduct(hj0, d0).plusProduct(hj1, d1)
          gr.setVec(off, g.plusProduct(hj2, d2).plusProduct(hj3, d3))
        }
        let g0 = a0.sum()
        let g1v = a1.sum()
        let g2v = a2.sum()
        let g3v = a3.sum()
        dpre[j] = hiddenReLU && pre[j] <= 0 ? 0 : g0
        dpre[mPad + j] = hiddenReLU && pre[mPad + j] <= 0 ? 0 : g1v
        dpre[2 * mPad + j] = hiddenReLU && pre[2 * mPad + j] <= 0 ? 0 : g2v
        dpre[3 * mPad + j] = hiddenReLU && pre[3 * mPad + j] <= 0 ? 0 : g3v
      }
      for q in 0..<count {
        let row = q == 0 ? rows.0 : q == 1 ? rows.1 : q == 2 ? rows.2 : rows.3
        let list = active + q * nPad
        let dq = dpre + q * mPad
        let cnt =
          q == 0 ? activeCount.0 : q == 1 ? activeCount.1 : q == 2 ? activeCount.2 : activeCount.3
        for a in 0..<cnt {
          let i = Int(list[a])
          let xi = SIMD8<Float>(repeating: row[i])
          let gi = gfp + i * mPad
          for jc in 0..<mChunks {
            gi.setVec(jc * 8, gi.vec(jc * 8).plusProduct(xi, dq.vec(jc * 8)))
          }
        }
      }
      s0 += 4
    }
    return Double(lossV.sum())
  }

  /// wf[i·mPad + j] = W₁_{j,i}: the encoder in feature-major order, so an active feature's
  /// whole direction is a few SIMD loads.
  private func transposeEncoder() {
    for i in 0..<n {
      for j in 0..<m { wf[i * mPad + j] = w1[j * nPad + i] }
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
