import Testing
import TMSCore
import TMSKernels

/// An SAE's loss written out in Double, independently of the kernel:
///   z = ReLU(W_enc (h − b_dec) + b_enc),  ĥ = W_dec z + b_dec,
///   L = (1/B) Σ_s (‖h_s − ĥ_s‖² + λ Σ_j z_sj).
enum ReferenceSAE {
  static func loss(_ p: SAEParameters, lambda: Double, rows: [[Float]]) -> Double {
    let d = p.encoder.count
    let m = p.decoderBias.count
    var total = 0.0
    for h in rows {
      let c = (0..<m).map { Double(h[$0]) - Double(p.decoderBias[$0]) }
      var z = [Double](repeating: 0, count: d)
      for j in 0..<d {
        var pre = Double(p.encoderBias[j])
        for i in 0..<m { pre += Double(p.encoder[j][i]) * c[i] }
        z[j] = max(0, pre)
      }
      for i in 0..<m {
        var hat = Double(p.decoderBias[i])
        for j in 0..<d { hat += Double(p.decoder[j][i]) * z[j] }
        total += (hat - Double(h[i])) * (hat - Double(h[i]))
      }
      total += lambda * z.reduce(0, +)
    }
    return total / Double(rows.count)
  }

  /// Every column of `decoder` divided by its norm.
  static func normalised(_ p: SAEParameters) -> SAEParameters {
    var q = p
    q.decoder = p.decoder.map { col in
      let norm = col.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
      return col.map { Float(Double($0) / norm) }
    }
    return q
  }

  /// Central differences of `loss` in every parameter; with `onSphere`, the decoder is
  /// parametrised as W_dec = V/‖V‖ column by column, so its numeric gradient at unit
  /// columns is the gradient on the sphere (what the unit-norm projection computes).
  static func numericGradient(
    _ p: SAEParameters, lambda: Double, rows: [[Float]], onSphere: Bool, h: Float = 1e-4
  ) -> SAEParameters {
    func f(_ q: SAEParameters) -> Double {
      loss(onSphere ? normalised(q) : q, lambda: lambda, rows: rows)
    }
    func diff(_ set: (inout SAEParameters, Float) -> Void) -> Float {
      var plus = p
      set(&plus, h)
      var minus = p
      set(&minus, -h)
      return Float((f(plus) - f(minus)) / (2 * Double(h)))
    }
    var g = p
    for j in 0..<p.encoder.count {
      for i in 0..<p.encoder[j].count {
        g.encoder[j][i] = diff { $0.encoder[j][i] += $1 }
        g.decoder[j][i] = diff { $0.decoder[j][i] += $1 }
      }
      g.encoderBias[j] = diff { $0.encoderBias[j] += $1 }
    }
    for i in 0..<p.decoderBias.count { g.decoderBias[i] = diff { $0.decoderBias[i] += $1 } }
    return g
  }
}

/// The SAE kernel's loss and analytic gradients against an independent Double-precision
/// forward pass and its finite differences: the encoder, the decoder, both biases, and the
/// decoder's gradient on the unit sphere (the unit-norm projection), on batches that mix
/// h = 0 samples (which the kernel computes once and weights by their count) with others.
@Suite struct SAEGradientTests {
  /// A run of the given model with an SAE started on it (its weights set by the tests).
  static func makeRun(features n: Int, hidden m: Int, latents d: Int, lambda: Double) throws
    -> Run
  {
    var c = RunConfig(features: n, hidden: m, instances: 1)
    c.sae = SAEConfig(latents: d, instances: 1, l1Coefficient: [lambda])
    let run = try Run(config: c)
    try run.startSAE()
    return run
  }

  /// Random SAE weights: encoder rows and decoder columns (unit norm) in every direction,
  /// biases that put some latents on and some off, b_dec ≠ 0 so that h = 0 samples still
  /// activate latents.
  static func parameters(m: Int, d: Int, seed: UInt64) -> SAEParameters {
    var rng = SplitMix64(seed: seed)
    func u() -> Float { Float(rng.nextUnit() * 2 - 1) }
    let dec = (0..<d).map { _ in (0..<m).map { _ in u() } }
    var p = SAEParameters(
      encoder: (0..<d).map { _ in (0..<m).map { _ in u() } },
      encoderBias: (0..<d).map { _ in 0.3 * u() }, decoder: dec,
      decoderBias: (0..<m).map { _ in 0.2 * u() })
    p = ReferenceSAE.normalised(p)
    return p
  }

