import TMSCore
import TMSKernels

/// The code companion's adversarial attack on one feature (notes §9.10): the input is moved
/// by δ = ε·(WᵀW)_{:,i} / ‖(WᵀW)_{:,i}‖ — along the direction feature i's output column
/// reads — and the loss is measured against the clean input as target.
///
/// Loss in the paper's convention on `samples` held-out inputs drawn with each feature's own
/// p (uniform on [0, 1] when active), the same inputs for the clean and the attacked loss, so
/// their difference has far less noise than either.
public enum FeatureAttack {
  /// Attack size ε.
  public static let epsilon = 0.1

  /// For every feature i, the loss increase L(x + δ_i; x) − L(x; x) of a tied model
  /// (linear or relu-output) with parameters `p`.
  public static func lossIncrease(
    _ p: Parameters, model: ModelKind, featureProbability: [Double], importance: [Double],
    samples: Int = 4_096, seed: UInt64 = 0x5EED
  ) -> [Double] {
    let n = p.W.count
    let gram = InstanceMetrics.gram(p.W, hidden: p.W.first?.count ?? 0).map(Double.init)
    var rng = SplitMix64(seed: seed)
    var inputs = [[Double]](repeating: [Double](repeating: 0, count: n), count: samples)
    for s in 0..<samples {
      for i in 0..<n where rng.nextUnit() < featureProbability[i] {
        inputs[s][i] = rng.nextUnit()
      }
    }
    // h(x + δ) = h(x) + Gδ: the clean pre-activations once, then n per sample and attack.
    let clean = inputs.map { x in
      (0..<n).map { j in
        (0..<n).reduce(Double(p.b[j])) { $0 + gram[j * n + $1] * x[$1] }
      }
    }
    func loss(shift: [Double]) -> Double {
      var total = 0.0
      for (x, h0) in zip(inputs, clean) {
        for j in 0..<n {
          let h = h0[j] + shift[j]
          let y = model.hasOutputReLU ? max(0, h) : h
          total += importance[j] * (x[j] - y) * (x[j] - y)
        }
      }
      return total / Double(samples)
    }
    let base = loss(shift: [Double](repeating: 0, count: n))
    return (0..<n).map { i in
      let column = (0..<n).map { gram[$0 * n + i] }
      let norm = column.reduce(0) { $0 + $1 * $1 }.squareRoot()
      guard norm > 0 else { return 0 }
      let shift = (0..<n).map { j in
        (0..<n).reduce(0.0) { $0 + gram[j * n + $1] * epsilon * column[$1] / norm }
      }
      return loss(shift: shift) - base
    }
  }
}

extension SplitMix64 {
  /// Uniform in [0, 1) from the top 53 bits.
  mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
