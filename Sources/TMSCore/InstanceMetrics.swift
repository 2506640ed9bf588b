import TMSKernels

/// Everything a screen or a JSON report shows about one instance, computed from its weights.
///
/// Definitions (W_i = feature i's direction, Ŵ_i = W_i/‖W_i‖):
/// - superposition s_i = Σ_{j≠i} (Ŵ_i·W_j)²  (0 = orthogonal to every other feature)
/// - dimensionality D_i = ‖W_i‖² / Σ_j (Ŵ_i·W_j)²  (j = i included; 0 when ‖W_i‖ ≈ 0)
/// - dimensions per feature D* = m / ‖W‖_F²
/// - neuron monosemanticity (relu-hidden, abs) = max_f |W_{k,f}| / ‖W_k‖ for neuron k.
public struct InstanceMetrics: Sendable, Equatable {
  /// p_i = 1 − S_i.
  public var featureProbability: [Double]
  /// I_i.
  public var importance: [Double]
  /// Exponential moving average of the training loss (notebook convention).
  public var trainLoss: Double
  /// Loss on the fixed held-out batch (notebook convention); NaN before the first evaluation.
  public var evalLoss: Double
  /// The standard error of `evalLoss` (``LossEstimate``); NaN when not known.
  public var evalLossError: Double = .nan
  /// WᵀW, n×n row-major (for abs: of the encoder W₁).
  public var gram: [Float]
  /// ‖W_i‖.
  public var norms: [Double]
  /// s_i.
  public var superposition: [Double]
  /// D_i.
  public var dimensionality: [Double]
  /// D* = m/‖W‖_F².
  public var dimensionsPerFeature: Double
  /// Features with ‖W_i‖ > `representedThreshold`.
  public var represented: Int
  /// The represented threshold (0.5 by convention).
  public var representedThreshold: Double
  /// Per neuron max_f |W_{k,f}|/‖W_k‖ (relu-hidden and abs); empty otherwise.
  public var monosemanticity: [Double]
  /// The named arrangement.
  public var geometry: GeometryLabel

  /// WᵀW (n×n, row-major) of feature directions `W` (n arrays of length m): G_ij =
  /// Σ_k W_ik W_jk, summed in k order with a separate multiply and add, so every CPU and
  /// build gives the same bits and G_ji = G_ij exactly. Eight j at a time run in SIMD lanes
  /// from W's columns (no horizontal sums, no fused multiply-add that a baseline x86-64 build
  /// would call libm for); only blocks on or above the diagonal are computed. For n = 200,
  /// m = 20 that is 2,600 eight-lane products of length 20.
  public static func gram(_ W: [[Float]], hidden m: Int) -> [Float] {
    let n = W.count
    let blocks = (n + 7) / 8
    var columns = [SIMD8<Float>](repeating: .zero, count: m * blocks)
    for i in 0..<n {
      for k in 0..<min(m, W[i].count) { columns[k * blocks + i / 8][i % 8] = W[i][k] }
    }
    var gram = [Float](repeating: 0, count: n * n)
    columns.withUnsafeBufferPointer { c in
      gram.withUnsafeMutableBufferPointer { g in
        for i in 0..<n {
          let lane = i % 8
          let own = i / 8
          for b in own..<blocks {
            var acc = SIMD8<Float>.zero
            for k in 0..<m {
              let product = SIMD8(repeating: c[k * blocks + own][lane]) * c[k * blocks + b]
              acc += product
            }
            for l in 0..<8 {
              let j = b * 8 + l
              guard j >= i, j < n else { continue }
              g[i * n + j] = acc[l]
              g[j * n + i] = acc[l]
            }
          }
        }
      }
    }
    return gram
  }

  /// Σ_j (Ŵ_i·W_j)² = Σ_j G_ij² / G_ii for row i of the Gram matrix G = W Wᵀ (j = i
  /// included); the denominator of D_i.
  static func interference(row i: Int, gram: [Float], features n: Int) -> Double {
    var total = 0.0
    for j in 0..<n {
      let g = Double(gram[i * n + j])
      total += g * g
    }
    return total / Double(gram[i * n + i])
  }

  /// Every feature's dimensionality D_i = ‖W_i‖² / Σ_j (Ŵ_i·W_j)² of W (n rows of m), 0 for
  /// features with ‖W_i‖ ≈ 0: the same values as ``dimensionality`` without the rest of the
  /// metrics, for recorded frames read from a file.
  public static func dimensionalities(of W: [[Float]], hidden m: Int) -> [Double] {
    let n = W.count
    let gram = Self.gram(W, hidden: m)
    return (0..<n).map { i in
      let gii = Double(gram[i * n + i])
      guard gii > 1e-12 else { return 0 }
      let total = interference(row: i, gram: gram, features: n)
      return total > 0 ? gii / total : 0
    }
  }

  /// Computes the metrics of `parameters` (m = hidden size). `groups` are the run's feature
  /// groups, which the geometry label uses to say whether antipodal partners are the
  /// anticorrelated pairs; callers that know them pass them.
  public static func compute(
    parameters: Parameters, hidden m: Int, model: ModelKind, featureProbability: [Double],
    importance: [Double], trainLoss: Double, evalLoss: Double, threshold: Double = 0.5,
    groups: [FeatureGroup] = []
  ) -> InstanceMetrics {
    let n = parameters.W.count
    let gram = Self.gram(parameters.W, hidden: m)
    var norms = [Double](repeating: 0, count: n)
    var sup = [Double](repeating: 0, count: n)
    var dim = [Double](repeating: 0, count: n)
    var frob = 0.0
    for i in 0..<n {
      let gii = Double(gram[i * n + i])
      frob += gii
      norms[i] = gii.squareRoot()
      guard gii > 1e-12 else { continue }
      let total = Self.interference(row: i, gram: gram, features: n)
      sup[i] = max(0, total - gii)
      dim[i] = total > 0 ? gii / total : 0
    }
    var mono: [Double] = []
    if model.hasHiddenReLU {
      mono = (0..<m).map { k in
        var maxAbs = 0.0
        var sq = 0.0
        for i in 0..<n {
          let v = Double(parameters.W[i][k])
          maxAbs = max(maxAbs, abs(v))
          sq += v * v
        }
        return sq > 0 ? maxAbs / sq.squareRoot() : 0
      }
    }
    let represented = norms.filter { $0 > threshold }.count
    let shared =
      represented == 0
      ? GeometryLabel.sharedProjection(
        directions: parameters.W, gram: gram, hidden: m, norms: norms) : nil
    return InstanceMetrics(
      featureProbability: featureProbability, importance: importance, trainLoss: trainLoss,
      evalLoss: evalLoss, gram: gram, norms: norms, superposition: sup, dimensionality: dim,
      dimensionsPerFeature: frob > 0 ? Double(m) / frob : 0,
      represented: represented, representedThreshold: threshold, monosemanticity: mono,
      geometry: shared
        ?? GeometryLabel.classify(gram: gram, norms: norms, threshold: threshold, groups: groups))
  }
}
