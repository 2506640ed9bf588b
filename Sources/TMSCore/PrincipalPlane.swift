/// The plane of a set of feature directions' two largest principal axes about the origin,
/// onto which a model with m > 2 hidden dimensions is projected to be drawn in 2-D (the
/// animated export keeps one such plane for every frame so the motion stays comparable).
public struct PrincipalPlane: Sendable, Equatable {
  /// Two orthonormal vectors of length m, the largest principal axis first (for m = 1 the
  /// second is zero). Each is signed so its largest-magnitude entry is positive.
  public var axes: [[Double]]
  /// The share of Σ‖W_i‖² the plane holds (1 for m ≤ 2; 0 when every W_i is zero).
  public var captured: Double

  /// The plane of the eigenvectors of Σ_i W_i W_iᵀ (m×m) with the two largest eigenvalues:
  /// uncentred, as the directions are drawn from the origin.
  public init(_ W: [[Float]], hidden m: Int) {
    guard m > 2 else {
      axes = [[1] + [Double](repeating: 0, count: max(0, m - 1)), m == 2 ? [0, 1] : [0]]
      captured = 1
      return
    }
    var M = [Double](repeating: 0, count: m * m)
    for w in W {
      for a in 0..<min(m, w.count) where w[a] != 0 {
        for b in 0..<min(m, w.count) { M[a * m + b] += Double(w[a]) * Double(w[b]) }
      }
    }
    let eigen = SymmetricEigen(M, m)
    let order = (0..<m).sorted { (eigen.values[$0], -$0) > (eigen.values[$1], -$1) }
    axes = order.prefix(2).map { e in
      var v = (0..<m).map { eigen.vectors[$0 * m + e] }
      let largest = v.indices.max { abs(v[$0]) < abs(v[$1]) } ?? 0
      if v[largest] < 0 { v = v.map { -$0 } }
      return v
    }
    let total = eigen.values.reduce(0, +)
    captured =
      total > 0 ? max(0, min(1, (eigen.values[order[0]] + eigen.values[order[1]]) / total)) : 0
  }

  /// W_i's coordinates in the plane.
  public func project(_ w: [Float]) -> (x: Double, y: Double) {
    var x = 0.0
    var y = 0.0
    for a in 0..<min(w.count, axes[0].count) {
      x += Double(w[a]) * axes[0][a]
      y += Double(w[a]) * axes[1][a]
    }
    return (x, y)
  }
}
