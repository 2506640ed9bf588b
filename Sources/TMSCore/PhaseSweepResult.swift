import TMSKernels
import Foundation

/// One finished cell of a phase diagram: the extra feature of the best of its seeds, or of
/// the prototype solution that beats every seed.
///
/// With W_e the extra (last) feature's direction: `norm` = ‖W_e‖ and `superposition` =
/// s_e = Σ_{j≠e} (Ŵ_e·W_j)² of the cell's solution — the seed with the lowest expected loss
/// (notebook convention, mean over features; the paper's sum over features is that × n), or,
/// when ``prototype`` is set, that prototype's weights (``trainedLabel`` and ``trainedLoss``
/// then keep the best seed's).
public struct PhaseCell: Sendable, Equatable {
  /// Row: index into the sweep's feature probabilities.
  public var row: Int
  /// Column: index into the sweep's relative importances.
  public var column: Int
  /// p of every feature.
  public var featureProbability: Double
  /// r, the extra feature's importance relative to the others' 1.
  public var relativeImportance: Double
  /// ‖W_e‖ of the winning seed.
  public var norm: Double
  /// s_e of the winning seed.
  public var superposition: Double
  /// The exact expected loss of the cell's solution (notebook convention).
  public var loss: Double
  /// The label from `norm` and `superposition` (see ``PhaseThresholds``).
  public var label: PhaseLabel
  /// Which trained seed had the lowest loss (seed k = instance k mod `seeds` of batch
  /// k / `seeds`).
  public var winningSeed: Int
  /// The best trained seed's label (= `label` unless a prototype decided the cell).
  public var trainedLabel: PhaseLabel
  /// The best trained seed's loss (= `loss` unless a prototype decided the cell).
  public var trainedLoss: Double
  /// The prototype solution whose label, loss and weights the cell shows because its exact
  /// loss is more than the floor tolerance below every trained seed's; nil when a trained
  /// seed decided the cell.
  public var prototype: PhasePrototype?
  /// The lowest exact expected loss of the prototypes (notebook convention, same quadrature
  /// as the seeds'): the floor the seeds were asked to reach; nil when not computed.
  public var floorLoss: Double?
  /// Every trained seed's expected loss, from its weights (for a seed that diverged, its last
  /// finite weights; NaN only when it has none).
  public var seedLosses: [Double]
  /// Every seed's label: disagreeing seeds are local minima.
  public var seedLabels: [PhaseLabel]
  /// The cell's solution's weights (W_i = feature i's direction) and output bias.
  public var parameters: Parameters
  /// The label of the cheapest prototype by the closed forms (notes §7, §9.5; see
  /// ``PhaseSweep/analyticLabel(features:probability:relativeImportance:)``).
  public var analyticLabel: PhaseLabel?
  /// The cheapest prototype's closed-form loss, notebook convention (paper value / n).
  public var analyticLoss: Double?
  /// The seeds whose training diverged (a non-finite loss stopped them; they keep their
  /// last finite weights). A seed that did not diverge wins over any that did, so the label
  /// comes from a diverged seed only when all of them diverged.
  public var divergedSeeds: [Int]

  /// True when some seed of the cell diverged: its learning rate is too high for it, and
  /// `tms sweep phase` marks, counts and reports the cell.
  public var diverged: Bool { !divergedSeeds.isEmpty }

  /// Seeds trained for this cell.
  public var seedsTrained: Int { seedLosses.count }

