import Foundation
@testable import TMSCore
import TMSFigures
import TMSKernels
import Testing

/// The 3→2 analytic diagram (notes §9.5), the prototype floor and the adaptive-seed rule of
/// the phase sweep, and the agreement count, on fixed weights.
@Suite struct PhaseFloorTests {
  // MARK: - 3→2 analytic boundary

  /// For r < 1 the extra feature is in superposition just below 4r/(2 + 5r) and not learned
  /// just above it; for r > 1 it is dedicated at every p (the boundary is 0).
  @Test(arguments: [0.1, 0.3, 0.7, 0.95, 1.05, 1.5, 3, 10])
  func threeToTwoBoundary(r: Double) {
    let b = PhaseSweep.analyticBoundary(features: 3, relativeImportance: r)
    if r < 1 {
      #expect(abs(b - 4 * r / (2 + 5 * r)) < 1e-15)
      #expect(
        PhaseSweep.analyticLabel(features: 3, probability: b * 0.99, relativeImportance: r)
          == .superposition)
      #expect(
        PhaseSweep.analyticLabel(features: 3, probability: b * 1.01, relativeImportance: r)
          == .notLearned)
    } else {
      #expect(b == 0)
      for p in [1, 0.3, 0.05, 0.01, 1e-4] {
        #expect(
          PhaseSweep.analyticLabel(features: 3, probability: p, relativeImportance: r)
            == .dedicated, "p = \(p), r = \(r)")
      }
    }
    // 2→1 at r > 1 still has superposition below 4/(2r + 5): the two diagrams differ there.
    if r > 1 {
      #expect(
        PhaseSweep.analyticLabel(probability: 0.01, relativeImportance: r) == .superposition)
    }
  }

  /// The closed forms of the 3→2 prototypes equal the exact expected loss of their weights,
  /// and the analytic label is the label of the weights with the lowest such loss.
  @Test(arguments: [1.0, 0.3, 0.05])
  func threeToTwoPrototypesMatchTheirWeights(p: Double) {
    let config = PhaseSweepConfig(features: 3, lossPoints: 48)
    for r in [0.3, 3.0] {
      var best: (PhaseLabel, Double)?
      for q in PhasePrototype.cases(features: 3) {
        let seed = PhaseSeed.scored(
          q.parameters(features: 3, probability: p), config: config, probability: p,
          relativeImportance: r)
        // Midpoint rule: x² on [0, 1] is off by 1/(12·q²) per active feature; patterns with
        // an active feature weigh at most 3p, importance at most r.
        let tolerance = 3 * p * max(1, r) / (12 * 48 * 48) + 1e-12
        let closed = q.closedFormLoss(probability: p, relativeImportance: r) / 3
        #expect(abs(seed.loss - closed) <= tolerance, "\(q) p = \(p) r = \(r)")
        #expect(seed.label == q.label, "\(q)")
        if best == nil || seed.loss < best!.1 { best = (seed.label, seed.loss) }
      }
      #expect(
        best?.0 == PhaseSweep.analyticLabel(features: 3, probability: p, relativeImportance: r))
    }
  }

  // MARK: - The prototype floor

  /// A cell at p = 0.07, r = 3.8 whose only seed is a local minimum that training finds about
  /// half the time (sweep seed 3, independent of this code): the extra feature antipodal to
  /// feature 0, loss 0.00126 — 2.4× the pair-and-dedicated prototype's.
  static let config = PhaseSweepConfig(
    features: 3, grid: 2, seeds: 1, probabilityMax: 0.07, probabilityMin: 0.069,
    importanceMin: 3.8, importanceMax: 3.81)
  static let localMinimum = Parameters(
    W: [[0.9633995, 0.2094149], [-0.2128386, 0.9761157], [-0.9834519, -0.21389425]],
    b: [0.002046117, 0.00019092494, 0.00031753408])

  /// Without the floor the local minimum labels the cell "superposition" (what the 3→2
  /// diagram showed in 51 of its 200 r > 1 cells); with it the cell is not settled, and once
  /// no more seeds may train, the pair-and-dedicated prototype labels it, marked, with the
  /// seed's label and loss kept beside it.
  @Test func floorOverridesALocalMinimum() throws {
    let c = Self.config
    let (p, r) = (c.featureProbability[0], c.relativeImportance[0])
    let seed = PhaseSeed.scored(Self.localMinimum, config: c, probability: p, relativeImportance: r)
    #expect(seed.label == .superposition)
    let floor = PhaseSweep.prototypeFloor(c, probability: p, relativeImportance: r)
    #expect(floor.prototype == .pairAndDedicated)
    #expect(seed.loss > 2 * floor.seed.loss)

    let without = PhaseSweep.decideCell(c, row: 0, column: 0, seeds: [seed], floor: nil)
    #expect(without.label == .superposition && without.prototype == nil)
    #expect(without.label != without.analyticLabel)

    let with = PhaseSweep.decideCell(c, row: 0, column: 0, seeds: [seed], floor: floor)
    #expect(with.label == .dedicated && with.label == with.analyticLabel)
    #expect(with.prototype == .pairAndDedicated)
    #expect(with.trainedLabel == .superposition && with.trainedLoss == seed.loss)
    #expect(with.loss == floor.seed.loss && with.parameters == floor.seed.parameters)
    #expect(with.norm > 0.99 && with.superposition < 1e-12)

    // The rule asks for more seeds with the floor, and is content with one seed without it.
    #expect(
      !PhaseSweep.isSettled(
        labels: [seed.label], bestLoss: seed.loss, previousBest: nil,
        floorLoss: floor.seed.loss, tolerance: c.floorTolerance))
    #expect(
      PhaseSweep.isSettled(
        labels: [seed.label], bestLoss: seed.loss, previousBest: nil, floorLoss: nil,
        tolerance: c.floorTolerance))
  }

  /// A seed within the tolerance of the floor keeps the cell: the prototype only stands in
  /// when it beats every seed by more than the tolerance.
  @Test func aSeedAtTheFloorKeepsTheCell() {
    let c = Self.config
    let (p, r) = (c.featureProbability[0], c.relativeImportance[0])
    let floor = PhaseSweep.prototypeFloor(c, probability: p, relativeImportance: r)
    var seed = floor.seed
    // A slightly shorter extra feature: a slightly worse solution.
    seed.parameters.W[2] = seed.parameters.W[2].map { $0 * 0.995 }
    seed = PhaseSeed.scored(seed.parameters, config: c, probability: p, relativeImportance: r)
    #expect(seed.loss > floor.seed.loss && seed.loss <= floor.seed.loss * 1.01)
    let cell = PhaseSweep.decideCell(c, row: 0, column: 0, seeds: [seed], floor: floor)
    #expect(cell.prototype == nil && cell.loss == seed.loss)
  }

  /// The settling rule: disagreeing seeds get a second batch; a later batch that lowers the
  /// best loss below what was known asks for another; one that only reaches the floor, or
  /// finds nothing better, ends the search.
  @Test func settlingRule() {
    let mixed: [PhaseLabel] = [.superposition, .dedicated, .dedicated]
    let t = 0.01
    #expect(
      !PhaseSweep.isSettled(
        labels: mixed, bestLoss: 1, previousBest: nil, floorLoss: 1, tolerance: t))
    #expect(
      PhaseSweep.isSettled(labels: mixed, bestLoss: 1, previousBest: 1, floorLoss: 1, tolerance: t))
    // Reached the floor from far above: the prototype was known, no news.
    #expect(
      PhaseSweep.isSettled(labels: mixed, bestLoss: 1, previousBest: 3, floorLoss: 1, tolerance: t))
    // Went clearly below the floor and the previous best: keep looking.
    #expect(
      !PhaseSweep.isSettled(
        labels: mixed, bestLoss: 0.9, previousBest: 1, floorLoss: 1, tolerance: t))
    // Without a floor, a batch that improved by more than the tolerance asks for another.
    #expect(
      !PhaseSweep.isSettled(
        labels: mixed, bestLoss: 0.9, previousBest: 1, floorLoss: nil, tolerance: t))
    #expect(
      PhaseSweep.isSettled(
        labels: mixed, bestLoss: 0.995, previousBest: 1, floorLoss: nil, tolerance: t))
    // Agreeing seeds above the floor are not settled; at it they are.
    let same: [PhaseLabel] = [.dedicated, .dedicated]
    #expect(
      !PhaseSweep.isSettled(
        labels: same, bestLoss: 1.02, previousBest: nil, floorLoss: 1, tolerance: t))
    #expect(
      PhaseSweep.isSettled(
        labels: same, bestLoss: 1.01, previousBest: nil, floorLoss: 1, tolerance: t))
    #expect(
      !PhaseSweep.isSettled(
        labels: same, bestLoss: .nan, previousBest: nil, floorLoss: nil, tolerance: t))
  }

  /// The sweep follows the rule: untrained seeds (0 steps, random initial weights) never reach
  /// the floor at a sparse r > 1 cell, so each cell trains batches up to the cap and a
  /// prototype labels it; with the floor off one seed is enough.
  @Test func unsettledCellsTrainUpToTheCap() throws {
    var c = Self.config
    c.maxSeeds = 3
    c.lossPoints = 8
    c.training = TrainingSettings(steps: 0)
    let result = try PhaseSweep(config: c).run(threads: 1)
    for case let cell? in result.cells.joined() {
      #expect(cell.seedsTrained == 3)
      #expect(cell.prototype == .pairAndDedicated && cell.label == .dedicated)
      #expect(cell.trainedLoss > 2 * cell.loss)
      #expect(Set(cell.seedLosses).count == 3, "each batch has its own seeds")
    }
    #expect(result.seedsTrained == 12 && result.instanceSteps == 0)
    c.prototypeFloor = false
    let plain = try PhaseSweep(config: c).run(threads: 1)
    for case let cell? in plain.cells.joined() {
      #expect(cell.seedsTrained == 1 && cell.prototype == nil)
      #expect(cell.label == cell.trainedLabel && cell.loss == cell.seedLosses[0])
    }
  }

  // MARK: - Agreement

  /// A finished 3→2 diagram whose every cell holds the weights of a prototype with the
  /// analytic label (fixed weights, no training).
  static func analyticDiagram(grid: Int) -> PhaseSweepResult {
    let config = PhaseSweepConfig(features: 3, grid: grid, seeds: 1, lossPoints: 4)
    var result = PhaseSweepResult(config: config, threads: 1)
    for (row, p) in config.featureProbability.enumerated() {
      for (column, r) in config.relativeImportance.enumerated() {
        let label = PhaseSweep.analyticLabel(features: 3, probability: p, relativeImportance: r)
        let q = PhasePrototype.cases(features: 3).first { $0.label == label }!
        let seed = PhaseSeed.scored(
          q.parameters(features: 3, probability: p), config: config, probability: p,
          relativeImportance: r)
        result.cells[row][column] = PhaseSweep.decideCell(
          config, row: row, column: column, seeds: [seed], floor: nil)
        result.completed += 1
      }
    }
    return result
  }

  /// A 3→2 diagram of analytic-prototype weights agrees everywhere; the count leaves out
  /// exactly the cells near p*(r) or with 2/3 < r < 3/2; a counted cell with a wrong label
  /// counts as a disagreement, one in the band does not, and a prototype-decided cell counts
  /// for the diagram but not for the trained seeds.
  @Test func agreementCountsCellsAwayFromTheBoundary() throws {
    var result = Self.analyticDiagram(grid: 10)
    let config = result.config
    var expectedCounted = 0
    var inBand: (Int, Int)?
    var counted: (Int, Int)?
    for (row, p) in config.featureProbability.enumerated() {
      for (column, r) in config.relativeImportance.enumerated() {
        let boundary = r < 1 ? 4 * r / (2 + 5 * r) : 0
        let nearP = p < 1.5 * boundary && 1.5 * p > boundary
        let nearR = r < 1.5 && 1.5 * r > 1
        if !nearP && !nearR {
          expectedCounted += 1
          counted = counted ?? (row, column)
        } else if nearR {
          inBand = (row, column)
        }
      }
    }
    let a = try #require(result.analyticAgreement())
    #expect(a.counted == expectedCounted && a.counted > 50)
    #expect(a.agreeing == a.counted && a.fraction == 1 && a.finishedAgreeing == 100)

    let (cr, cc) = try #require(counted)
    let (br, bc) = try #require(inBand)
    result.cells[cr][cc]!.label =
      .superposition == result.cells[cr][cc]!.label ? .dedicated : .superposition
    result.cells[br][bc]!.label =
      .superposition == result.cells[br][bc]!.label ? .dedicated : .superposition
    let b = try #require(result.analyticAgreement())
    #expect(b.counted == a.counted && b.agreeing == a.agreeing - 1)
    #expect(b.disagreements == [[cr, cc]])
    #expect(b.finishedAgreeing == 98)

    // A prototype decided the counted cell (its trained seed had the wrong label).
    result.cells[cr][cc]!.trainedLabel = result.cells[cr][cc]!.label
    result.cells[cr][cc]!.label = try #require(result.cells[cr][cc]!.analyticLabel)
    result.cells[cr][cc]!.prototype = .extraNotLearned
    let c = try #require(result.analyticAgreement())
    #expect(c.agreeing == c.counted && c.trainedAgreeing == c.counted - 1)
    #expect(c.prototypeDecided == 1)
  }

  // MARK: - SVG

  /// The 3→2 SVG draws the analytic staircase under the last row with p ≥ 4r/(2 + 5r) for
  /// r < 1 and along the bottom for r > 1, the r = 1 line over the whole height, a `*` on a
  /// prototype cell, and the agreement count.
  @Test func threeToTwoSVGDrawsTheAnalyticBoundary() throws {
    var result = Self.analyticDiagram(grid: 10)
    result.cells[9][9]!.prototype = .pairAndDedicated
    let svg = result.svg()
    let frame = try #require(
      svg.firstMatch(
        of: /<rect x="([0-9.]+)" y="([0-9.]+)" width="([0-9.]+)" height="([0-9.]+)" fill="none"/))
    let left = try #require(Double(frame.1))
    let top = try #require(Double(frame.2))
    let side = try #require(Double(frame.4))
    let cs = side / 10
    let points = try #require(svg.firstMatch(of: /<polyline points="([^"]+)"/)).1
      .split(separator: " ").map { $0.split(separator: ",").map { Double($0)! } }
    #expect(points.count == 20)
    for (column, r) in result.relativeImportance.enumerated() {
      let b = r < 1 ? 4 * r / (2 + 5 * r) : 0
      let k = result.featureProbability.lastIndex { $0 >= b } ?? -1
      #expect(abs(points[2 * column][1] - (top + Double(k + 1) * cs)) < 0.06, "column \(column)")
      #expect(abs(points[2 * column][0] - (left + Double(column) * cs)) < 0.06)
    }
    let j = try #require(result.relativeImportance.firstIndex { $0 >= 1 })
    let x = String(format: "%.1f", left + Double(j) * cs)
    let bottom = String(format: "%.1f", top + side)
    #expect(
      svg.contains(
        "<line x1=\"\(x)\" y1=\"\(String(format: "%.1f", top))\" x2=\"\(x)\" y2=\"\(bottom)\""))
    #expect(svg.components(separatedBy: ">*</text>").count == 3)  // the cell and the legend
    let a = try #require(result.analyticAgreement())
    #expect(svg.contains("prototypes: \(a.agreeing)/\(a.counted) = 100.0%"))
  }
}
