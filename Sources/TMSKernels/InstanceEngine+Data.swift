import TMSKernelBase

/// Batch generation: one 32-bit draw per (sample, feature), eight at a time.
extension InstanceEngine {
  /// Fills the data buffer with a fresh batch from the training stream.
  func generateBatch() {
    var rng = random
    if useSmallKernel { generateColumns(rng: &rng) } else { generateRows(rng: &rng) }
    random = rng
  }

  @inline(__always) func activeValues(
    _ r: SIMD8<UInt32>, threshold t: SIMD8<UInt32>, scale s: SIMD8<Float>
  ) -> SIMD8<Float> {
    let u = r &>> 1
    var v = Self.floats(SIMD8<Int32>(truncatingIfNeeded: u)) * s
    if kind.signedInputs { v = v * 2 - 1 }
    return SIMD8<Float>(repeating: 0).replacing(with: v, where: u .< t)
  }

  /// SIMD8<Float>(i), lane by lane: the same values as the standard library's generic
  /// conversion, which the compiler left as an out-of-line call per draw (2.3% of a
  /// 200→20 step); written out, it becomes one vector conversion.
  @inline(__always)
  static func floats(_ i: SIMD8<Int32>) -> SIMD8<Float> {
    SIMD8(
      Float(i[0]), Float(i[1]), Float(i[2]), Float(i[3]), Float(i[4]), Float(i[5]), Float(i[6]),
      Float(i[7]))
  }

  /// Row layout for the large kernel: `x[s·nPad + i]`.
  func generateRows(rng: inout LaneRandom) {
    let xs = x.base
    thresholdLanes.withUnsafeBufferPointer { tp in
      scaleLanes.withUnsafeBufferPointer { sp in
        for s in 0..<batch {
          let row = xs + s * nPad
          for c in 0..<chunks {
            row.setVec(c * 8, activeValues(rng.next(), threshold: tp[c], scale: sp[c]))
          }
        }
      }
    }
    guard !preparedGroups.isEmpty else { return }
    for s in 0..<batch {
      let row = xs + s * nPad
      for g in preparedGroups {
        let k = g.members.count
        let u = UInt32(truncatingIfNeeded: groupRandom.next() >> 33)
        guard u < g.threshold else { continue }
        if g.correlated {
          for i in g.members { row[i] = groupValue(groupRandom.next()) }
        } else {
          let pick = Int((groupRandom.next() >> 32) &* UInt64(k) >> 32)
          row[g.members[pick]] = groupValue(groupRandom.next())
        }
      }
    }
  }

  @inline(__always) func groupValue(_ r: UInt64) -> Float {
    let v = Float(r >> 40) * 0x1p-24
    return kind.signedInputs ? v * 2 - 1 : v
  }

  /// Column layout for the small kernel: `x[i·batchPad + s]`, eight samples per lane vector.
  func generateColumns(rng: inout LaneRandom) {
    let xs = x.base
    let blocks = batchPad / 8
    for i in 0..<n {
      let col = xs + i * batchPad
      let t = SIMD8<UInt32>(repeating: threshold[i])
      let sc = SIMD8<Float>(repeating: valueScale[i])
      if t == .zero && !preparedGroups.isEmpty { continue }
      for blk in 0..<blocks {
        col.setVec(blk * 8, activeValues(rng.next(), threshold: t, scale: sc))
      }
    }
    for g in preparedGroups {
      let t = SIMD8<UInt32>(repeating: g.threshold)
      let one = SIMD8<Float>(repeating: 1)
      let k = UInt32(g.members.count)
      for blk in 0..<blocks {
        let on = (rng.next() &>> 1) .< t
        let pick = ((rng.next() &>> 16) &* k) &>> 16
        for (idx, i) in g.members.enumerated() {
          let v = activeValues(
            rng.next(), threshold: SIMD8(repeating: 1 << 31), scale: one * 0x1p-31)
          let chosen = g.correlated ? on : on .& (pick .== UInt32(idx))
          (xs + i * batchPad).setVec(
            blk * 8, SIMD8<Float>(repeating: 0).replacing(with: v, where: chosen))
        }
      }
    }
  }

  /// The current batch as rows of n values (for tests and the density readout).
  package func batchRows() -> [[Float]] {
    (0..<batch).map { s in
      (0..<n).map { i in useSmallKernel ? x[i * batchPad + s] : x[s * nPad + i] }
    }
  }

  /// Replaces the data buffer with `rows` (each of length n) and sets the batch size to match.
  package func loadBatch(_ rows: [[Float]]) {
    batch = rows.count
    batchPad = (batch + 7) / 8 * 8
    x = AlignedFloats(Self.dataCount(n: n, nPad: nPad, batch: batch, small: useSmallKernel))
    for (s, row) in rows.enumerated() {
      for i in 0..<n {
        if useSmallKernel { x[i * batchPad + s] = row[i] } else { x[s * nPad + i] = row[i] }
      }
    }
    updateCoefficients()
  }

  /// Fraction of (sample, feature) entries that are non-zero in the current batch.
  package func batchDensity() -> Double {
    var nonzero = 0
    for s in 0..<batch {
      for i in 0..<n {
        let v = useSmallKernel ? x[i * batchPad + s] : x[s * nPad + i]
        if v != 0 { nonzero += 1 }
      }
    }
    return Double(nonzero) / Double(max(1, batch * n))
  }
}