  /// Creates a cell; `trainedLabel` and `trainedLoss` default to `label` and `loss` (a cell
  /// decided by a trained seed).
  public init(
    row: Int, column: Int, featureProbability: Double, relativeImportance: Double,
    norm: Double, superposition: Double, loss: Double, label: PhaseLabel, winningSeed: Int,
    seedLosses: [Double], seedLabels: [PhaseLabel], parameters: Parameters,
    analyticLabel: PhaseLabel?, analyticLoss: Double?, divergedSeeds: [Int] = [],
    trainedLabel: PhaseLabel? = nil, trainedLoss: Double? = nil,
    prototype: PhasePrototype? = nil, floorLoss: Double? = nil
  ) {
    self.divergedSeeds = divergedSeeds
    self.trainedLabel = trainedLabel ?? label
    self.trainedLoss = trainedLoss ?? loss
    self.prototype = prototype
    self.floorLoss = floorLoss
    self.row = row
    self.column = column
    self.featureProbability = featureProbability
    self.relativeImportance = relativeImportance
    self.norm = norm
    self.superposition = superposition
    self.loss = loss
    self.label = label
    self.winningSeed = winningSeed
    self.seedLosses = seedLosses
    self.seedLabels = seedLabels
    self.parameters = parameters
    self.analyticLabel = analyticLabel
    self.analyticLoss = analyticLoss
  }

}

/// A phase diagram, complete or partial: `cells[row][column]` is nil until that cell finishes.
///
/// Rows follow `featureProbability` (row 0 = densest), columns `relativeImportance`.
public struct PhaseSweepResult: Sendable, Equatable {
  /// The sweep's configuration.
  public var config: PhaseSweepConfig
  /// p of each row.
  public var featureProbability: [Double]
  /// r of each column.
  public var relativeImportance: [Double]
  /// The analytic boundary p*(r) of each column, superposition below it (3→2: 0 for r > 1,
  /// where the extra feature is never in superposition); nil for no other n.
  public var analyticBoundary: [Double]?
  /// The cells, `[row][column]`; nil = not finished yet (or cancelled before it finished).
  public var cells: [[PhaseCell?]]
  /// Finished cells.
  public var completed: Int
  /// G².
  public var total: Int
  /// True when the sweep was cancelled before finishing.
  public var cancelled: Bool
  /// Why the sweep stopped early when a cell could not be trained (nil otherwise): the cell
  /// and the problem, e.g.
  /// `cell at row 0, column 19 (p = 1.0, r = …): importance[0][1]: must be in [0, 1e6], got …`.
  public var failure: String?
  /// Wall-clock seconds since the sweep started (so far, for a partial result).
  public var seconds: Double
  /// Worker threads.
  public var threads: Int
  /// Training steps taken by the finished cells: seeds trained × steps.
  public var instanceSteps: Int
  /// How losses are reported.
  public var lossConvention: String

  /// An empty result for `config`.
  public init(config: PhaseSweepConfig, threads: Int) {
    self.config = config
    featureProbability = config.featureProbability
    relativeImportance = config.relativeImportance
    let n = config.features
    analyticBoundary =
      n == 2 || n == 3
      ? relativeImportance.map { PhaseSweep.analyticBoundary(features: n, relativeImportance: $0) }
      : nil
    cells = Array(
      repeating: Array(repeating: nil, count: config.grid), count: config.grid)
    completed = 0
    total = config.grid * config.grid
    cancelled = false
    failure = nil
    seconds = 0
    self.threads = threads
    instanceSteps = 0
    lossConvention = Snapshot.lossConvention
  }

  /// True when every cell has finished.
  public var isComplete: Bool { completed == total }

  /// The finished cells in which some seed diverged, row-major.
  public var divergedCells: [PhaseCell] {
    cells.joined().compactMap { $0 }.filter(\.diverged)
  }

}

