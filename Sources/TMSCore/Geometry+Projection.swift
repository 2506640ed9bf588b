import TMSKernels

extension GeometryLabel {
  /// The label of a model that represents no feature on its own but shares one projection
  /// among all of them, or nil when WᵀW is not such a projection.
  ///
  /// With equal importance and dense inputs any rank-m projection is optimal (notes §9.6):
  /// 200 features in 20 dimensions end with WᵀW ≈ P, P² = P, tr P = 20, every ‖W_i‖² = P_ii
  /// near 20/200, so no ‖W_i‖ passes the 0.5 threshold although D* = m/‖W‖_F² ≈ 1. The rule,
  /// for a model where no feature is represented (the caller checks that):
  /// - r = round(tr WᵀW) = round(Σ‖W_i‖²) ≥ 1;
  /// - WᵀW is a projection within `tolerance`: ‖(WᵀW)² − WᵀW‖_F ≤ `tolerance`·‖WᵀW‖_F. Both
  ///   norms are computed on the smaller of G (n×n) and M = WWᵀ (m×m), which have the same
  ///   non-zero eigenvalues λ: ‖G² − G‖_F² = Σ(λ² − λ)² and ‖G‖_F² = Σλ²;
  /// - the features sharing it are those with ‖W_i‖² ≥ ¼·tr/n (a quarter of the mean share);
  ///   the others are dropped.
  /// Text: `200 features share a rank-20 projection (‖W_i‖ ≈ 0.32)`, the norm being the
  /// root mean square over the sharing features.
  public static func sharedProjection(
    directions W: [[Float]], gram: [Float], hidden m: Int, norms: [Double],
    tolerance: Double = 0.05
  ) -> GeometryLabel? {
    let n = norms.count
    let trace = norms.map { $0 * $0 }.reduce(0, +)
    let rank = Int(trace.rounded())
    guard rank >= 1, n > 0, m > 0, W.count == n, gram.count == n * n else { return nil }
    let s = min(n, m)
    var M = [Double](repeating: 0, count: s * s)
    if n <= m {
      M = gram.map(Double.init)
    } else {
      for w in W {
        let width = min(m, w.count)
        for a in 0..<width where w[a] != 0 {
          let wa = Double(w[a])
          for b in a..<width { M[a * m + b] += wa * Double(w[b]) }
        }
      }
      for a in 0..<m { for b in 0..<a { M[a * m + b] = M[b * m + a] } }
    }
    var error = 0.0
    var size = 0.0
    for a in 0..<s {
      for b in 0..<s {
        var square = 0.0
        for c in 0..<s { square += M[a * s + c] * M[c * s + b] }
        let g = M[a * s + b]
        error += (square - g) * (square - g)
        size += g * g
      }
    }
    guard size > 0, error.squareRoot() <= tolerance * size.squareRoot() else { return nil }
    let share = (0..<n).filter { norms[$0] * norms[$0] >= trace / Double(n) / 4 }
    let dropped = (0..<n).filter { norms[$0] * norms[$0] < trace / Double(n) / 4 }
    let rms = (share.map { norms[$0] * norms[$0] }.reduce(0, +) / Double(share.count))
      .squareRoot()
    var text =
      "\(share.count) features share a rank-\(rank) projection (‖W_i‖ ≈ \(twoDecimals(rms)))"
    if !dropped.isEmpty { text += ", \(dropped.count) dropped" }
    let group = Group(
      features: share, dimensions: rank, name: "shared projection", isTightFrame: false)
    return GeometryLabel(groups: [group], dropped: dropped, text: text)
  }

  /// `x` (≥ 0) with two decimals, "0.32".
  static func twoDecimals(_ x: Double) -> String {
    let hundredths = Int((x * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
  }
}
