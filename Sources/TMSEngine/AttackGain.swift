/// How much a worst-case input perturbation moves a model's output: the spectral norm of its
/// linear part, for the paper's finding that superposition makes models vulnerable to small
/// adversarial perturbations, in step with features per dimension.
///
/// Tied models compute h(x) = WᵀW x + b before the output ReLU, so a perturbation δ with
/// ‖δ‖₂ = ε moves h by ‖WᵀW δ‖₂ ≤ ε·‖WᵀW‖₂ = ε·σ_max(W)², with equality along the top
/// right-singular vector of W. The abs model (untied) has W₂ᵀ·ReLU(W₁x) inside; its linear
/// part W₂ᵀW₁ has ‖W₂ᵀW₁‖₂ = √λ_max(W₂W₂ᵀ · W₁W₁ᵀ). ReLUs only clip a perturbation's effect,
/// so this is the bound an attacker works against. Features stored in dedicated orthonormal
/// directions give 1 (the linear model's baseline at any sparsity); n features of norm 1 in m
/// dimensions give eigenvalues of WWᵀ summing to n, so a gain of at least n/m = 1/D*.
public enum AttackGain {
  /// The gain for W (and, untied, W₂) given as n rows of m (`W[i]` is feature i's direction),
  /// by power iteration on W₂W₂ᵀ·W₁W₁ᵀ (W₂ = W when tied) applied as Σ_i W_i (W_i·v), so an
  /// iteration costs n·m, from a fixed start, to a relative change below 1e-7 or 200
  /// iterations.
  public static func of(_ W: [[Float]], W2: [[Float]]? = nil, hidden m: Int) -> Double {
    guard m > 0, !W.isEmpty else { return 0 }
    var v = (0..<m).map { 1 + 0.01 * Double($0) }
    let start = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    v = v.map { $0 / start }
    var lambda = 0.0
    for _ in 0..<200 {
      var next = apply(W, v, m)
      if let W2 { next = apply(W2, next, m) }
      let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
      guard norm > 0, norm.isFinite else { return norm.isFinite ? 0 : .infinity }
      // v is a unit vector, so ‖Mv‖ converges to M's largest eigenvalue (real and ≥ 0: M
      // is a product of two positive semi-definite matrices).
      let previous = lambda
      lambda = norm
      v = next.map { $0 / norm }
      if previous > 0 && abs(lambda - previous) <= 1e-7 * lambda { break }
    }
    return W2 == nil ? lambda : lambda.squareRoot()
  }

  /// (Σ_i W_i W_iᵀ) v = Σ_i W_i (W_i·v).
  static func apply(_ W: [[Float]], _ v: [Double], _ m: Int) -> [Double] {
    var out = [Double](repeating: 0, count: m)
    for row in W {
      let r = min(m, row.count)
      var dot = 0.0
      for j in 0..<r { dot += Double(row[j]) * v[j] }
      guard dot != 0 else { continue }
      for j in 0..<r { out[j] += Double(row[j]) * dot }
    }
    return out
  }
}