/// How often the diagram agrees with the analytic prototypes (2→1: notes §7; 3→2: §9.5),
/// counting only cells away from the boundaries: p at least a factor `probabilityFactor` above
/// or below p*(r), and r at least a factor `importanceFactor` away from 1.
///
/// The band around r = 1 is left out because there the true optimum is an asymmetric solution
/// the prototypes do not include: in 2→1 not learned and dedicated swap at r = 1, and in 3→2
/// all three features are (nearly) equally important, so which of them share a dimension is
/// decided by small loss differences (at r = 1 exactly the two antipodal prototypes tie).
/// With the default factor 1.5 the band is 2/3 < r < 3/2, four columns of the 20×20 grid.
/// In 3→2 p*(r) = 0 for r > 1, so every p there is away from the boundary.
public struct PhaseAgreement: Sendable, Equatable {
  /// Minimum factor between a counted cell's p and p*(r).
  public var probabilityFactor: Double
  /// Minimum factor between a counted cell's r and 1.
  public var importanceFactor: Double
  /// Finished cells that are far enough from the boundaries.
  public var counted: Int
  /// Of those, cells whose label equals the analytic one.
  public var agreeing: Int
  /// Every finished cell.
  public var finished: Int
  /// Of those, cells whose label equals the analytic one.
  public var finishedAgreeing: Int
  /// (row, column) of the counted cells that disagree.
  public var disagreements: [[Int]]
  /// Counted cells whose best *trained* seed has the analytic label (what the diagram would
  /// say without the prototype floor).
  public var trainedAgreeing: Int
  /// Counted cells whose label a prototype decided (``PhaseCell/prototype``).
  public var prototypeDecided: Int

  /// agreeing / counted (1 when nothing is counted).
  public var fraction: Double { counted > 0 ? Double(agreeing) / Double(counted) : 1 }
  /// trainedAgreeing / counted (1 when nothing is counted).
  public var trainedFraction: Double {
    counted > 0 ? Double(trainedAgreeing) / Double(counted) : 1
  }
  /// finishedAgreeing / finished.
  public var finishedFraction: Double {
    finished > 0 ? Double(finishedAgreeing) / Double(finished) : 1
  }
}

extension PhaseSweepResult {
  /// True when (p, r) is at least a factor `probabilityFactor` from the boundary p*(r) of the
  /// n = `features` diagram (2→1 by default) and r at least a factor `importanceFactor` from 1.
  public static func isAwayFromBoundary(
    features n: Int = 2, probability p: Double, relativeImportance r: Double,
    probabilityFactor: Double, importanceFactor: Double
  ) -> Bool {
    let b = PhaseSweep.analyticBoundary(features: n, relativeImportance: r)
    let farInP = p >= b * probabilityFactor || p * probabilityFactor <= b
    let farInR = r >= importanceFactor || r * importanceFactor <= 1
    return farInP && farInR
  }

  /// Agreement of the finished cells with the analytic labels, 2→1 and 3→2 (nil only for a
  /// diagram of another n, which validation rejects).
  public func analyticAgreement(probabilityFactor: Double = 1.5, importanceFactor: Double = 1.5)
    -> PhaseAgreement?
  {
    guard config.features == 2 || config.features == 3 else { return nil }
    var a = PhaseAgreement(
      probabilityFactor: probabilityFactor, importanceFactor: importanceFactor, counted: 0,
      agreeing: 0, finished: 0, finishedAgreeing: 0, disagreements: [], trainedAgreeing: 0,
      prototypeDecided: 0)
    for row in cells {
      for case let c? in row {
        let expected =
          c.analyticLabel
          ?? PhaseSweep.analyticLabel(
            features: config.features, probability: c.featureProbability,
            relativeImportance: c.relativeImportance)
        let same = c.label == expected
        a.finished += 1
        a.finishedAgreeing += same ? 1 : 0
        guard
          Self.isAwayFromBoundary(
            features: config.features, probability: c.featureProbability,
            relativeImportance: c.relativeImportance, probabilityFactor: probabilityFactor,
            importanceFactor: importanceFactor)
        else { continue }
        a.counted += 1
        a.trainedAgreeing += c.trainedLabel == expected ? 1 : 0
        a.prototypeDecided += c.prototype != nil ? 1 : 0
        if same { a.agreeing += 1 } else { a.disagreements.append([c.row, c.column]) }
      }
    }
    return a
  }

  /// Finished cells whose label a prototype decided, row-major.
  public var prototypeCells: [PhaseCell] {
    cells.joined().compactMap { $0 }.filter { $0.prototype != nil }
  }

  /// Seeds trained by the finished cells (each `seeds` to max(`seeds`, `maxSeeds`)).
  public var seedsTrained: Int {
    cells.joined().compactMap { $0 }.reduce(0) { $0 + $1.seedsTrained }
  }
}