  /// Rows of hidden activations: a third exactly zero, the others random.
  static func rows(m: Int, count: Int, seed: UInt64) -> [[Float]] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { r in
      r % 3 == 1
        ? Array(repeating: 0, count: m) : (0..<m).map { _ in Float(rng.nextUnit() * 2 - 1) }
    }
  }

  func compare(
    _ analytic: SAEParameters, _ numeric: SAEParameters, tolerance: Float = 2e-3,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    func check(_ a: [Float], _ b: [Float], _ what: String) {
      #expect(a.count == b.count, "\(what) sizes", sourceLocation: sourceLocation)
      for (x, y) in zip(a, b) {
        #expect(
          abs(x - y) <= tolerance * max(1, abs(y)) + 1e-5,
          "\(what): analytic \(x) vs numeric \(y)", sourceLocation: sourceLocation)
      }
    }
    for j in 0..<analytic.encoder.count {
      check(analytic.encoder[j], numeric.encoder[j], "W_enc[\(j)]")
      check(analytic.decoder[j], numeric.decoder[j], "W_dec[\(j)]")
    }
    check(analytic.encoderBias, numeric.encoderBias, "b_enc")
    check(analytic.decoderBias, numeric.decoderBias, "b_dec")
  }

  static let shapes: [(n: Int, m: Int, d: Int)] = [(5, 2, 5), (20, 5, 13), (12, 9, 30)]

  @Test func lossAndGradientsMatchTheReference() throws {
    for (index, s) in Self.shapes.enumerated() {
      let lambda = 0.37
      let run = try Self.makeRun(features: s.n, hidden: s.m, latents: s.d, lambda: lambda)
      let p = Self.parameters(m: s.m, d: s.d, seed: UInt64(10 + index))
      run.setSAEParameters(p, instance: 0)
      let rows = Self.rows(m: s.m, count: 29, seed: UInt64(20 + index))
      let (loss, gradient) = try #require(run.saeLossAndGradient(instance: 0, hidden: rows))
      let reference = ReferenceSAE.loss(p, lambda: lambda, rows: rows)
      #expect(abs(loss - reference) <= 1e-5 * max(1, reference), "loss \(loss) vs \(reference)")
      let numeric = ReferenceSAE.numericGradient(p, lambda: lambda, rows: rows, onSphere: false)
      compare(gradient, numeric)
    }
  }

  /// With the unit-norm decoder the step uses the decoder gradient projected onto the
  /// sphere, g_j − (g_j·d_j) d_j: it equals the finite differences of the loss with the
  /// decoder normalised column by column (and the other parameters' gradients are unchanged).
  @Test func projectedDecoderGradientIsTheGradientOnTheSphere() throws {
    for (index, s) in Self.shapes.enumerated() {
      let run = try Self.makeRun(features: s.n, hidden: s.m, latents: s.d, lambda: 0.5)
      let p = Self.parameters(m: s.m, d: s.d, seed: UInt64(30 + index))
      run.setSAEParameters(p, instance: 0)
      let rows = Self.rows(m: s.m, count: 23, seed: UInt64(40 + index))
      let (_, gradient) = try #require(run.saeLossAndGradient(instance: 0, hidden: rows))
      let projected = run.saeProjected(gradient, instance: 0)
      let numeric = ReferenceSAE.numericGradient(p, lambda: 0.5, rows: rows, onSphere: true)
      compare(projected, numeric)
      // The projection removes something: the unprojected decoder gradient differs.
      let moved = zip(gradient.decoder, projected.decoder).contains { a, b in
        zip(a, b).contains { abs($0 - $1) > 1e-4 }
      }
      #expect(moved, "the radial component of the decoder gradient should be non-zero here")
    }
  }

  /// Pre-activations 1e-3 from the ReLU kink on both sides (for the first sample): the
  /// finite-difference step does not cross it, and the gradients still agree.
  @Test func gradientsNearTheKink() throws {
    let (m, d) = (3, 6)
    let run = try Self.makeRun(features: 7, hidden: m, latents: d, lambda: 0.8)
    var p = Self.parameters(m: m, d: d, seed: 77)
    let rows = Self.rows(m: m, count: 12, seed: 78)
    let h = rows[0]
    for j in 0..<d {
      var pre = 0.0
      for i in 0..<m { pre += Double(p.encoder[j][i]) * (Double(h[i]) - Double(p.decoderBias[i])) }
      p.encoderBias[j] = Float(-pre + (j % 2 == 0 ? 1e-3 : -1e-3))
    }
    run.setSAEParameters(p, instance: 0)
    let (_, gradient) = try #require(run.saeLossAndGradient(instance: 0, hidden: rows))
    let numeric = ReferenceSAE.numericGradient(p, lambda: 0.8, rows: rows, onSphere: false, h: 1e-4)
    compare(gradient, numeric, tolerance: 5e-3)
  }

  /// The h = 0 samples share one pass weighted by their count: a batch of only zero rows,
  /// and the same rows with one non-zero row added, both match the reference.
  @Test func zeroSamplesAreCountedExactly() throws {
    let run = try Self.makeRun(features: 5, hidden: 2, latents: 5, lambda: 0.5)
    let p = Self.parameters(m: 2, d: 5, seed: 5)
    run.setSAEParameters(p, instance: 0)
    for rows in [
      Array(repeating: [Float](repeating: 0, count: 2), count: 17),
      Array(repeating: [Float](repeating: 0, count: 2), count: 16) + [[0.5, -0.25]],
    ] {
      let (loss, gradient) = try #require(run.saeLossAndGradient(instance: 0, hidden: rows))
      let reference = ReferenceSAE.loss(p, lambda: 0.5, rows: rows)
      #expect(abs(loss - reference) <= 1e-5 * max(1, reference))
      compare(
        gradient, ReferenceSAE.numericGradient(p, lambda: 0.5, rows: rows, onSphere: false))
    }
  }
}
