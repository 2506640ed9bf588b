import Testing
import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles

/// The analytic gradients of the training kernels against finite differences of an
/// independent Double-precision forward pass, for every model kind and both kernels
/// (5→2 runs the samples-in-lanes kernel, 40→10 and 37→21 the tiled features-in-lanes one;
/// 37→21 has an odd number of feature and hidden chunks and a partial block of hidden units).
@Suite struct GradientTests {
  static let shapes: [(n: Int, m: Int)] = [(5, 2), (40, 10), (37, 21)]

  /// A batch with both signs for abs, some exact zeros (sparse) and some dense rows.
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

  /// A one-instance run with fixed random biases; `probability` only selects the kernel's
  /// dense-input or sparse-input path (the batches are given explicitly).
  static func makeRun(kind: ModelKind, n: Int, m: Int, probability: Double = 1) throws -> Run {
    var c = RunConfig(
      model: kind, features: n, hidden: m, instances: 1,
      training: TrainingSettings(batchSize: 64, seed: 7))
    c.setImportanceDecay(0.9)
    c.featureProbability = [Curve.constant(probability, count: n)]
    c.training.initStd = 0.4
    let run = try Run(config: c)
    var p = run.parameters(instance: 0)
    var rng = SplitMix64(seed: 99)
    for i in 0..<n { p.b[i] = Float(rng.nextUnit() * 0.4 - 0.2) }
    run.setParameters(p, instance: 0)
    return run
  }

  func compare(_ analytic: Parameters, _ numeric: Parameters, tolerance: Float = 2e-3) {
    func check(_ a: [Float], _ b: [Float], _ what: String) {
      for (x, y) in zip(a, b) {
        let scale = max(Float(1e-3), abs(y))
        #expect(abs(x - y) <= tolerance * scale + 2e-6, "\(what): analytic \(x) vs numeric \(y)")
      }
    }
    for (i, (a, b)) in zip(analytic.W, numeric.W).enumerated() { check(a, b, "W[\(i)]") }
    if let a2 = analytic.W2, let n2 = numeric.W2 {
      for (i, (a, b)) in zip(a2, n2).enumerated() { check(a, b, "W2[\(i)]") }
    }
    check(analytic.b, numeric.b, "b")
  }

  @Test(arguments: ModelKind.allCases)
  func analyticMatchesFiniteDifferences(kind: ModelKind) throws {
    for shape in Self.shapes {
      let run = try Self.makeRun(kind: kind, n: shape.n, m: shape.m)
      let rows = Self.batch(n: shape.n, kind: kind, rows: 37, seed: 3)
      let p = run.parameters(instance: 0)
      let imp = run.config.importance[0]
      let result = run.lossAndGradient(instance: 0, batch: rows)
      let reference = ReferenceModel.loss(p, kind: kind, importance: imp, batch: rows)
      #expect(
        abs(result.loss - reference) <= 1e-5 * max(1, reference),
        "loss \(result.loss) vs \(reference)")
      let numeric = ReferenceModel.numericGradient(p, kind: kind, importance: imp, batch: rows)
      compare(result.gradient, numeric)
    }
  }

  /// A batch spanning two full tiles of the tiled kernel and a partial one (not a multiple of
  /// its four-sample groups), so the per-tile gradient blocks are summed across tiles, through
  /// every kernel path the model can take: the tiled kernel's dense-input and sparse-input
  /// paths and, for tied models without a hidden ReLU, the Gram kernel; each in every
  /// instruction set this CPU runs (the build's level and, on x86-64, the x86-64-v3 and v4
  /// copies where the CPU has them).
  @Test(arguments: ModelKind.allCases)
  func gradientsAcrossTilesOnEveryPath(kind: ModelKind) throws {
    let (n, m) = (37, 21)
    let run = try Self.makeRun(kind: kind, n: n, m: m)
    let paths = run.kernelPaths(instance: 0)
    let eligible = kind == .linear || kind == .reluOutput
    #expect(
      paths == (eligible ? [.tiledDense, .tiledSparse, .gram] : [.tiledDense, .tiledSparse]))
    let rows = Self.batch(
      n: n, kind: kind, rows: 2 * InstanceEngine.tileSamples + 23, seed: 5)
    let p = run.parameters(instance: 0)
    let imp = run.config.importance[0]
    let reference = ReferenceModel.loss(p, kind: kind, importance: imp, batch: rows)
    let numeric = ReferenceModel.numericGradient(p, kind: kind, importance: imp, batch: rows)
    for set in InstructionSet.available {
      for path in paths {
        let result = run.lossAndGradient(
          instance: 0, batch: rows, path: path, instructionSet: set)
        #expect(
          abs(result.loss - reference) <= 1e-5 * max(1, reference),
          "\(path), \(set): loss \(result.loss) vs \(reference)")
        compare(result.gradient, numeric)
      }
    }
  }

  /// The path each configuration trains through: dense inputs at p = 1, the Gram kernel at
  /// sparse p where the model allows it, the tiled kernel's sparse-input path where not.
  @Test(arguments: ModelKind.allCases)
  func pathFollowsSparsity(kind: ModelKind) throws {
    let eligible = kind == .linear || kind == .reluOutput
    #expect(
      try Self.makeRun(kind: kind, n: 200, m: 20, probability: 1).kernelPath(instance: 0)
        == .tiledDense)
    #expect(
      try Self.makeRun(kind: kind, n: 200, m: 20, probability: 0.01).kernelPath(instance: 0)
        == (eligible ? .gram : .tiledSparse))
    #expect(try Self.makeRun(kind: kind, n: 5, m: 2).kernelPath(instance: 0) == .samplesInLanes)
  }

  /// Pre-activations placed 1e-3 from the ReLU kinks (both sides): the finite-difference
  /// step (1e-6) does not cross them, so analytic and numeric gradients must still agree.
  @Test(arguments: ModelKind.allCases)
  func gradientsNearReLUKinks(kind: ModelKind) throws {
    for shape in Self.shapes {
      let run = try Self.makeRun(kind: kind, n: shape.n, m: shape.m)
      let rows = Self.batch(n: shape.n, kind: kind, rows: 9, seed: 11)
      var p = run.parameters(instance: 0)
      let m = shape.m
      let x = rows[0]
      // Output kink: choose b_i so that out_i = ±1e-3 on the first sample.
      var h = [Double](repeating: 0, count: m)
      for j in 0..<m {
        for i in 0..<shape.n { h[j] += Double(p.W[i][j]) * Double(x[i]) }
        if kind.hasHiddenReLU { h[j] = max(0, h[j]) }
      }
      for i in 0..<shape.n {
        var o = 0.0
        for j in 0..<m { o += Double(kind.isTied ? p.W[i][j] : p.W2![i][j]) * h[j] }
        p.b[i] = Float(-o + (i % 2 == 0 ? 1e-3 : -1e-3))
      }
      // Hidden kink: nudge W so that pre_0 = ±1e-3 on the first sample.
      if kind.hasHiddenReLU, let k = x.firstIndex(where: { $0 != 0 }) {
        var pre = 0.0
        for i in 0..<shape.n { pre += Double(p.W[i][0]) * Double(x[i]) }
        p.W[k][0] += Float((1e-3 - pre) / Double(x[k]))
      }
      run.setParameters(p, instance: 0)
      let result = run.lossAndGradient(instance: 0, batch: rows)
      let numeric = ReferenceModel.numericGradient(
        p, kind: kind, importance: run.config.importance[0], batch: rows, h: 1e-6)
      compare(result.gradient, numeric, tolerance: 5e-3)
    }
  }
}
