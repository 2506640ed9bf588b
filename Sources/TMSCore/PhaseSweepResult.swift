import TMSKernels
import Foundation

/// One finished cell of a phase diagram: the extra feature of the best of its seeds.
///
/// With W_e the extra (last) feature's direction: `norm` = ‖W_e‖ and `superposition` =
/// s_e = Σ_{j≠e} (Ŵ_e·W_j)² of the seed with the lowest expected loss (notebook convention,
/// mean over features; the paper's sum over features is that × n).
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
  /// The winning seed's exact expected loss (notebook convention).
  public var loss: Double
  /// The label from `norm` and `superposition` (see ``PhaseThresholds``).
  public var label: PhaseLabel
  /// Which seed (instance of the cell's run) won.
  public var winningSeed: Int
  /// Every seed's expected loss, from its weights (for a seed that diverged, its last
  /// finite weights; NaN only when it has none).
  public var seedLosses: [Double]
  /// Every seed's label: disagreeing seeds are local minima.
  public var seedLabels: [PhaseLabel]
  /// The winning model's weights (W_i = feature i's direction) and output bias.
  public var parameters: Parameters
  /// 2→1 only: the label of the cheapest prototype solution (notes §7); nil for 3→2.
  public var analyticLabel: PhaseLabel?
  /// 2→1 only: the cheapest prototype's loss, notebook convention (paper value / 2).
  public var analyticLoss: Double?
  /// The seeds whose training diverged (a non-finite loss stopped them; they keep their
  /// last finite weights). A seed that did not diverge wins over any that did, so the label
  /// comes from a diverged seed only when all of them diverged.
  public var divergedSeeds: [Int]

  /// True when some seed of the cell diverged: its learning rate is too high for it, and
  /// `tms sweep phase` marks, counts and reports the cell.
  public var diverged: Bool { !divergedSeeds.isEmpty }

  /// Creates a cell.
  public init(
    row: Int, column: Int, featureProbability: Double, relativeImportance: Double,
    norm: Double, superposition: Double, loss: Double, label: PhaseLabel, winningSeed: Int,
    seedLosses: [Double], seedLabels: [PhaseLabel], parameters: Parameters,
    analyticLabel: PhaseLabel?, analyticLoss: Double?, divergedSeeds: [Int] = []
  ) {
    self.divergedSeeds = divergedSeeds
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
  /// 2→1 only: the analytic boundary p*(r) of each column (superposition below it).
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
  /// Training steps taken by the finished cells: completed × seeds × steps.
  public var instanceSteps: Int
  /// How losses are reported.
  public var lossConvention: String

  /// An empty result for `config`.
  public init(config: PhaseSweepConfig, threads: Int) {
    self.config = config
    featureProbability = config.featureProbability
    relativeImportance = config.relativeImportance
    analyticBoundary =
      config.features == 2
      ? relativeImportance.map { PhaseSweep.analyticBoundary(relativeImportance: $0) } : nil
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

/// How often the trained diagram agrees with the analytic 2→1 prototypes, counting only cells
/// away from the boundaries: p at least a factor `probabilityFactor` above or below
/// p*(r), and r at least a factor `importanceFactor` away from 1 (near r = 1 the optimum is
/// an asymmetric solution the prototypes do not include, and not learned/dedicated swap).
public struct PhaseAgreement: Sendable, Equatable {
  /// Minimum factor between a counted cell's p and p*(r).
  public var probabilityFactor: Double
  /// Minimum factor between a counted cell's r and 1.
  public var importanceFactor: Double
  /// Finished cells that are far enough from the boundaries.
  public var counted: Int
  /// Of those, cells whose trained label equals the analytic one.
  public var agreeing: Int
  /// Every finished cell.
  public var finished: Int
  /// Of those, cells whose trained label equals the analytic one.
  public var finishedAgreeing: Int
  /// (row, column) of the counted cells that disagree.
  public var disagreements: [[Int]]

  /// agreeing / counted (1 when nothing is counted).
  public var fraction: Double { counted > 0 ? Double(agreeing) / Double(counted) : 1 }
  /// finishedAgreeing / finished.
  public var finishedFraction: Double {
    finished > 0 ? Double(finishedAgreeing) / Double(finished) : 1
  }

}

extension PhaseSweepResult {
  /// True when (p, r) is at least a factor `probabilityFactor` from the 2→1 boundary p*(r)
  /// and r at least a factor `importanceFactor` from 1.
  public static func isAwayFromBoundary(
    probability p: Double, relativeImportance r: Double, probabilityFactor: Double,
    importanceFactor: Double
  ) -> Bool {
    let b = PhaseSweep.analyticBoundary(relativeImportance: r)
    let farInP = p >= b * probabilityFactor || p * probabilityFactor <= b
    let farInR = r >= importanceFactor || r * importanceFactor <= 1
    return farInP && farInR
  }

  /// Agreement of the finished cells with the analytic labels (2→1 only; nil for 3→2).
  public func analyticAgreement(probabilityFactor: Double = 1.5, importanceFactor: Double = 1.5)
    -> PhaseAgreement?
  {
    guard config.features == 2 else { return nil }
    var a = PhaseAgreement(
      probabilityFactor: probabilityFactor, importanceFactor: importanceFactor, counted: 0,
      agreeing: 0, finished: 0, finishedAgreeing: 0, disagreements: [])
    for row in cells {
      for case let c? in row {
        guard let expected = c.analyticLabel else { continue }
        let same = c.label == expected
        a.finished += 1
        a.finishedAgreeing += same ? 1 : 0
        guard
          Self.isAwayFromBoundary(
            probability: c.featureProbability, relativeImportance: c.relativeImportance,
            probabilityFactor: probabilityFactor, importanceFactor: importanceFactor)
        else { continue }
        a.counted += 1
        if same { a.agreeing += 1 } else { a.disagreements.append([c.row, c.column]) }
      }
    }
    return a
  }
}
