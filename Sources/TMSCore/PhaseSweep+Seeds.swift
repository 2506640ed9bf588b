import TMSKernels

/// One scored solution of a phase cell: a trained seed's final weights, or a prototype's.
struct PhaseSeed: Sendable, Equatable {
  /// The weights.
  var parameters: Parameters
  /// Exact expected loss, notebook convention (NaN when the weights are not finite).
  var loss: Double
  /// ‖W_e‖ of the extra feature.
  var norm: Double
  /// s_e = Σ_{j≠e} (Ŵ_e·W_j)² of the extra feature.
  var superposition: Double
  /// The label the thresholds give `norm` and `superposition`.
  var label: PhaseLabel
  /// True when training diverged (the weights are its last finite ones).
  var diverged: Bool

  /// Scores fixed weights at (p, r) of `config`'s problem as the sweep scores a trained seed.
  static func scored(
    _ parameters: Parameters, config: PhaseSweepConfig, probability p: Double,
    relativeImportance r: Double, diverged: Bool = false
  ) -> PhaseSeed {
    let n = config.features
    let e = config.extraFeature
    let probability = Array(repeating: p, count: n)
    let importance = config.importance(relativeImportance: r)
    let m = InstanceMetrics.compute(
      parameters: parameters, hidden: config.hidden, model: .reluOutput,
      featureProbability: probability, importance: importance, trainLoss: .nan, evalLoss: .nan)
    let loss =
      parameters.isFinite
      ? PhaseSweep.expectedLoss(
        parameters: parameters, model: .reluOutput, featureProbability: probability,
        importance: importance, points: config.lossPoints) : .nan
    return PhaseSeed(
      parameters: parameters, loss: loss, norm: m.norms[e], superposition: m.superposition[e],
      label: config.thresholds.label(norm: m.norms[e], superposition: m.superposition[e]),
      diverged: diverged)
  }
}

/// How many seeds a cell trains and who labels it: the adaptive-seed rule and the prototype
/// floor.
///
/// The rule, per cell: train a batch of `seeds` seeds; the cell is *settled* when
/// 1. (prototype floor on) its best trained loss L is at most F·(1 + τ), F the lowest exact
///    expected loss of the prototype solutions (``PhasePrototype``) at the cell's p and r and
///    τ = `floorTolerance` (1 %), and
/// 2. its seeds agree on the label, or the last batch found nothing better than was known:
///    L ≥ (1 − τ)·K, K the lower of the best loss before that batch and F (just F with the
///    floor off; after the first batch nothing was known, so disagreeing seeds always get a
///    second batch).
/// An unsettled cell trains another batch, with fresh seeds, while the total stays within
/// max(`seeds`, `maxSeeds`) (whole batches), unless every seed so far diverged (a learning
/// rate too high for the cell; more seeds would diverge too, and the cell is reported as
/// diverged). Then the seed with the lowest loss labels the
/// cell — unless, with the floor on, even it is more than τ above F: then the cheapest
/// prototype's label, loss and weights stand for the cell, marked (``PhaseCell/prototype``),
/// and the best seed's label and loss stay beside them (``PhaseCell/trainedLabel``).
///
/// Why: a cell's seeds can all land in one local minimum (3→2 at r > 1: the extra feature
/// antipodal to an important one, up to 5.5× the loss of the pair-plus-dedicated solution,
/// found by about half of all seeds), so a best-of-3 diagram mislabels about a quarter of
/// those cells. The floor turns "some solution is known to be better" into more seeds, and
/// disagreeing seeds say there are several basins, so one more batch is cheap insurance; a
/// batch that found nothing better than the best seed or prototype so far ends the search
/// (reaching the floor is not news: the prototype was known).
extension PhaseSweep {
  /// True when a cell needs no more seeds (rule above): `labels` of every seed so far,
  /// `bestLoss` their lowest loss, `previousBest` the lowest before the last batch (nil after
  /// the first batch), `floorLoss` the best prototype's loss (nil: floor off).
  public static func isSettled(
    labels: [PhaseLabel], bestLoss: Double, previousBest: Double?, floorLoss: Double?,
    tolerance: Double
  ) -> Bool {
    guard bestLoss.isFinite else { return false }
    if let floorLoss, bestLoss > floorLoss * (1 + tolerance) { return false }
    if Set(labels).count <= 1 { return true }
    guard let previousBest else { return false }
    let known = min(previousBest, floorLoss ?? .infinity)
    return !(bestLoss < (1 - tolerance) * known)
  }

  /// The lowest loss of the seeds the winner rule would pick (+∞ when none is finite).
  static func bestLoss(_ seeds: [PhaseSeed]) -> Double {
    guard !seeds.isEmpty else { return .infinity }
    let k = winner(
      losses: seeds.map(\.loss), diverged: seeds.indices.filter { seeds[$0].diverged })
    return seeds[k].loss.isFinite ? seeds[k].loss : .infinity
  }

  /// The cheapest prototype at (p, r) by exact expected loss (the seeds' quadrature), scored
  /// like a seed; ties go to the earlier prototype in ``PhasePrototype/cases(features:)``.
  static func prototypeFloor(
    _ config: PhaseSweepConfig, probability p: Double, relativeImportance r: Double
  ) -> (prototype: PhasePrototype, seed: PhaseSeed) {
    var best: (prototype: PhasePrototype, seed: PhaseSeed)?
    for q in PhasePrototype.cases(features: config.features) {
      let s = PhaseSeed.scored(
        q.parameters(features: config.features, probability: p), config: config,
        probability: p, relativeImportance: r)
      if best == nil || s.loss < best!.seed.loss { best = (q, s) }
    }
    return best!
  }

  /// The cell of trained `seeds` (in seed order) and the prototype `floor` (nil: floor off),
  /// by the rule above.
  static func decideCell(
    _ config: PhaseSweepConfig, row: Int, column: Int, seeds: [PhaseSeed],
    floor: (prototype: PhasePrototype, seed: PhaseSeed)?
  ) -> PhaseCell {
    let n = config.features
    let p = config.featureProbability[row]
    let r = config.relativeImportance[column]
    let diverged = seeds.indices.filter { seeds[$0].diverged }
    let best = winner(losses: seeds.map(\.loss), diverged: diverged)
    let s = seeds[best]
    var shown = s
    var prototype: PhasePrototype?
    if let floor, !(s.loss.isFinite && s.loss <= floor.seed.loss * (1 + config.floorTolerance)) {
      shown = floor.seed
      prototype = floor.prototype
    }
    return PhaseCell(
      row: row, column: column, featureProbability: p, relativeImportance: r,
      norm: shown.norm, superposition: shown.superposition, loss: shown.loss,
      label: shown.label, winningSeed: best, seedLosses: seeds.map(\.loss),
      seedLabels: seeds.map(\.label), parameters: shown.parameters,
      analyticLabel: analyticLabel(features: n, probability: p, relativeImportance: r),
      analyticLoss: analyticBestLoss(features: n, probability: p, relativeImportance: r)
        / Double(n), divergedSeeds: diverged, trainedLabel: s.label, trainedLoss: s.loss,
      prototype: prototype, floorLoss: floor?.seed.loss)
  }
}
