import TMSKernels

/// A phase-diagram sweep: one small model per cell of a grid over relative importance r and
/// feature probability p, best of several seeds per cell (the paper's Figure on 2→1 and 3→2).
///
/// n = `features` (2 or 3), m = n − 1. Importance (1, r) for 2→1 and (1, 1, r) for 3→2: the
/// *extra* feature is the last one. Every feature of a cell has probability p. Rows run over
/// p, log-spaced from `probabilityMax` (row 0, dense) to `probabilityMin`; columns over r,
/// log-spaced from `importanceMin` (column 0) to `importanceMax`. Training is the
/// notebook's (``TrainingSettings``), shared with runs and declared once in ``fields``.
public struct PhaseSweepConfig: Sendable, Equatable {
  /// n: 2 (the 2→1 diagram) or 3 (3→2).
  public var features: Int
  /// G: cells per axis (G×G cells).
  public var grid: Int
  /// Models (seeds) per cell in the first batch; the cell shows the one with the lowest
  /// expected loss. A cell that is not settled gets further batches of as many seeds, up to
  /// `maxSeeds` (see ``PhaseSweep/isSettled(labels:bestLoss:previousBest:floorLoss:tolerance:)``).
  public var seeds: Int
  /// Most seeds one cell may train, counting the first batch (the effective cap is
  /// max(`seeds`, `maxSeeds`); equal to `seeds`: every cell trains exactly `seeds`).
  public var maxSeeds: Int
  /// The prototype floor: a cell's best trained loss must come within `floorTolerance` of
  /// the best prototype's (``PhasePrototype``, exact expected loss at the same quadrature);
  /// a cell short of it trains more seeds, and if every seed still falls short the cell takes
  /// the prototype's label, loss and weights, marked as such (``PhaseCell/prototype``).
  /// `false`: seeds only, the best trained seed labels every cell.
  public var prototypeFloor: Bool
  /// Relative loss tolerance of the settling rule: a seed "reaches" a loss L when its loss is
  /// at most L·(1 + tolerance), and a batch "improves" the best loss when it lowers it by more
  /// than this fraction.
  public var floorTolerance: Double
  /// Densest p (row 0).
  public var probabilityMax: Double
  /// Sparsest p (last row).
  public var probabilityMin: Double
  /// Smallest r (column 0).
  public var importanceMin: Double
  /// Largest r (last column).
  public var importanceMax: Double
  /// Label thresholds on the extra feature's norm and superposition.
  public var thresholds: PhaseThresholds
  /// Antithetic initial weights: seed 2k+1 starts from seed 2k's initial weights with the
  /// extra feature's direction negated, W_e → −W_e (its data stream stays its own). In 2→1
  /// (m = 1) the basin is mostly decided by the sign of w₀·w_e at the start: same signs
  /// interfere, and a negative b₀ then locks in a one-feature local minimum (W ≈ (1.05, 0.15)
  /// at p = 0.03, r = 0.43, loss 15× the antipodal one), so independent seeds all fail with
  /// probability about (1/2)^seeds; a mirrored pair always has one seed starting opposite. In
  /// 3→2 it maps the angle θ between W_e and the others to π − θ. `false`: independent seeds.
  public var antitheticInit: Bool
  /// Midpoint-rule nodes per active feature of the exact expected loss that picks the best
  /// seed (see ``PhaseSweep/expectedLoss(parameters:model:featureProbability:importance:points:)``).
  public var lossPoints: Int
  /// Optimiser, steps per model and seed of the whole sweep. Cell (row, column) trains with
  /// seed `SplitMix64.streamSeed(seed, row·G + column, 0x9A5E)` and its seeds are that run's
  /// instances 0 … seeds−1, so a cell's result depends on nothing but the configuration. A
  /// `nil` init std means the notebook's Xavier normal for one seed of the grid trained as one
  /// batched model, √(2/(n·m + G²·m)).
  public var training: TrainingSettings

