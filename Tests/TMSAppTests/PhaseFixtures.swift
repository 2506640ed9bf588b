import TMSCore

/// Phase diagrams with fixed, hand-set weights for the view goldens: every cell holds the
/// weights of the prototype solution (``PhasePrototype``) with the lowest closed-form loss
/// at its p and r, so what the view draws never depends on training. 2→1: not learned
/// W = (1, 0), dedicated W = (0, 1), antipodal W = (1, −1); 3→2: the same plus features 0 and
/// 1 antipodal with the extra feature dedicated.
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
    let label = PhaseSweep.analyticLabel(features: n, probability: p, relativeImportance: r)
    let prototype = PhasePrototype.cases(features: n).min {
      $0.closedFormLoss(probability: p, relativeImportance: r)
        < $1.closedFormLoss(probability: p, relativeImportance: r)
    }!
    let parameters = prototype.parameters(features: n, probability: p)
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
      analyticLabel: label,
      analyticLoss: PhaseSweep.analyticBestLoss(features: n, probability: p, relativeImportance: r)
        / Double(n))
  }
}
