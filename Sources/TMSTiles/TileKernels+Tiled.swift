import TMSKernelBase

/// The tiled kernel, for models too large for samples in lanes (n·m > 256): features in SIMD
/// lanes, samples in tiles of ``TileJob/tileSamples``, and the three dense products of a step as
/// small register-blocked matrix products.
///
/// Per tile of T samples, with H (T×m) the hidden activations and D (T×n) = ∂ℓ/∂out:
/// 1. encoder: pre_s = W₁x_s over the non-zero x_i only (most are zero in sparse
///    instances), or for dense inputs four samples at a time (``multiplyFour``),
///    h_s = σ_h(pre_s);
/// 2. decoder: OUT = H·W₂ᵀ + b, four samples × two feature chunks per pass (8 accumulators,
///    each W₂ load feeding four samples, each broadcast h feeding two chunks), then y, the
///    loss and D (∂ℓ/∂out, as the engine's `lossAndGradients()` derives it);
/// 3. ∂ℓ/∂H = D·W₂ (``multiplyFour`` with W₂ feature-major), skipping feature chunks where D
///    is zero for all four samples (the output ReLU is off, common once biases are negative);
/// 4. ∂ℓ/∂W₂ += Hᵀ·D (``addOuterProducts``): each gradient element read and written once per
///    tile, not once per sample, skipping chunks where D is zero for the whole tile;
/// 5. ∂ℓ/∂W₁ += (∂ℓ/∂pre)ᵀ·X over the non-zero x_i, feature-major, or for dense inputs as
///    another ``addOuterProducts``.
/// Tied models accumulate 4 and 5 into the same gradient.
extension TileKernels {
  /// One step's forward and backward pass for `job`; returns Σ_s Σ_i I_i (y_i − t_i)².
  package static func tiledStep(_ job: TileJob) -> Double {
    let m = job.m
    let nPad = job.nPad
    let mPad = job.mPad
    let batch = job.batch
    let chunks = nPad / 8
    let mChunks = mPad / 8
    let hiddenReLU = job.hiddenReLU
    let dense = job.denseInputs
    let g2p = job.decoderGradient
    let g1p = job.encoderGradient
    let xs = job.inputs
    let wfp = job.encoderFeatureMajor
    let gfp = job.encoderGradientFeatureMajor
    let zeroRow = job.zeroRow
    let tile = TileJob.tileSamples
    let (dout, hT, preT, dpreT, _) = job.tileScratch
    let active = job.activeLists
    let counts = job.activeCounts
    let tileNZ = job.chunkFlags
    let inputNZ = job.chunkFlags + chunks
    let zero = SIMD8<Float>(repeating: 0)
    let laneBits = SIMD8<UInt32>(1, 2, 4, 8, 16, 32, 64, 128)
    var lossV = zero

    var s0 = 0
    while s0 < batch {
      let t = min(tile, batch - s0)
      let x0 = xs + s0 * nPad
      @inline(__always) func fourRows(_ base: UnsafeMutablePointer<Float>, _ g: Int, _ cnt: Int)
        -> (
          UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
          UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>
        )
      {
        let r0 = base + g * nPad
        return (
          r0, cnt > 1 ? r0 + nPad : zeroRow, cnt > 2 ? r0 + 2 * nPad : zeroRow,
          cnt > 3 ? r0 + 3 * nPad : zeroRow
        )
      }

      // 1. Encoder.
      if dense {
        var g = 0
        while g < t {
          let cnt = min(4, t - g)
          Self.multiplyFour(
            rows: fourRows(x0, g, cnt), count: cnt, weights: wfp, nPad: nPad, mPad: mPad,
            out: preT + g * mPad)
          g += 4
        }
        for c in 0..<chunks {
          var seen = SIMDMask<SIMD8<Int32>>(repeating: false)
          for s in 0..<t { seen .|= x0.vec(s * nPad + c * 8) .!= zero }
          inputNZ[c] = anyLane(seen) ? 1 : 0
        }
      } else {
        for s in 0..<t {
          let row = x0 + s * nPad
          let list = active + s * nPad
          var count = 0
          for c in 0..<chunks {
            let xc = row.vec(c * 8)
            if !anyLane(xc .!= zero) { continue }
            var bits = SIMD8<UInt32>(repeating: 0).replacing(with: laneBits, where: xc .!= zero)
              .wrappedSum()
            while bits != 0 {
              list[count] = Int32(c * 8 + bits.trailingZeroBitCount)
              count &+= 1
              bits &= bits &- 1
            }
          }
          counts[s] = Int32(count)
          Self.sumActiveRows(
            list: list, count: count, inputs: row, weights: wfp, mPad: mPad,
            out: preT + s * mPad)
        }
      }
      for s in 0..<t {
        let pq = preT + s * mPad
        let hq = hT + s * mPad
        for jc in 0..<mChunks {
          let v = pq.vec(jc * 8)
          hq.setVec(jc * 8, hiddenReLU ? v.replacing(with: 0, where: v .< 0) : v)
        }
      }
      for c in 0..<chunks { tileNZ[c] = 0 }

      // 2–3. Decoder, ∂ℓ/∂out and ∂ℓ/∂h, four samples at a time.
      var g = 0
      while g < t {
        lossV = Self.decodeFour(job, tile: x0, first: g, count: min(4, t - g), loss: lossV)
        g += 4
      }

      // 4–5. Weight gradients over the whole tile.
      Self.addOuterProducts(
        into: g2p, rows: m, nPad: nPad, samples: t, left: hT, leftStride: mPad, right: dout,
        flags: tileNZ)
      if dense {
        Self.addOuterProducts(
          into: g1p, rows: m, nPad: nPad, samples: t, left: dpreT, leftStride: mPad, right: x0,
          flags: inputNZ)
      } else {
        for s in 0..<t {
          let row = x0 + s * nPad
          let list = active + s * nPad
          let dq = dpreT + s * mPad
          let count = Int(counts[s])
          var a = 0
          while a < count {
            let i = Int(list[a])
            let xi = SIMD8<Float>(repeating: row[i])
            let gi = gfp + i * mPad
            for jc in 0..<mChunks {
              gi.setVec(jc * 8, gi.vec(jc * 8).plusProduct(xi, dq.vec(jc * 8)))
            }
            a &+= 1
          }
        }
      }
      s0 += t
    }
    return Double(lossV.sum())
  }
  /// Steps 2–3 for samples `first ..< first + count` (count ≤ 4) of the tile starting at
  /// `x0`: OUT = H·W₂ᵀ + b, then y, the loss, D = ∂ℓ/∂out and ∂ℓ/∂b (``OutputBlock``), then
  /// ∂ℓ/∂pre = (D·W₂)·σ_h′. Returns `loss` plus the group's loss terms. Its own function: in
  /// one with the whole step, Swift's inliner gave up on the helpers (over its caller-size
  /// limit, `@inline(__always)` or not), leaving a call per lane block.
  static func decodeFour(
    _ job: TileJob, tile x0: UnsafeMutablePointer<Float>, first g: Int, count cnt: Int,
    loss: SIMD8<Float>
  ) -> SIMD8<Float> {
    let m = job.m
    let nPad = job.nPad
    let mPad = job.mPad
    let chunks = nPad / 8
    let mChunks = mPad / 8
    let (dout, hT, preT, dpreT, zeroH) = job.tileScratch
    let zeroRow = job.zeroRow
    let bp = job.bias
    let w2p = job.decoder
    let w2f = job.decoderFeatureMajor
    let hiddenReLU = job.hiddenReLU
    var lossV = loss
    let r0 = x0 + g * nPad
    let r = (
      r0, cnt > 1 ? r0 + nPad : zeroRow, cnt > 2 ? r0 + 2 * nPad : zeroRow,
      cnt > 3 ? r0 + 3 * nPad : zeroRow
    )
    let h0 = hT + g * mPad
    let h1 = cnt > 1 ? h0 + mPad : zeroH
    let h2 = cnt > 2 ? h0 + 2 * mPad : zeroH
    let h3 = cnt > 3 ? h0 + 3 * mPad : zeroH
    let d0 = dout + g * nPad
    let d1 = d0 + nPad
    let d2 = d0 + 2 * nPad
    let d3 = d0 + 3 * nPad
    let mask1: Float = cnt > 1 ? 1 : 0
    let mask2: Float = cnt > 2 ? 1 : 0
    let mask3: Float = cnt > 3 ? 1 : 0

    let out = OutputBlock(
      importance: job.importance, coefficient: job.coefficient, signed: job.signedInputs,
      outputReLU: job.outputReLU,
      rows: r, masks: (1, mask1, mask2, mask3), gradients: (d0, d1, d2, d3),
      biasGradient: job.biasGradient, flags: job.chunkFlags)

    var c = 0
    while Self.twoChunkPasses && c + 1 < chunks {
      let offA = c * 8
      let offB = offA + 8
      var a0 = bp.vec(offA)
      var a1 = a0
      var a2 = a0
      var a3 = a0
      var b0 = bp.vec(offB)
      var b1 = b0
      var b2 = b0
      var b3 = b0
      for j in 0..<m {
        let wa = w2p.vec(j * nPad + offA)
        let wb = w2p.vec(j * nPad + offB)
        let e0 = SIMD8<Float>(repeating: h0[j])
        a0 = a0.plusProduct(e0, wa)
        b0 = b0.plusProduct(e0, wb)
        let e1 = SIMD8<Float>(repeating: h1[j])
        a1 = a1.plusProduct(e1, wa)
        b1 = b1.plusProduct(e1, wb)
        let e2 = SIMD8<Float>(repeating: h2[j])
        a2 = a2.plusProduct(e2, wa)
        b2 = b2.plusProduct(e2, wb)
        let e3 = SIMD8<Float>(repeating: h3[j])
        a3 = a3.plusProduct(e3, wa)
        b3 = b3.plusProduct(e3, wb)
      }
      lossV = out.finish(offA, a0, a1, a2, a3, lossV)
      lossV = out.finish(offB, b0, b1, b2, b3, lossV)
      c += 2
    }
    while c < chunks {
      let off = c * 8
      var a0 = bp.vec(off)
      var a1 = a0
      var a2 = a0
      var a3 = a0
      for j in 0..<m {
        let w = w2p.vec(j * nPad + off)
        a0 = a0.plusProduct(SIMD8(repeating: h0[j]), w)
        a1 = a1.plusProduct(SIMD8(repeating: h1[j]), w)
        a2 = a2.plusProduct(SIMD8(repeating: h2[j]), w)
        a3 = a3.plusProduct(SIMD8(repeating: h3[j]), w)
      }
      lossV = out.finish(off, a0, a1, a2, a3, lossV)
      c += 1
    }

    let dq = dpreT + g * mPad
    Self.multiplyFour(
      rows: (d0, d1, d2, d3), count: cnt, weights: w2f, nPad: nPad, mPad: mPad, out: dq)
    if hiddenReLU {
      let pq = preT + g * mPad
      for k in 0..<(cnt * mChunks) {
        let v = dq.vec(k * 8)
        dq.setVec(k * 8, v.replacing(with: 0, where: pq.vec(k * 8) .<= 0))
      }
    }
    return lossV
  }
}

