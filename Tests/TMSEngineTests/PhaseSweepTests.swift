import Foundation
import Synchronization
@testable import TMSCore
import TMSFigures
import TMSFiles
import TMSKernels
import Testing

/// The phase-diagram sweep: the analytic 2→1 prototypes of the notes (§7), the exact expected
/// loss that picks the best seed, agreement of a trained grid with the analytic boundary,
/// independence from the thread count, and cancellation.
@Suite struct PhaseSweepTests {
  /// v(p) = Var(x) of a feature active with probability p, uniform on [0, 1] when active.
  static func variance(_ p: Double) -> Double { p / 3 - p * p / 4 }

  // MARK: - Analytic prototypes

  /// The boundary formula is where the superposition prototype's loss meets the cheaper rival:
  /// just below p*(r) superposition wins, just above it loses.
  @Test(arguments: [0.1, 0.3, 0.7, 0.95, 1.05, 1.5, 3, 10])
  func boundaryIsWherePrototypeLossesCross(r: Double) {
    let b = PhaseSweep.analyticBoundary(relativeImportance: r)
    #expect(b > 0 && b <= 4.0 / 7 + 1e-12)
    #expect(
      PhaseSweep.analyticLabel(probability: b * 0.99, relativeImportance: r) == .superposition)
    let above = PhaseSweep.analyticLabel(probability: min(1, b * 1.01), relativeImportance: r)
    #expect(above == (r < 1 ? .notLearned : .dedicated), "r = \(r)")
    #expect(abs(PhaseSweep.analyticBoundary(relativeImportance: 1) - 4.0 / 7) < 1e-12)
  }

  /// The exact expected loss of the three prototype weights equals the notes' closed forms
  /// (paper convention / n): an independent check of both the integrator and the formulas.
  @Test(arguments: [1.0, 0.3, 0.05])
  func expectedLossOfPrototypesMatchesClosedForm(p: Double) {
    let r = 0.6
    let probability = [p, p]
    let importance = [1, r]
    let half = Float(p / 2)
    let cases: [(Parameters, Double)] = [
      (Parameters(W: [[1], [0]], b: [0, half]), r * Self.variance(p)),
      (Parameters(W: [[0], [1]], b: [half, 0]), Self.variance(p)),
      (Parameters(W: [[1], [-1]], b: [0, 0]), (1 + r) * p * p / 6),
    ]
    for (parameters, paper) in cases {
      let loss = PhaseSweep.expectedLoss(
        parameters: parameters, featureProbability: probability, importance: importance,
        points: 64)
      // The midpoint rule integrates x² on [0, 1] with error 1/(12·q²); the patterns with an
      // active feature weigh at most 2p in total, and importance is at most 1.
      let tolerance = 2 * p / (12 * 64 * 64) + 1e-12
      #expect(abs(loss - paper / 2) <= tolerance, "\(parameters): \(loss) vs \(paper / 2)")
    }
  }

  /// Cells in coarse-to-fine order: a permutation of the grid that starts on a sparse lattice.
  @Test(arguments: [2, 3, 7, 8, 20])
  func coarseToFineOrderIsAPermutation(grid: Int) {
    let order = PhaseSweep.coarseToFineOrder(grid: grid)
    #expect(order.sorted() == Array(0..<(grid * grid)))
    #expect(order.first == 0)
  }

  // MARK: - Agreement with the analytic boundary

  /// Cells counted by the agreement check at tolerance factor `f`: p at least a factor f from
  /// p*(r) and r at least a factor f from 1.
  static let margin = 1.5

  /// A 10×10 2→1 diagram at the notebook's 10,000 steps, best of 3 seeds: every cell whose p
  /// is at least a factor 1.5 from the analytic boundary p*(r) and whose r is at least a factor
  /// 1.5 from 1 has the label of the cheapest prototype. (Near the boundary and near r = 1 the
  /// true optimum is an asymmetric solution the prototypes leave out, so those are not counted.)
  @Test func trainedTwoToOneAgreesWithAnalyticBoundary() throws {
    let config = PhaseSweepConfig(
      features: 2, grid: 10, seeds: 3, training: TrainingSettings(steps: 10_000))
    let result = try PhaseSweep(config: config).run(threads: 2)
    #expect(result.isComplete)
    let a = try #require(
      result.analyticAgreement(probabilityFactor: Self.margin, importanceFactor: Self.margin))
    // Enough cells away from the boundary, of all three labels, for the check to mean something.
    #expect(a.counted >= 50, "only \(a.counted) cells counted")
    let countedLabels = Set(
      result.cells.joined().compactMap { $0 }.filter {
        PhaseSweepResult.isAwayFromBoundary(
          probability: $0.featureProbability, relativeImportance: $0.relativeImportance,
          probabilityFactor: Self.margin, importanceFactor: Self.margin)
      }.compactMap(\.analyticLabel))
    #expect(countedLabels == Set(PhaseLabel.allCases))
    #expect(a.agreeing == a.counted, "disagreeing cells [row, column]: \(a.disagreements)")
    // Overall, boundary cells included, most cells still agree.
    #expect(a.finishedFraction >= 0.85, "\(a.finishedAgreeing)/\(a.finished)")
  }

  /// The agreement check can fail: untrained models (0 steps, tiny initial weights) are "not
  /// learned" everywhere, which disagrees with every dedicated and superposition cell. With
  /// the prototype floor on, prototypes stand in for them, and the count of the trained seeds
  /// alone still shows the failure.
  @Test func agreementCheckFailsForUntrainedModels() throws {
    var config = PhaseSweepConfig(
      features: 2, grid: 6, seeds: 1, maxSeeds: 1, prototypeFloor: false, lossPoints: 8,
      training: TrainingSettings(steps: 0))
    let result = try PhaseSweep(config: config).run(threads: 1)
    let a = try #require(result.analyticAgreement(probabilityFactor: 1.5, importanceFactor: 1.5))
    #expect(a.counted > 0)
    #expect(a.agreeing < a.counted)
    #expect(!a.disagreements.isEmpty)
    #expect(a.trainedAgreeing == a.agreeing && a.prototypeDecided == 0)
    config.prototypeFloor = true
    let floored = try PhaseSweep(config: config).run(threads: 1)
    let b = try #require(floored.analyticAgreement(probabilityFactor: 1.5, importanceFactor: 1.5))
    #expect(b.trainedAgreeing == a.agreeing && b.counted == a.counted)
    #expect(b.prototypeDecided >= a.counted - a.agreeing && b.agreeing > a.agreeing)
  }

  /// 3→2 corners the notes describe: dense with small r, the extra feature is dropped; dense
  /// with large r, it takes a dimension of its own; sparse with r = 1, superposition.
  @Test func threeToTwoCorners() throws {
    var config = PhaseSweepConfig(
      features: 3, grid: 3, seeds: 3, training: TrainingSettings(steps: 6_000))
    config.importanceMin = 0.1
    config.importanceMax = 10
    let result = try PhaseSweep(config: config).run(threads: 2)
    // p*(r) = 4r/(2 + 5r) at r = 0.1, none (0) for r > 1.
    #expect(result.analyticBoundary?[0] == 0.4 / 2.5)
    #expect(result.analyticBoundary?[2] == 0)
    #expect(result.cells[0][0]?.label == .notLearned)
    #expect(result.cells[0][2]?.label == .dedicated)
    #expect(result.cells[2][1]?.label == .superposition)
  }

  // MARK: - Determinism and threads

  /// A cell's result depends only on the configuration: 1, 2 and 3 worker threads, and the
  /// background `start`/`wait` path, give identical diagrams (every weight bit), for 2→1 and 3→2.
  @Test(arguments: [2, 3])
  func resultDoesNotDependOnThreadCount(features: Int) throws {
    let config = PhaseSweepConfig(
      features: features, grid: 4, seeds: 2, training: TrainingSettings(steps: 1_500, seed: 11))
    let one = try PhaseSweep(config: config).run(threads: 1)
    let two = try PhaseSweep(config: config).run(threads: 2)
    let three = try PhaseSweep(config: config).run(threads: 3)
    let background = try PhaseSweep(config: config)
    background.start(threads: 2)
    let waited = background.wait()
    #expect(one.isComplete)
    #expect(one.cells == two.cells)
    #expect(one.cells == three.cells)
    #expect(one.cells == waited.cells)
    // And a different sweep seed changes something, so equality is not vacuous.
    var other = config
    other.training.seed = 12
    #expect(try PhaseSweep(config: other).run(threads: 2).cells != one.cells)
  }

  /// Progress reports arrive one at a time with `completed` counting up to G², and each cell
  /// is already in the snapshot when it is reported.
  @Test func progressCountsUpAndSnapshotHasTheCell() throws {
    let config = PhaseSweepConfig(
      features: 2, grid: 3, seeds: 1, training: TrainingSettings(steps: 200))
    let sweep = try PhaseSweep(config: config)
    let seen = Mutex<[Int]>([])
    let inSnapshot = Atomic<Int>(0)
    let result = sweep.run(
      threads: 2,
      progress: { update in
        seen.withLock { $0.append(update.completed) }
        if sweep.snapshot.cells[update.cell.row][update.cell.column] == update.cell {
          inSnapshot.add(1, ordering: .relaxed)
        }
      })
    #expect(seen.withLock { $0 } == Array(1...9))
    #expect(inSnapshot.load(ordering: .relaxed) == 9)
    #expect(result.completed == 9 && !result.cancelled)
  }

  /// Cancelling a background sweep returns promptly with a consistent partial diagram.
  @Test func cancelStopsWithAPartialResult() throws {
    let config = PhaseSweepConfig(
      features: 3, grid: 8, seeds: 3, training: TrainingSettings(steps: 200_000))
    let sweep = try PhaseSweep(config: config)
    sweep.start(threads: 2)
    let clock = ContinuousClock()
    let start = clock.now
    sweep.cancel()
    let result = sweep.wait()
    #expect(clock.now - start < .seconds(5))
    #expect(sweep.isCancelled && sweep.isFinished)
    #expect(result.cancelled)
    #expect(result.completed == result.cells.joined().compactMap { $0 }.count)
    #expect(result.completed < result.total)
  }

  /// Bad configurations are rejected with the field's name.
  @Test func invalidConfigurationsAreRejected() {
    #expect(throws: ConfigError.self) { try PhaseSweep(config: PhaseSweepConfig(features: 4)) }
    #expect(throws: ConfigError.self) { try PhaseSweep(config: PhaseSweepConfig(grid: 1)) }
    #expect(throws: ConfigError.self) { try PhaseSweep(config: PhaseSweepConfig(seeds: 0)) }
  }

  /// `--importance-range 0.1 1e6`: the log-spaced axes hit their end points exactly (the last
  /// r used to come out as 1000000.0000000013, over the 1e6 limit, and that column's cells
  /// silently stopped the sweep), so every cell trains.
  @Test func rangeEndPointsAreExactAndEveryCellTrains() throws {
    let config = PhaseSweepConfig(
      features: 2, grid: 2, seeds: 1, importanceMin: 0.1, importanceMax: 1e6,
      training: TrainingSettings(batchSize: 16, steps: 20))
    #expect(config.relativeImportance == [0.1, 1e6])
    for g in 2...PhaseSweepConfig.maxGrid {
      let r = Curve.logRange(from: 0.1, to: 1e6, count: g)
      #expect(r.first == 0.1 && r.last == 1e6)
      #expect(r.allSatisfy { $0 >= 0.1 && $0 <= 1e6 })
      let p = Curve.logRange(from: 1, to: 0.003, count: g)
      #expect(p.first == 1 && p.last == 0.003)
      #expect(p.allSatisfy { $0 >= 0.003 && $0 <= 1 })
    }
    let result = try PhaseSweep(config: config).run(threads: 2)
    #expect(result.completed == result.total)
    #expect(result.failure == nil && !result.cancelled)
  }

  /// A cell that cannot train is an error: the sweep stops, says which cell and why, and does
  /// not pass for a cancelled or finished one. (Validation now rejects such grids up front,
  /// so the test skips it.)
  @Test func aCellThatCannotTrainIsAFailure() throws {
    var config = PhaseSweepConfig(
      features: 2, grid: 2, seeds: 1, training: TrainingSettings(batchSize: 16, steps: 20))
    config.importanceMax = 2e6
    #expect(throws: ConfigError.self) { try config.validate() }
    let sweep = PhaseSweep(unvalidated: config)
    let result = sweep.run(threads: 1)
    #expect(result.completed < result.total)
    #expect(!result.cancelled)
    let failure = try #require(result.failure)
    #expect(failure.contains("column 1") && failure.contains("importance"))
  }

  // MARK: - Output

  /// The CSV has a header and one line per finished cell with the documented columns.
  @Test func csvHasOneLinePerCell() throws {
    let config = PhaseSweepConfig(
      features: 2, grid: 2, seeds: 2, training: TrainingSettings(steps: 100))
    let result = try PhaseSweep(config: config).run(threads: 1)
    let lines = result.csv().split(separator: "\n")
    #expect(lines.count == 5)
    #expect(lines[0].hasPrefix("row,column,feature_probability,relative_importance,norm,"))
    let header = lines[0].split(separator: ",")
    for line in lines.dropFirst() {
      #expect(line.split(separator: ",", omittingEmptySubsequences: false).count == header.count)
    }
  }
}
