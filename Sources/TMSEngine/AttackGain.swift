/// How much a worst-case input perturbation moves a model's output: the spectral norm
/// ‖WᵀW‖₂ = σ_max(W)², for the paper's finding that superposition makes models vulnerable to
/// small adversarial perturbations, in step with features per dimension.
///
/// The pre-activation output is h(x) = WᵀW x + b, so a perturbation δ with ‖δ‖₂ = ε moves it
/// by ‖WᵀW δ‖₂ ≤ ε·‖WᵀW‖₂, with equality along the top right-singular vector of W. Features
/// stored in dedicated orthonormal directions give a gain of 1 (the linear model's baseline
/// at any sparsity). n features of norm 1 squeezed into m dimensions have eigenvalues of
/// WWᵀ summing to ‖W‖_F² = n, so the largest is at least n/m = 1/D*: the gain rises with
/// features per dimension. (The ReLU of relu-output can only clip a perturbation's effect,
/// so this is the bound the attacker works against.)
public enum AttackGain {
  /// ‖WᵀW‖₂ for W given as n rows of m (`W[i]` is feature i's direction): the largest
  /// eigenvalue of the m×m matrix WWᵀ = Σ_i W_i W_iᵀ, by power iteration from a fixed start
  /// (deterministic), to a relative change below 1e-9 or 300 iterations.
  public static func of(_ W: [[Float]], hidden m: Int) -> Double {
    guard m > 0, !W.isEmpty else { return 0 }
    var gram = [Double](repeating: 0, count: m * m)
    for row in W {
      for j in 0..<min(m, row.count) {
        let a = Double(row[j])
        guard a != 0 else { continue }
        for k in 0..<min(m, row.count) { gram[j * m + k] += a * Double(row[k]) }
      }
    }
    var v = (0..<m).map { 1 + 0.01 * Double($0) }
    let start = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    v = v.map { $0 / start }
    var lambda = 0.0
    for _ in 0..<300 {
      var next = [Double](repeating: 0, count: m)
      for j in 0..<m {
        var s = 0.0
        for k in 0..<m { s += gram[j * m + k] * v[k] }
        next[j] = s
      }
      // The Rayleigh quotient vᵀMv of the unit vector v: its error falls with the square of
      // the eigenvector's, so a near-tight frame (close top eigenvalues) settles fast too.
      let previous = lambda
      lambda = zip(v, next).reduce(0) { $0 + $1.0 * $1.1 }
      let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
      guard norm > 0, norm.isFinite else { return norm.isFinite ? 0 : .infinity }
      v = next.map { $0 / norm }
      if previous > 0 && abs(lambda - previous) <= 1e-9 * lambda { break }
    }
    return lambda
  }
}
