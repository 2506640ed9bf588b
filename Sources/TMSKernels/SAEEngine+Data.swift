import TMSKernelBase

/// The SAE's data: fresh samples x of the model instance's distribution, mapped to the frozen
/// model's hidden activations h = σ_h(W x), the non-zero ones packed.
///
/// Feature i is active when the top 31 bits u of its 32-bit draw satisfy u < ⌊p_i·2³¹⌉, with
/// value u/(p_i·2³¹) (on [−1, 1] for the abs model), exactly as the model's own batches;
/// grouped features are drawn per set from the group stream. Only active features are
/// visited: h accumulates x_i·W_i over them (sparse data costs what it holds). Samples whose
/// h is exactly zero (no active feature, or all cut by the hidden ReLU) are only counted:
/// they all have the same SAE forward and backward pass, computed once.
extension SAEEngine {
  /// Draws one sample from `rng` (and the group stream) and leaves h in ``hiddenRow``
  /// (`mPad` floats); `x`, when given, receives the sample's n inputs (nPad floats, the
  /// padding zero). Returns true when h is not zero. A sample with no active feature costs
  /// one random vector and one comparison per eight features (h is not even cleared: the
  /// caller only reads it when this returns true).
  @inline(__always)
  func drawSample(_ rng: inout LaneRandom, x: UnsafeMutablePointer<Float>?) -> Bool {
    let mChunks = mPad / 8
    let h = hiddenRow
    let zero = SIMD8<Float>(repeating: 0)
    let wIn = modelIn.base
    let signed = kind.signedInputs
    let tp = thresholdLanes
    let sp = scaleLanes
    var drew = false
    for c in 0..<chunks {
      let u = rng.next() &>> 1
      let on = u .< tp[c]
      guard anyLane(on) else {
        x?.setVec(c * 8, zero)
        continue
      }
      if !drew {
        for k in 0..<mChunks { h[k] = zero }
        drew = true
      }
      var v = InstanceEngine.floats(SIMD8<Int32>(truncatingIfNeeded: u)) * sp[c]
      if signed { v = v * 2 - 1 }
      v = zero.replacing(with: v, where: on)
      x?.setVec(c * 8, v)
      for l in 0..<8 where on[l] {
        add(v[l], feature: c * 8 + l, into: h, wIn: wIn, chunks: mChunks)
      }
    }
    if !preparedGroups.isEmpty {
      for g in preparedGroups {
        let u = UInt32(truncatingIfNeeded: groupRandom.next() >> 33)
        guard u < g.threshold else { continue }
        if !drew {
          for k in 0..<mChunks { h[k] = zero }
          drew = true
        }
        if g.correlated {
          for i in g.members {
            let v = groupValue(groupRandom.next())
            x?[i] = v
            add(v, feature: i, into: h, wIn: wIn, chunks: mChunks)
          }
        } else {
          let pick = Int((groupRandom.next() >> 32) &* UInt64(g.members.count) >> 32)
          let i = g.members[pick]
          let v = groupValue(groupRandom.next())
          x?[i] = v
          add(v, feature: i, into: h, wIn: wIn, chunks: mChunks)
        }
      }
    }
    guard drew else { return false }
    var nonzero = false
    for c in 0..<mChunks {
      var hc = h[c]
      if kind.hiddenReLU {
        hc = hc.replacing(with: 0, where: hc .< 0)
        h[c] = hc
      }
      nonzero = nonzero || anyLane(hc .!= zero)
    }
    return nonzero
  }

  @inline(__always)
  private func add(
    _ v: Float, feature i: Int, into h: UnsafeMutablePointer<SIMD8<Float>>,
    wIn: UnsafeMutablePointer<Float>, chunks: Int
  ) {
    let w = wIn + i * mPad
    let vv = SIMD8<Float>(repeating: v)
    for c in 0..<chunks { h[c] = h[c].plusProduct(vv, w.vec(c * 8)) }
  }

  /// A grouped feature's value from 24 random bits (as the model's own batches draw it).
  @inline(__always) func groupValue(_ r: UInt64) -> Float {
    let v = Float(r >> 40) * 0x1p-24
    return kind.signedInputs ? v * 2 - 1 : v
  }

  /// Fills the packed buffer with the non-zero h of a fresh training batch and counts the
  /// zero ones.
  func generateBatch() {
    var rng = random
    var t = 0
    let p = packed.base
    let cap = capacity
    let h = UnsafeMutableRawPointer(hiddenRow).assumingMemoryBound(to: Float.self)
    for _ in 0..<batch {
      if drawSample(&rng, x: nil) {
        for i in 0..<m { p[i * cap + t] = h[i] }
        t += 1
      }
    }
    random = rng
    nonzeroCount = t
    zeroCount = batch - t
  }

  /// The hidden activations of the current batch, as rows of m values: the non-zero ones in
  /// order, then the zero ones (for tests).
  package func batchHidden() -> [[Float]] {
    (0..<nonzeroCount).map { t in (0..<m).map { packed[$0 * capacity + t] } }
      + Array(repeating: Array(repeating: 0, count: m), count: zeroCount)
  }

  /// Replaces the batch with `rows` of hidden activations (each of length m) and sets the
  /// batch size to match (for the gradient tests; zero rows are counted like drawn ones).
  package func loadBatch(_ rows: [[Float]]) {
    batch = rows.count
    capacity = (batch + 7) / 8 * 8
    packed = AlignedFloats(m * capacity)
    sampleError = AlignedFloats(capacity)
    var t = 0
    for row in rows where row.contains(where: { $0 != 0 }) {
      for i in 0..<m { packed[i * capacity + t] = row[i] }
      t += 1
    }
    nonzeroCount = t
    zeroCount = batch - t
  }
}
