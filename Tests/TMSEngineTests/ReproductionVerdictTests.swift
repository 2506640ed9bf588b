import Foundation
import TMSCore
import TMSReproduction
import Testing

/// Every verdict rule of `tms reproduce` on known weights: the paper's solution passes, a
/// wrong model fails the row that checks it.
@Suite struct ReproductionVerdictTests {
  func row(_ rows: [ClaimRow], _ prefix: String) -> ClaimRow? {
    rows.first { $0.quantity.hasPrefix(prefix) }
  }

  func polygon(_ k: Int, radius: Float, phase: Float = 0.3) -> [[Float]] {
    (0..<k).map { i in
      let a = phase + 2 * Float.pi * Float(i) / Float(k)
      return [radius * cosf(a), radius * sinf(a)]
    }
  }

  @Test func rulesPassInsideAndFailOutside() {
    #expect(ClaimRule.relative("x", measured: 1.009, target: 1, relative: 0.01).verdict == .pass)
    #expect(ClaimRule.relative("x", measured: 1.02, target: 1, relative: 0.01).verdict == .fail)
    // Two standard errors widen the band, no more.
    let se = 0.005
    #expect(
      ClaimRule.relative("x", measured: 1.019, standardError: se, target: 1, relative: 0.01)
        .verdict == .pass)
    #expect(
      ClaimRule.relative("x", measured: 1.021, standardError: se, target: 1, relative: 0.01)
        .verdict == .fail)
    #expect(ClaimRule.relative("x", measured: .nan, target: 1, relative: 1).verdict == .fail)
    #expect(
      ClaimRule.range("x", measured: 0.242, low: 0.2415, high: 0.2425, paper: "").verdict == .pass)
    #expect(
      ClaimRule.range("x", measured: 0.243, low: 0.2415, high: 0.2425, paper: "").verdict == .fail)
    #expect(ClaimRule.count("x", measured: 7, low: 7, high: 7, paper: "").verdict == .pass)
    #expect(ClaimRule.count("x", measured: 8, low: 7, high: 7, paper: "").verdict == .fail)
    #expect(
      ClaimRule.absolute("x", measured: -0.26, target: -0.24, absolute: 0.03).verdict == .pass)
    #expect(
      ClaimRule.absolute("x", measured: -0.28, target: -0.24, absolute: 0.03).verdict == .fail)
    #expect(abs(ClaimRule.correlation([1, 2, 3], [2, 4, 6]) - 1) < 1e-12)
    #expect(abs(ClaimRule.correlation([1, 2, 3], [3, 2, 1]) + 1) < 1e-12)
    #expect(ClaimRule.correlation([1, 1, 1], [1, 2, 3]).isNaN)
    // r = 0.8 over 4 points has SE (1 − 0.64)/√3 ≈ 0.208: it reaches 0.9 − 2 SE, not 1.3 − 2 SE.
    let x: [Double] = [1, 2, 3, 4]
    let y: [Double] = [1, 3, 2, 4]
    #expect(abs(ClaimRule.correlation(x, y) - 0.8) < 1e-12)
    #expect(ClaimRule.correlationAtLeast("r", x, y, minimum: 0.9, paper: "").verdict == .pass)
    #expect(ClaimRule.correlationAtLeast("r", x, y, minimum: 1.3, paper: "").verdict == .fail)
    #expect(
      ClaimRule.correlationAtLeast("r", x, x.map { _ in 1 }, minimum: 0, paper: "").verdict == .fail
    )
  }

  /// The intro's optimum (notes §9.1–9.2) built by hand passes; a tilted dense pair and a
  /// square where the pentagon belongs fail.
  @Test func introRowsJudgeTheWeights() throws {
    let config = RunConfig.intro()
    var params = (0..<config.instances).map { k -> Parameters in
      let p = config.featureProbability[k][0]
      return Parameters(
        W: [[1, 0], [0, 1], [0, 0], [0, 0], [0, 0]],
        b: [0, 0, Float(p / 2), Float(p / 2), Float(p / 2)])
    }
    for k in 7..<10 {
      params[k] = Parameters(W: polygon(5, radius: 1.13), b: Array(repeating: -0.24, count: 5))
    }
    var data = ExperimentData(quick: false)
    data.runs = [("relu-output", try TrainedRun.fixed(config, parameters: params))]
    let good = Experiment.intro.check(data)
    #expect(row(good, "loss at p = 1")?.verdict == .pass)
    #expect(row(good, "features 0 and 1")?.verdict == .pass)
    #expect(row(good, "b_2")?.verdict == .pass)
    #expect(row(good, "arrangement at p = 0.05")?.verdict == .pass)
    #expect(row(good, "mean ‖W_i‖")?.verdict == .pass)
    #expect(row(good, "mean b_i")?.verdict == .pass)

    var bad = params
    let c = Float(0.5).squareRoot()
    bad[0] = Parameters(
      W: [[1, 0], [c, c], [0, 0], [0, 0], [0, 0]], b: [0, 0, 0.5, 0.5, 0.5])
    bad[9] = Parameters(
      W: polygon(4, radius: 1) + [[0, 0]], b: Array(repeating: 0, count: 5))
    data.runs = [("relu-output", try TrainedRun.fixed(config, parameters: bad))]
    let wrong = Experiment.intro.check(data)
    #expect(row(wrong, "loss at p = 1")?.verdict == .fail)
    #expect(row(wrong, "features 0 and 1")?.verdict == .fail)
    #expect(row(wrong, "arrangement at p = 0.05")?.verdict == .fail)
    #expect(row(wrong, "mean ‖W_i‖ at p = 0.05")?.verdict == .fail)
    #expect(row(wrong, "mean b_i at p = 0.05")?.verdict == .fail)
  }

  /// The linear optimum (top five orthonormal, b_i = E[x_i] for the rest) meets
  /// L = (p/3 − p²/4)·0.557574; keeping five other features fails it.
  @Test func basicLinearLossRule() throws {
    var config = RunConfig(name: "basic", model: .linear, features: 20, hidden: 5, instances: 3)
    config.setImportanceDecay(0.7)
    config.featureProbability = [1, 0.1, 0.01].map { Array(repeating: $0, count: 20) }
    func optimum(keeping kept: Range<Int>) -> [Parameters] {
      (0..<3).map { k in
        let p = Float(config.featureProbability[k][0])
        let W = (0..<20).map { i -> [Float] in
          (0..<5).map { j in kept.contains(i) && i - kept.lowerBound == j ? 1 : 0 }
        }
        return Parameters(W: W, b: (0..<20).map { kept.contains($0) ? 0 : p / 2 })
      }
    }
    let linear = try TrainedRun.fixed(config, parameters: optimum(keeping: 0..<5))
    var relu = linear
    relu.config.model = .reluOutput
    var data = ExperimentData(quick: false)
    data.runs = [("linear", linear), ("relu-output", relu)]
    #expect(row(Experiment.basic.check(data), "linear loss at every p")?.verdict == .pass)
    #expect(row(Experiment.basic.check(data), "linear model keeps the top 5")?.verdict == .pass)
    data.runs[0].run = try TrainedRun.fixed(config, parameters: optimum(keeping: 5..<10))
    #expect(row(Experiment.basic.check(data), "linear loss at every p")?.verdict == .fail)
    #expect(row(Experiment.basic.check(data), "linear model keeps the top 5")?.verdict == .fail)
  }

  func phaseResult(features: Int, label: (Double, Double) -> PhaseLabel) -> PhaseSweepResult {
    let config = PhaseSweepConfig(features: features, grid: 10)
    var result = PhaseSweepResult(config: config, threads: 1)
    for row in 0..<10 {
      for column in 0..<10 {
        let p = result.featureProbability[row]
        let r = result.relativeImportance[column]
        result.cells[row][column] = PhaseCell(
          row: row, column: column, featureProbability: p, relativeImportance: r, norm: 1,
          superposition: 0, loss: 0, label: label(p, r), winningSeed: 0, seedLosses: [0],
          seedLabels: [label(p, r)],
          parameters: Parameters(W: [[1]], b: [0]),
          analyticLabel: PhaseSweep.analyticLabel(
            features: features, probability: p, relativeImportance: r),
          analyticLoss: nil)
      }
    }
    result.completed = 100
    return result
  }

  @Test func phaseDiagramRules() {
    let truth32 = phaseResult(features: 3) { p, r in
      Experiment.superposition32(probability: p, relativeImportance: r)
        ? .superposition : (r < 1 ? .notLearned : .dedicated)
    }
    var data = ExperimentData(quick: false)
    data.phase = truth32
    #expect(Experiment.phase32.check(data).allSatisfy { $0.verdict != .fail })
    #expect(Experiment.phase32.check(data).filter { $0.verdict == .pass }.count == 2)
    // A local minimum in superposition where r > 1 fails the "never" row.
    data.phase = phaseResult(features: 3) { p, r in
      r > 3 && p < 0.05
        ? .superposition
        : Experiment.superposition32(probability: p, relativeImportance: r)
          ? .superposition : .dedicated
    }
    #expect(row(Experiment.phase32.check(data), "trained cells with r ≥ 1.5")?.verdict == .fail)
    // Everything in superposition disagrees below r < 1 at dense p.
    data.phase = phaseResult(features: 3) { _, _ in .superposition }
    #expect(row(Experiment.phase32.check(data), "trained cells agreeing")?.verdict == .fail)

    data.phase = phaseResult(features: 2) { p, r in
      PhaseSweep.analyticLabel(probability: p, relativeImportance: r)
    }
    #expect(row(Experiment.phase21.check(data), "trained cells agreeing")?.verdict == .pass)
    data.phase = phaseResult(features: 2) { _, _ in .dedicated }
    #expect(row(Experiment.phase21.check(data), "trained cells agreeing")?.verdict == .fail)
  }

  /// D* = 1 with m dedicated features and Σ D_i = m pass; every feature on one line fails both.
  @Test func dimensionalityRules() throws {
    var config = RunConfig(name: "dims", features: 12, hidden: 3, instances: 2)
    config.featureProbability = [1, 0.05].map { Array(repeating: $0, count: 12) }
    let dedicated = (0..<12).map { i -> [Float] in (0..<3).map { j in i == j ? 1 : 0 } }
    let good = Parameters(W: dedicated, b: Array(repeating: 0, count: 12))
    var data = ExperimentData(quick: false)
    data.runs = [("relu-output", try TrainedRun.fixed(config, parameters: [good, good]))]
    let rows = Experiment.dimensionality.check(data)
    #expect(row(rows, "D* at p = 1")?.verdict == .pass)
    #expect(row(rows, "Σ D_i")?.verdict == .pass)
    let line = Parameters(
      W: Array(repeating: [1, 0, 0], count: 12), b: Array(repeating: 0, count: 12))
    data.runs = [("relu-output", try TrainedRun.fixed(config, parameters: [line, line]))]
    let wrong = Experiment.dimensionality.check(data)
    #expect(row(wrong, "D* at p = 1")?.verdict == .fail)
    #expect(row(wrong, "Σ D_i")?.verdict == .fail)
    // The plateau rows are reported without a verdict in --quick, and counted as such.
    data.quick = true
    let quick = Experiment.dimensionality.check(data)
    #expect(quick.filter { $0.tolerance.hasPrefix("not judged in --quick") }.count == 3)
    #expect(!quick.contains { $0.verdict == .fail && $0.tolerance.hasPrefix("not judged") })
  }

  /// Monosemantic dense neurons that turn polysemantic pass the privileged-basis rule; the
  /// reverse fails it.
  @Test func privilegedBasisRule() throws {
    var config = RunConfig(name: "basis", model: .reluHidden, features: 10, hidden: 5, instances: 2)
    config.featureProbability = [0.75, 0.01].map { Array(repeating: $0, count: 10) }
    let mono = (0..<10).map { i -> [Float] in (0..<5).map { j in i == j ? 1 : 0 } }
    let poly = (0..<10).map { i -> [Float] in (0..<5).map { j in (i + j) % 2 == 0 ? 0.5 : -0.4 } }
    let zero = Array(repeating: Float(0), count: 10)
    var data = ExperimentData(quick: false)
    data.runs = [
      (
        "relu-hidden",
        try TrainedRun.fixed(
          config, parameters: [Parameters(W: mono, b: zero), Parameters(W: poly, b: zero)])
      )
    ]
    #expect(row(Experiment.neurons.check(data), "relu-hidden")?.verdict == .pass)
    data.runs[0].run = try TrainedRun.fixed(
      config, parameters: [Parameters(W: poly, b: zero), Parameters(W: mono, b: zero)])
    #expect(row(Experiment.neurons.check(data), "relu-hidden")?.verdict == .fail)
  }

  @Test func neuronsPerFeatureCountsArgmaxNeurons() {
    // Neurons 0, 1 on feature 0, neuron 2 on feature 1, neuron 3 dead.
    let W: [[Float]] = [[1, -1, 0.1, 0], [0.2, 0.1, 0.9, 0], [0, 0, 0, 0]]
    #expect(Experiment.neuronsPerFeature(W, hidden: 4) == [0: 2, 1: 1])
  }

  /// Anticorrelated partners placed antipodally pass; the square with partners orthogonal
  /// (the local minimum most seeds find at p = 0.1) fails. A square of features 1–4 with
  /// feature 0 dropped passes the non-uniform rule; a pentagon there fails it.
  @Test func arrangementRules() throws {
    var anti = RunConfig(name: "anticorrelated", features: 4, hidden: 2, instances: 2)
    anti.groups = [
      FeatureGroup(kind: .anticorrelated, features: [0, 1]),
      FeatureGroup(kind: .anticorrelated, features: [2, 3]),
    ]
    anti.featureProbability = [0.133, 0.1].map { Array(repeating: $0, count: 4) }
    let zero4 = Array(repeating: Float(0), count: 4)
    let antipodal = Parameters(W: [[1, 0], [-1, 0], [0, 1], [0, -1]], b: zero4)
    let crossed = Parameters(W: [[1, 0], [0, 1], [-1, 0], [0, -1]], b: zero4)
    var data = ExperimentData(quick: false)
    data.runs = [
      ("anticorrelated", try TrainedRun.fixed(anti, parameters: [antipodal, antipodal]))
    ]
    #expect(Experiment.arrangements.check(data).allSatisfy { $0.verdict == .pass })
    data.runs = [("anticorrelated", try TrainedRun.fixed(anti, parameters: [antipodal, crossed]))]
    #expect(Experiment.arrangements.check(data).map(\.verdict) == [.pass, .fail])

    var uneven = RunConfig(name: "non-uniform", features: 5, hidden: 2, instances: 2)
    uneven.featureProbability = [[0.05, 0.05, 0.05, 0.05, 0.05], [0.005, 0.05, 0.05, 0.05, 0.05]]
    let zero5 = Array(repeating: Float(0), count: 5)
    let pentagon = Parameters(W: polygon(5, radius: 1.1), b: zero5)
    let square = Parameters(W: [[0, 0]] + polygon(4, radius: 1), b: zero5)
    data.runs = [("non-uniform", try TrainedRun.fixed(uneven, parameters: [pentagon, square]))]
    #expect(Experiment.arrangements.check(data).map(\.verdict) == [.pass, .pass])
    data.runs = [("non-uniform", try TrainedRun.fixed(uneven, parameters: [pentagon, pentagon]))]
    #expect(Experiment.arrangements.check(data).map(\.verdict) == [.pass, .fail])
  }

  /// Vulnerability rises with features per dimension when the ReLU model packs more features
  /// in; a ReLU model no different from the linear one fails every row.
  @Test func adversarialRule() throws {
    let probabilities = [1, 0.5, 0.3, 0.2, 0.1]
    var config = RunConfig(
      name: "adversarial", model: .linear, features: 6, hidden: 2, instances: probabilities.count)
    config.featureProbability = probabilities.map { Array(repeating: $0, count: 6) }
    let zero = Array(repeating: Float(0), count: 6)
    func polygonOf(_ k: Int) -> Parameters {
      let kept = k == 2 ? [[1, 0], [0, 1]] : polygon(k, radius: 1, phase: 0)
      return Parameters(
        W: kept + Array(repeating: [0, 0], count: 6 - kept.count), b: zero)
    }
    let two = polygonOf(2)
    let linear = try TrainedRun.fixed(config, parameters: Array(repeating: two, count: 5))
    var reluConfig = config
    reluConfig.model = .reluOutput
    // Features per dimension 1, 1.5, 2, 2.5, 3 as the data gets sparser: more superposition.
    let packed = [2, 3, 4, 5, 6].map(polygonOf)
    var data = ExperimentData(quick: false)
    data.runs = [
      ("linear", linear), ("relu-output", try TrainedRun.fixed(reluConfig, parameters: packed)),
    ]
    let rows = Experiment.adversarial.check(data)
    #expect(row(rows, "vulnerability (notes")?.verdict == .pass)
    #expect(row(rows, "vulnerability, dense")?.verdict == .pass)
    #expect(row(rows, "the ReLU model's measured attack gain")?.verdict == .pass)
    // A ReLU model that never superposes: nothing to track, the rows fail.
    data.runs[1].run = try TrainedRun.fixed(reluConfig, parameters: Array(repeating: two, count: 5))
    let wrong = Experiment.adversarial.check(data)
    #expect(row(wrong, "vulnerability (notes")?.verdict == .fail)
    #expect(row(wrong, "vulnerability, dense")?.verdict == .fail)
    #expect(row(wrong, "the ReLU model's measured attack gain")?.verdict == .fail)
  }

  /// A feature that settles at ½ and later at ⅖ is one jump; one drifting through the
  /// fractions without settling is none.
  @Test func jumpsNeedSettledLevels() {
    var h = TrainingHistory()
    let settled: [Double] = [0.9, 0.5, 0.5, 0.45, 0.4, 0.4]
    let drifting: [Double] = [0.9, 0.5, 0.45, 0.4, 0.36, 0.33]
    for t in 0..<6 {
      h.steps.append(100 * (t + 1))
      h.loss.append(1)
      h.dimensionality.append([settled[t], drifting[t]])
      h.norms.append([1, 1])
    }
    let jumps = Experiment.jumps(h)
    #expect(jumps.count == 1)
    #expect(jumps.first?.feature == 0 && jumps.first?.from == 0.5 && jumps.first?.to == 0.4)
  }
}