/// The end of the decoder for four samples and one lane block: y = σ_o(out), the loss terms,
/// ∂ℓ/∂out into the tile's D rows and ∂ℓ/∂b, and the block's flag when any of it is non-zero.
/// Its methods must be inlined (a call per lane block passes eight vectors through memory:
/// 13% of a sparse 200→20 step): since Swift 5.9 `@inline(__always)` skips functions the
/// optimizer deems large, so from Swift 6.3 on they are `@inline(always)` (SE-0496), which
/// is a guarantee.
struct OutputBlock {
  let importance: UnsafeMutablePointer<Float>
  let coefficient: UnsafeMutablePointer<Float>
  let signed: Bool
  let outputReLU: Bool
  let rows:
    (
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
      UnsafeMutablePointer<Float>
    )
  let masks: (Float, Float, Float, Float)
  let gradients:
    (
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
      UnsafeMutablePointer<Float>
    )
  let biasGradient: UnsafeMutablePointer<Float>
  let flags: UnsafeMutablePointer<UInt8>

  /// ∂ℓ/∂out and the loss term I·(y − t)² of one lane block of one sample (`mask` 0 for
  /// the padding samples of a last, partial group).
  #if compiler(>=6.3)
    @inline(always)
  #else
    @inline(__always)
  #endif
  func gradient(_ o: SIMD8<Float>, _ xc: SIMD8<Float>, _ mask: Float, _ off: Int)
    -> (d: SIMD8<Float>, loss: SIMD8<Float>)
  {
    let tg = signed ? xc.replacing(with: -xc, where: xc .< 0) : xc
    let y = outputReLU ? o.replacing(with: 0, where: o .< 0) : o
    let diff = (y - tg) * mask
    let d = coefficient.vec(off) * diff
    return (
      outputReLU ? d.replacing(with: 0, where: o .<= 0) : d, importance.vec(off) * diff * diff
    )
  }

