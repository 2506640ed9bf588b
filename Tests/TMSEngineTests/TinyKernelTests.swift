import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles
import Testing

/// The tiny kernel (tied models with n ≤ 4, m ≤ 2: the 2→1 and 3→2 phase diagrams) against
/// finite differences of the independent Double-precision ``ReferenceModel``, for every shape
/// it handles and every tied model kind. `abs` at the same sizes still takes the small kernel
/// (untied), and is checked too so the dispatch cannot silently route it to the tiny one.
@Suite struct TinyKernelTests {
  static let shapes: [(n: Int, m: Int)] = [
    (1, 1), (2, 1), (3, 1), (4, 1), (1, 2), (2, 2), (3, 2), (4, 2),
  ]

  /// A batch with both signs for abs, exact zeros (sparse) and dense rows.
  static func batch(n: Int, kind: ModelKind, rows: Int, seed: UInt64) -> [[Float]] {
    var rng = SplitMix64(seed: seed)
    return (0..<rows).map { r in
      (0..<n).map { _ in
        let active = r % 3 == 0 || rng.nextUnit() < 0.4
        guard active else { return 0 }
        let u = Float(rng.nextUnit())
        return kind.isSigned ? 2 * u - 1 : u
      }
    }
  }

  /// A one-instance run with W of std 0.4, small random biases and importance (1, 0.7, …) so
  /// every importance and coefficient lane differs.
  static func makeRun(kind: ModelKind, n: Int, m: Int) throws -> Run {
    var c = RunConfig(
      model: kind, features: n, hidden: m, instances: 1,
      training: TrainingSettings(batchSize: 64, seed: 5))
    c.setImportanceDecay(0.7)
    c.training.initStd = 0.4
    let run = try Run(config: c)
    var p = run.parameters(instance: 0)
    var rng = SplitMix64(seed: 17)
    for i in 0..<n { p.b[i] = Float(rng.nextUnit() * 0.4 - 0.2) }
    run.setParameters(p, instance: 0)
    return run
  }

  func compare(
    _ analytic: Parameters, _ numeric: Parameters, tolerance: Float = 2e-3, _ what: String
  ) {
    func check(_ a: [Float], _ b: [Float], _ name: String) {
      for (x, y) in zip(a, b) {
        let scale = max(Float(1e-3), abs(y))
        #expect(
          abs(x - y) <= tolerance * scale + 2e-6, "\(what) \(name): analytic \(x) vs numeric \(y)")
      }
    }
    for (i, (a, b)) in zip(analytic.W, numeric.W).enumerated() { check(a, b, "W[\(i)]") }
    if let a2 = analytic.W2, let n2 = numeric.W2 {
      for (i, (a, b)) in zip(a2, n2).enumerated() { check(a, b, "W2[\(i)]") }
    }
    check(analytic.b, numeric.b, "b")
  }

  /// Loss and gradient against the reference, with a batch that fills whole SIMD blocks (64)
  /// and one that ends in a partial block (37, the masked tail).
  @Test(arguments: ModelKind.allCases)
  func analyticMatchesFiniteDifferences(kind: ModelKind) throws {
    for shape in Self.shapes {
      for rows in [37, 64] {
        let what = "\(kind.rawValue) \(shape.n)→\(shape.m) B=\(rows)"
        let run = try Self.makeRun(kind: kind, n: shape.n, m: shape.m)
        let batch = Self.batch(n: shape.n, kind: kind, rows: rows, seed: UInt64(3 + rows))
        let p = run.parameters(instance: 0)
        let imp = run.config.importance[0]
        let result = run.lossAndGradient(instance: 0, batch: batch)
        let reference = ReferenceModel.loss(p, kind: kind, importance: imp, batch: batch)
        #expect(
          abs(result.loss - reference) <= 1e-5 * max(1, reference),
          "\(what): loss \(result.loss) vs \(reference)")
        let numeric = ReferenceModel.numericGradient(p, kind: kind, importance: imp, batch: batch)
        compare(result.gradient, numeric, what)
      }
    }
  }

  /// Output pre-activations 1e-3 from the ReLU kink on the first sample (both sides) and, for
  /// relu-hidden, a hidden pre-activation 1e-3 above its kink: ReLU'(0) conventions and masks
  /// must agree with the reference whose finite-difference step (1e-6) does not cross them.
  @Test(arguments: [ModelKind.linear, .reluOutput, .reluHidden])
  func gradientsNearReLUKinks(kind: ModelKind) throws {
    for shape in Self.shapes {
      let run = try Self.makeRun(kind: kind, n: shape.n, m: shape.m)
      let rows = Self.batch(n: shape.n, kind: kind, rows: 9, seed: 11)
      var p = run.parameters(instance: 0)
      let m = shape.m
      let x = rows[0]
      var h = [Double](repeating: 0, count: m)
      for j in 0..<m {
        for i in 0..<shape.n { h[j] += Double(p.W[i][j]) * Double(x[i]) }
        if kind.hasHiddenReLU { h[j] = max(0, h[j]) }
      }
      for i in 0..<shape.n {
        var o = 0.0
        for j in 0..<m { o += Double(p.W[i][j]) * h[j] }
        p.b[i] = Float(-o + (i % 2 == 0 ? 1e-3 : -1e-3))
      }
      if kind.hasHiddenReLU, let k = x.firstIndex(where: { $0 != 0 }) {
        var pre = 0.0
        for i in 0..<shape.n { pre += Double(p.W[i][0]) * Double(x[i]) }
        p.W[k][0] += Float((1e-3 - pre) / Double(x[k]))
      }
      run.setParameters(p, instance: 0)
      let result = run.lossAndGradient(instance: 0, batch: rows)
      let numeric = ReferenceModel.numericGradient(
        p, kind: kind, importance: run.config.importance[0], batch: rows, h: 1e-6)
      compare(result.gradient, numeric, tolerance: 5e-3, "\(kind.rawValue) \(shape.n)→\(shape.m)")
    }
  }

  /// A 2→1 run trained with the tiny kernel is bit-identical with 1 and 2 threads and in
  /// different chunkings, and a dense run reaches the analytic optimum of the "extra feature
  /// not learned" solution: loss = I₁·Var(x) / n = 0.5 · (1/12) / 2 (notebook convention).
  @Test func trainsTwoToOne() throws {
    var c = RunConfig(
      features: 2, hidden: 1, instances: 4, training: TrainingSettings(steps: 4000, seed: 3))
    c.importance = Array(repeating: [1, 0.5], count: 4)
    c.setUniformProbability(1)
    c.training.initStd = 0.1
    let one = try Run(config: c, threads: 1)
    let two = try Run(config: c, threads: 2)
    one.train(steps: 4000)
    two.train(steps: 1500)
    two.train(steps: 2500)
    for k in 0..<4 { #expect(one.parameters(instance: k) == two.parameters(instance: k)) }
    let optimum = 0.5 / 12 / 2
    for loss in one.evaluate(samples: 65_536) {
      #expect(abs(loss - optimum) / optimum < 0.03, "loss \(loss) vs optimum \(optimum)")
    }
  }
}
