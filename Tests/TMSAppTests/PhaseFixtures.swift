import TMSCore

/// Phase diagrams with fixed, hand-set weights for the view goldens: every cell holds the
/// weights of one prototype solution, so what the view draws never depends on training.
///
/// 2→1 (importance (1, r), m = 1): not learned W = (1, 0), b = (0, p/2); the extra feature
/// dedicated W = (0, 1), b = (p/2, 0); antipodal superposition W = (1, −1), b = 0 — the
/// cell takes the prototype with the lowest analytic loss. 3→2 (importance (1, 1, r)):
/// not learned W = ((1, 0), (0, 1), (0, 0)); superposition W = ((1, 0), (0, 1), (0, −1)) when
/// 2→1's rule says superposition; dedicated W = ((1, 0), (0, 0), (0, 1)) for r > 1 otherwise.
enum PhaseFixtures {
  /// A G×G diagram over the config's axes, the first `cells` cells in training order filled
  /// (all when nil), a cancelled result when fewer.
  static func result(features: Int, grid: Int, seeds: Int = 2, cells: Int? = nil)
    -> PhaseSweepResult
  {
    let config = PhaseSweepConfig(
      features: features, grid: grid, seeds: seeds, training: TrainingSettings(steps: 3000))
    var result = PhaseSweepResult(config: config, threads: 1)
    let order = PhaseSweep.coarseToFineOrder(grid: grid)
    for index in order.prefix(cells ?? order.count) {
      let row = index / grid
      let column = index % grid
      result.cells[row][column] = cell(config, row: row, column: column)
      result.completed += 1
    }
    result.cancelled = result.completed < result.total
    return result
  }

  static func cell(_ config: PhaseSweepConfig, row: Int, column: Int) -> PhaseCell {
    let p = config.featureProbability[row]
    let r = config.relativeImportance[column]
    let n = config.features
    let label = PhaseSweep.analyticLabel(probability: p, relativeImportance: r)
    let W: [[Float]]
    let b: [Float]
    let half = Float(p / 2)
    switch (n, label) {
    case (2, .notLearned): (W, b) = ([[1], [0]], [0, half])
    case (2, .dedicated): (W, b) = ([[0], [1]], [half, 0])
    case (2, .superposition): (W, b) = ([[1], [-1]], [0, 0])
    case (_, .superposition): (W, b) = ([[1, 0], [0, 1], [0, -1]], [0, 0, 0])
    case (_, _) where r > 1: (W, b) = ([[1, 0], [0, 0], [0, 1]], [0, half, 0])
    default: (W, b) = ([[1, 0], [0, 1], [0, 0]], [0, 0, half])
    }
    let parameters = Parameters(W: W, b: b)
    let importance = config.importance(relativeImportance: r)
    let metrics = InstanceMetrics.compute(
      parameters: parameters, hidden: n - 1, model: .reluOutput,
      featureProbability: Array(repeating: p, count: n), importance: importance,
      trainLoss: .nan, evalLoss: .nan)
    let e = n - 1
    let loss = PhaseSweep.expectedLoss(
      parameters: parameters, model: .reluOutput,
      featureProbability: Array(repeating: p, count: n), importance: importance, points: 8)
    let cellLabel = config.thresholds.label(
      norm: metrics.norms[e], superposition: metrics.superposition[e])
    return PhaseCell(
      row: row, column: column, featureProbability: p, relativeImportance: r,
      norm: metrics.norms[e], superposition: metrics.superposition[e], loss: loss,
      label: cellLabel, winningSeed: 0,
      seedLosses: Array(repeating: loss, count: config.seeds),
      seedLabels: Array(repeating: cellLabel, count: config.seeds), parameters: parameters,
      analyticLabel: n == 2 ? label : nil,
      analyticLoss: n == 2
        ? PhaseSweep.analyticBestLoss(probability: p, relativeImportance: r) / Double(n) : nil)
  }
}
