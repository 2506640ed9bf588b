import TMSKernels

/// The Lipschitz bound on how much an input perturbation can move a model's output, for the
/// paper's finding that superposition makes models vulnerable to small adversarial
/// perturbations, in step with features per dimension. ``AttackResult`` measures what an
/// actual attack reaches beside it.
///
/// Every model is y = ψ(b + Dec·φ(Enc x)) with φ, ψ ReLU or identity, both 1-Lipschitz, so a
/// perturbation δ with ‖δ‖₂ = ε moves y by at most ε·‖Dec‖₂·‖Enc‖₂. Tied models (Dec = Encᵀ =
/// Wᵀ) give ‖WᵀW‖₂ = σ_max(W)² = λ_max(WWᵀ), reached along the top right-singular vector of
/// W exactly when no ReLU clips it (always for the linear model; for relu-output only where
/// the outputs that vector moves are active). The abs model gives ‖W₂‖₂·‖W₁‖₂ =
/// √(λ_max(W₁W₁ᵀ)·λ_max(W₂W₂ᵀ)); its linear part ‖W₂W₁‖₂ is no bound at all, since the
/// hidden ReLU can undo a cancellation (W₂ = (1, 1), W₁ = (1, −1)ᵀ computes |x|: gain 1, linear
/// part 0). Features stored in dedicated orthonormal directions give 1 (the linear model's
/// baseline at any sparsity); n features of norm 1 in m dimensions give eigenvalues of WWᵀ
/// summing to n, so a tied bound of at least n/m = 1/D*.
public enum AttackGain {
  /// The bound for W (and, untied, W₂) given as n rows of m (`W[i]` is feature i's
  /// direction). Exact (Jacobi eigenvalues of the m×m matrices, cost n·m² + m³) — power
  /// iteration was off by 1% on near-degenerate spectra such as 2.026, 2.015, 1.946.
  public static func of(_ W: [[Float]], W2: [[Float]]? = nil, hidden m: Int) -> Double {
    guard m > 0, !W.isEmpty else { return 0 }
    func largest(_ rows: [[Float]]) -> Double {
      if m > exactUpTo { return powerIteration(rows, hidden: m) }
      return max(0, SymmetricEigen(outer(rows, m), m).values.max() ?? 0)
    }
    let a = largest(W)
    guard let W2 else { return a }
    return (a * largest(W2)).squareRoot()
  }

  /// The bound for one instance's parameters.
  public static func of(_ p: Parameters) -> Double {
    of(p.W, W2: p.W2, hidden: p.W.first?.count ?? 0)
  }

  /// Largest m solved exactly; above it (m³ Jacobi work grows too large) power iteration.
  public static let exactUpTo = 128

  /// λ_max(WWᵀ) by 500 power iterations applied as Σ_i W_i (W_i·v): within a fraction of a
  /// percent for m > ``exactUpTo``, where only the headless report asks.
  static func powerIteration(_ W: [[Float]], hidden m: Int) -> Double {
    var v = [Double](repeating: 1 / Double(m).squareRoot(), count: m)
    var lambda = 0.0
    for _ in 0..<500 {
      var next = [Double](repeating: 0, count: m)
      for row in W {
        let r = min(m, row.count)
        var dot = 0.0
        for j in 0..<r { dot += Double(row[j]) * v[j] }
        for j in 0..<r where dot != 0 { next[j] += Double(row[j]) * dot }
      }
      let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
      guard norm > 0, norm.isFinite else { return norm.isFinite ? 0 : .infinity }
      lambda = norm
      v = next.map { $0 / norm }
    }
    return lambda
  }

  /// Σ_i W_i W_iᵀ, m×m row-major.
  static func outer(_ W: [[Float]], _ m: Int) -> [Double] {
    var out = [Double](repeating: 0, count: m * m)
    for row in W {
      let r = min(m, row.count)
      for j in 0..<r {
        let x = Double(row[j])
        guard x != 0 else { continue }
        for k in 0..<r { out[j * m + k] += x * Double(row[k]) }
      }
    }
    return out
  }
}

/// Eigenvalues and eigenvectors of a symmetric m×m matrix by cyclic Jacobi rotations, to
/// off-diagonal mass below 1e-22 of the total or 50 sweeps (quadratic convergence: a few
/// sweeps for the sizes here).
struct SymmetricEigen {
  /// λ_e, unordered.
  var values: [Double]
  /// Column e of the row-major m×m matrix is the eigenvector of λ_e.
  var vectors: [Double]

  init(_ matrix: [Double], _ m: Int) {
    var a = matrix
    var q = [Double](repeating: 0, count: m * m)
    for i in 0..<m { q[i * m + i] = 1 }
    let total = a.reduce(0) { $0 + $1 * $1 }
    for _ in 0..<50 {
      var off = 0.0
      for p in 0..<m { for r in (p + 1)..<max(p + 1, m) { off += a[p * m + r] * a[p * m + r] } }
      if off <= 1e-22 * max(total, 1e-300) { break }
      for p in 0..<m {
        for r in (p + 1)..<max(p + 1, m) {
          let apr = a[p * m + r]
          guard abs(apr) > 1e-300 else { continue }
          let theta = (a[r * m + r] - a[p * m + p]) / (2 * apr)
          let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
          let c = 1 / (t * t + 1).squareRoot()
          let s = t * c
          for k in 0..<m {
            let akp = a[k * m + p]
            let akr = a[k * m + r]
            a[k * m + p] = c * akp - s * akr
            a[k * m + r] = s * akp + c * akr
          }
          for k in 0..<m {
            let apk = a[p * m + k]
            let ark = a[r * m + k]
            a[p * m + k] = c * apk - s * ark
            a[r * m + k] = s * apk + c * ark
          }
          for k in 0..<m {
            let qkp = q[k * m + p]
            let qkr = q[k * m + r]
            q[k * m + p] = c * qkp - s * qkr
            q[k * m + r] = s * qkp + c * qkr
          }
        }
      }
    }
    values = (0..<m).map { a[$0 * m + $0] }
    vectors = q
  }
}
