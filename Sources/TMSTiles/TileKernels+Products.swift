import TMSKernelBase

/// The dense products of the tiled and Gram kernels as register-blocked micro-kernels.
extension TileKernels {
  /// Σ_s left_s[j]·right_s[i] added to `g[j·nPad + i]` for j < m and every feature chunk
  /// whose `flags` entry is non-zero: four rows j × two feature chunks accumulated in
  /// registers over all `samples`, so each element of g is read and written once.
  ///
  /// `left` rows (stride `leftStride`) hold H or ∂ℓ/∂pre per sample, `right` rows
  /// (stride `nPad`) hold ∂ℓ/∂out or x; `left` must have at least ⌈m/4⌉·4 readable, zero-
  /// padded columns.
  @inline(__always)
  static func addOuterProducts(
    into g: UnsafeMutablePointer<Float>, rows m: Int, nPad: Int, samples t: Int,
    left: UnsafeMutablePointer<Float>, leftStride: Int, right: UnsafeMutablePointer<Float>,
    flags: UnsafeMutablePointer<UInt8>
  ) {
    let chunks = nPad / 8
    let zero = SIMD8<Float>(repeating: 0)
    var j0 = 0
    while j0 < m {
      let js = min(4, m - j0)
      var c = 0
      while c < chunks {
        let two = twoChunkPasses && c + 1 < chunks
        guard flags[c] != 0 || (two && flags[c + 1] != 0) else {
          c += two ? 2 : 1
          continue
        }
        let offA = c * 8
        let offB = two ? offA + 8 : offA
        var a0 = zero
        var a1 = zero
        var a2 = zero
        var a3 = zero
        var b0 = zero
        var b1 = zero
        var b2 = zero
        var b3 = zero
        for s in 0..<t where !two {
          let da = (right + s * nPad).vec(offA)
          let ls = left + s * leftStride + j0
          a0 = a0.plusProduct(SIMD8(repeating: ls[0]), da)
          a1 = a1.plusProduct(SIMD8(repeating: ls[1]), da)
          a2 = a2.plusProduct(SIMD8(repeating: ls[2]), da)
          a3 = a3.plusProduct(SIMD8(repeating: ls[3]), da)
        }
        for s in 0..<t where two {
          let rs = right + s * nPad
          let da = rs.vec(offA)
          let db = rs.vec(offB)
          let ls = left + s * leftStride + j0
          let x0 = SIMD8<Float>(repeating: ls[0])
          let x1 = SIMD8<Float>(repeating: ls[1])
          let x2 = SIMD8<Float>(repeating: ls[2])
          let x3 = SIMD8<Float>(repeating: ls[3])
          a0 = a0.plusProduct(x0, da)
          a1 = a1.plusProduct(x1, da)
          a2 = a2.plusProduct(x2, da)
          a3 = a3.plusProduct(x3, da)
          b0 = b0.plusProduct(x0, db)
          b1 = b1.plusProduct(x1, db)
          b2 = b2.plusProduct(x2, db)
          b3 = b3.plusProduct(x3, db)
        }
        @inline(__always) func add(_ j: Int, _ a: SIMD8<Float>, _ b: SIMD8<Float>) {
          let gr = g + (j0 + j) * nPad
          gr.setVec(offA, gr.vec(offA) + a)
          if two { gr.setVec(offB, gr.vec(offB) + b) }
        }
        add(0, a0, b0)
        if js > 1 { add(1, a1, b1) }
        if js > 2 { add(2, a2, b2) }
        if js > 3 { add(3, a3, b3) }
        c += two ? 2 : 1
      }
      j0 += 4
    }
  }