  /// Creates a sweep configuration with the notebook's optimiser defaults and the paper's
  /// ranges (p from 1 to 0.01, r from 0.1 to 10).
  public init(
    features: Int = 2, grid: Int = 20, seeds: Int = 3, maxSeeds: Int = 12,
    prototypeFloor: Bool = true, floorTolerance: Double = 0.01, probabilityMax: Double = 1,
    probabilityMin: Double = 0.01, importanceMin: Double = 0.1, importanceMax: Double = 10,
    thresholds: PhaseThresholds = .standard, antitheticInit: Bool = true, lossPoints: Int = 32,
    training: TrainingSettings = TrainingSettings()
  ) {
    self.features = features
    self.grid = grid
    self.seeds = seeds
    self.maxSeeds = maxSeeds
    self.prototypeFloor = prototypeFloor
    self.floorTolerance = floorTolerance
    self.probabilityMax = probabilityMax
    self.probabilityMin = probabilityMin
    self.importanceMin = importanceMin
    self.importanceMax = importanceMax
    self.thresholds = thresholds
    self.antitheticInit = antitheticInit
    self.lossPoints = lossPoints
    self.training = training
  }

  /// The sweep of a 2→1 or 3→2 run configuration (a phase preset's column): its n and
  /// training settings, and otherwise the defaults above (grid 20, 3 seeds up to 12, the
  /// prototype floor, the paper's ranges).
  public init(run c: RunConfig) {
    self.init(features: c.features, training: c.training)
  }

  /// m = n − 1.
  public var hidden: Int { features - 1 }

  /// The index of the extra feature, n − 1.
  public var extraFeature: Int { features - 1 }

  /// The p of each row: log-spaced from `probabilityMax` to `probabilityMin`.
  public var featureProbability: [Double] {
    Curve.logRange(from: probabilityMax, to: probabilityMin, count: grid)
  }

  /// The r of each column: log-spaced from `importanceMin` to `importanceMax`.
  public var relativeImportance: [Double] {
    Curve.logRange(from: importanceMin, to: importanceMax, count: grid)
  }

  /// The initial weight std actually used: `initStd` or √(2/(n·m + G²·m)).
  public var effectiveInitStd: Double {
    training.initStd ?? libSqrt(2.0 / Double(features * hidden + grid * grid * hidden))
  }

  /// The importance vector of a cell with relative importance r: (1, r) or (1, 1, r).
  public func importance(relativeImportance r: Double) -> [Double] {
    Array(repeating: 1, count: features - 1) + [r]
  }

  /// Most seeds a cell trains: max(`seeds`, `maxSeeds`).
  public var seedCap: Int { max(seeds, maxSeeds) }

  /// The training run of batch `batch` of cell (row, column): K = `seeds` instances of the
  /// n→m relu-output model at that cell's p and r. Open it in the explorer to look at a
  /// cell's models. Batch 0 uses seed streamSeed(seed, row·G + column, 0x9A5E); batch b > 0
  /// the purpose 0x9A5E + b·2¹⁶, so every batch of every cell has its own streams.
  public func runConfig(row: Int, column: Int, batch: Int = 0) -> RunConfig {
    let p = featureProbability[row]
    let r = relativeImportance[column]
    var cell = training
    cell.seed = SplitMix64.streamSeed(
      seed: training.seed, instance: row * grid + column,
      purpose: 0x9A5E &+ (UInt64(truncatingIfNeeded: batch) << 16))
    cell.initStd = effectiveInitStd
    return RunConfig(
      name: "phase-\(features)-\(hidden)-r\(row)c\(column)" + (batch > 0 ? "b\(batch)" : ""),
      model: .reluOutput,
      features: features, hidden: hidden, instances: seeds,
      featureProbability: Array(repeating: Curve.constant(p, count: features), count: seeds),
      importance: Array(repeating: importance(relativeImportance: r), count: seeds),
      training: cell)
  }

  /// Largest grid side.
  public static let maxGrid = 64
  /// Largest number of seeds per cell.
  public static let maxSeeds = 64

  /// Checks every field (``fields``) and every cell's run, throwing the first problem with
  /// the field's name and allowed range.
  public func validate() throws(ConfigError) {
    try Self.fields.check(self)
    // Every cell's run must be valid too; cells differ only in their row's p and their
    // column's r, so one pass down column 0 and one along row 0 cover the grid.
    for row in 0..<grid {
      do {
        try runConfig(row: row, column: 0).validate()
      } catch {
        throw ConfigError(
          field: error.field,
          "\(error.message) (grid row \(row), p = \(featureProbability[row]))")
      }
    }
    for column in 1..<grid {
      do {
        try runConfig(row: 0, column: column).validate()
      } catch {
        throw ConfigError(
          field: error.field,
          "\(error.message) (grid column \(column), r = \(relativeImportance[column]))")
      }
    }
  }
}