  /// Finishes the block at `off` for the four samples' outputs; returns `loss` plus their
  /// loss terms, added in sample order.
  #if compiler(>=6.3)
    @inline(always)
  #else
    @inline(__always)
  #endif
  func finish(
    _ off: Int, _ o0: SIMD8<Float>, _ o1: SIMD8<Float>, _ o2: SIMD8<Float>, _ o3: SIMD8<Float>,
    _ loss: SIMD8<Float>
  ) -> SIMD8<Float> {
    let zero = SIMD8<Float>(repeating: 0)
    let (e0, l0) = gradient(o0, rows.0.vec(off), masks.0, off)
    let (e1, l1) = gradient(o1, rows.1.vec(off), masks.1, off)
    let (e2, l2) = gradient(o2, rows.2.vec(off), masks.2, off)
    let (e3, l3) = gradient(o3, rows.3.vec(off), masks.3, off)
    gradients.0.setVec(off, e0)
    gradients.1.setVec(off, e1)
    gradients.2.setVec(off, e2)
    gradients.3.setVec(off, e3)
    let nonzero = anyLane((e0 .!= zero) .| (e1 .!= zero) .| (e2 .!= zero) .| (e3 .!= zero))
    biasGradient.setVec(off, biasGradient.vec(off) + ((e0 + e1) + (e2 + e3)))
    if nonzero { flags[off / 8] = 1 }
    return (((loss + l0) + l1) + l2) + l3
  }
}