  /// out_s[j] = Σ_i r_s[i]·w[i·mPad + j] for four rows r_s at once: W₁x_s (the encoder, w
  /// = W₁ feature-major) or W₂ᵀd_s (∂ℓ/∂h, w = W₂ feature-major). Hidden units in lanes,
  /// two hidden chunks per pass (eight accumulators: each weight load feeds four samples, each
  /// broadcast two chunks; three per pass ran out of AVX2's sixteen registers and measured
  /// 1.25× slower on 200→20), so no horizontal sum is needed; feature chunks where all four
  /// rows are zero are skipped. Writes `count` rows of `out` (stride mPad); the rows beyond
  /// `count` must be zero rows.
  @inline(__always)
  static func multiplyFour(
    rows r: (
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>
    ),
    count: Int, weights wf: UnsafeMutablePointer<Float>, nPad: Int, mPad: Int,
    out pre: UnsafeMutablePointer<Float>
  ) {
    let chunks = nPad / 8
    let mChunks = mPad / 8
    let zero = SIMD8<Float>(repeating: 0)
    var jc = 0
    while jc < mChunks {
      let left = mChunks - jc
      let width = wideRegisters ? min(3, left) : twoChunkPasses ? min(2, left) : 1
      let two = width >= 2
      let three = width == 3
      let jo = jc * 8
      var p0 = zero
      var p1 = zero
      var p2 = zero
      var p3 = zero
      var q0 = zero
      var q1 = zero
      var q2 = zero
      var q3 = zero
      var u0 = zero
      var u1 = zero
      var u2 = zero
      var u3 = zero
      for c in 0..<chunks {
        let off = c * 8
        let any4 =
          (r.0.vec(off) .!= zero) .| (r.1.vec(off) .!= zero)
          .| (r.2.vec(off) .!= zero) .| (r.3.vec(off) .!= zero)
        if !anyLane(any4) { continue }
        for l in 0..<8 {
          let i = off + l
          let wi = wf + i * mPad + jo
          let e0 = SIMD8<Float>(repeating: r.0[i])
          let e1 = SIMD8<Float>(repeating: r.1[i])
          let e2 = SIMD8<Float>(repeating: r.2[i])
          let e3 = SIMD8<Float>(repeating: r.3[i])
          let wa = wi.vec(0)
          p0 = p0.plusProduct(e0, wa)
          p1 = p1.plusProduct(e1, wa)
          p2 = p2.plusProduct(e2, wa)
          p3 = p3.plusProduct(e3, wa)
          if two {
            let wb = wi.vec(8)
            q0 = q0.plusProduct(e0, wb)
            q1 = q1.plusProduct(e1, wb)
            q2 = q2.plusProduct(e2, wb)
            q3 = q3.plusProduct(e3, wb)
          }
          if three {
            let wc = wi.vec(16)
            u0 = u0.plusProduct(e0, wc)
            u1 = u1.plusProduct(e1, wc)
            u2 = u2.plusProduct(e2, wc)
            u3 = u3.plusProduct(e3, wc)
          }
        }
      }
      @inline(__always) func store(
        _ k: Int, _ a: SIMD8<Float>, _ b: SIMD8<Float>, _ u: SIMD8<Float>
      ) {
        let row = pre + k * mPad + jo
        row.setVec(0, a)
        if two { row.setVec(8, b) }
        if three { row.setVec(16, u) }
      }
      store(0, p0, q0, u0)
      if count > 1 { store(1, p1, q1, u1) }
      if count > 2 { store(2, p2, q2, u2) }
      if count > 3 { store(3, p3, q3, u3) }
      jc += width
    }
  }

  /// out[j] = Σ_q x[list_q]·w[list_q·mPad + j] over a sample's `count` active inputs: W₁x
  /// for sparse inputs, in ascending feature order as the dense product sums them.
  ///
  /// Up to four hidden chunks are accumulated in registers across the whole list (a sum in
  /// memory, loaded and stored per input, made every multiply-add wait for the previous
  /// one's store: 2–3× slower at 20 active inputs).
  @inline(__always)
  static func sumActiveRows(
    list: UnsafeMutablePointer<Int32>, count: Int, inputs row: UnsafeMutablePointer<Float>,
    weights wf: UnsafeMutablePointer<Float>, mPad: Int, out: UnsafeMutablePointer<Float>
  ) {
    let mChunks = mPad / 8
    let zero = SIMD8<Float>(repeating: 0)
    var jc = 0
    while jc < mChunks {
      let width = min(4, mChunks - jc)
      let base = wf + jc * 8
      var a0 = zero
      var a1 = zero
      var a2 = zero
      var a3 = zero
      for q in 0..<count {
        let i = Int(list[q])
        let xi = SIMD8<Float>(repeating: row[i])
        let wi = base + i * mPad
        a0 = a0.plusProduct(xi, wi.vec(0))
        if width > 1 { a1 = a1.plusProduct(xi, wi.vec(8)) }
        if width > 2 { a2 = a2.plusProduct(xi, wi.vec(16)) }
        if width > 3 { a3 = a3.plusProduct(xi, wi.vec(24)) }
      }
      let o = out + jc * 8
      o.setVec(0, a0)
      if width > 1 { o.setVec(8, a1) }
      if width > 2 { o.setVec(16, a2) }
      if width > 3 { o.setVec(24, a3) }
      jc += width
    }
  }
}
