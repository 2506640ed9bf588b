import Foundation
import TMSCore

extension Experiment {
  /// The 2→1 phase diagram (notes §7, §9.4): superposition of the extra feature wins for
  /// p < 4r/(2+5r) when r < 1 and p < 4/(2r+5) when r > 1; an empirical diagram agrees away
  /// from the boundary and from r ≈ 1.
  public static let phase21 = Experiment(
    name: "phase-2-1",
    title: "Phase change: two features in one dimension",
    claim:
      "Whether the extra feature is ignored, gets a dimension or shares one in superposition "
      + "follows the three prototype solutions' losses: superposition for p < 4r/(2+5r) "
      + "(r < 1) and p < 4/(2r+5) (r > 1).",
    setup: { quick in phaseSetup("phase-2-1", quick: quick) },
    train: { context in try trainPhase("phase-2-1", context: context) },
    check: { data in data.phase.map(checkPhase21) ?? [] })

  /// The 3→2 phase diagram, importance (1, 1, r) (notes §9.5): the extra feature is never in
  /// superposition for r > 1; for r < 1 it is iff p < 4r/(2+5r).
  public static let phase32 = Experiment(
    name: "phase-3-2",
    title: "Phase change: three features in two dimensions",
    claim:
      "With importance (1, 1, r) the extra feature is never in superposition when it is the "
      + "most important (r > 1), and for r < 1 it is exactly when p < 4r/(2+5r).",
    setup: { quick in phaseSetup("phase-3-2", quick: quick) },
    train: { context in try trainPhase("phase-3-2", context: context) },
    check: { data in data.phase.map(checkPhase32) ?? [] })

  /// Cells per axis of the `--quick` diagrams.
  static let quickGrid = 10
  /// Seeds a cell may train when its seeds disagree or miss the best prototype's loss: with
  /// the preset's 12, 2 of the 160 cells at r ≥ 1.5 of the 3→2 diagram kept only seeds in a
  /// superposition local minimum (the prototype floor then shows the dedicated solution).
  static let reproductionMaxSeeds = 24

  static func phaseSetup(_ preset: String, quick: Bool) -> String {
    let c = try? ShippedPreset.phase(preset)
    let grid = quick ? quickGrid : (c?.grid ?? 20)
    return "preset \(preset): \(grid)×\(grid) cells, r from 0.1 to 10, p from 1 to 0.01, "
      + "\(c?.seeds ?? 3) seeds per cell (antithetic pairs), up to \(max(c?.maxSeeds ?? 12, reproductionMaxSeeds)) where "
      + "they disagree or miss the best prototype solution's loss; the cell keeps the seed of "
      + "lowest exact expected loss, \(c?.training.steps ?? 10_000) steps per model"
  }

  static func trainPhase(_ preset: String, context: ReproductionContext) throws -> ExperimentData {
    var config = try ShippedPreset.phase(preset)
    if context.quick { config.grid = quickGrid }
    config.maxSeeds = max(config.maxSeeds, reproductionMaxSeeds)
    let sweep = try PhaseSweep(config: config)
    // A cell takes a fraction of a second, so polling between cells stops within one.
    let result = sweep.run(
      threads: context.threads,
      progress: { p in
        if context.isCancelled() { sweep.cancel() }
        context.progress(Double(p.completed) / Double(max(1, p.total)))
      })
    try context.checkCancelled()
    if let failure = result.failure { throw ReproductionError("\(preset): \(failure)") }
    var data = ExperimentData(quick: context.quick)
    data.phase = result
    return data
  }

  static func checkPhase21(_ result: PhaseSweepResult) -> [ClaimRow] {
    guard let a = result.analyticAgreement() else { return [] }
    return [
      agreementRow(a, minimum: 0.95, paper: "agree away from the boundary and r ≈ 1"),
      prototypeRow(a, result),
    ]
  }

  /// The trained seeds' agreement with the analytic labels on the cells a factor 1.5 from
  /// the boundary and from r = 1 (a prototype standing in for seeds that missed does not
  /// count as agreement: an undertrained diagram would otherwise read 100%).
  static func agreementRow(_ a: PhaseAgreement, minimum: Double, paper: String) -> ClaimRow {
    ClaimRule.property(
      "trained cells agreeing with the prototypes away from the boundary",
      holds: a.counted > 0 && a.trainedFraction >= minimum, paper: paper,
      tms: "\(a.trainedAgreeing)/\(a.counted) = \(ClaimRule.percent(a.trainedFraction))",
      rule:
        "≥ \(ClaimRule.percent(minimum)) of cells with p ≥ 1.5× or ≤ p*/1.5 and r ≥ 1.5 or ≤ 1/1.5",
      value: a.trainedFraction)
  }

  static func prototypeRow(_ a: PhaseAgreement, _ result: PhaseSweepResult) -> ClaimRow {
    ClaimRule.observation(
      "cells where a prototype beat every trained seed", paper: "—",
      tms: "\(result.prototypeCells.count) of \(result.cells.joined().compactMap { $0 }.count); "
        + "all cells agreeing \(a.finishedAgreeing)/\(a.finished); "
        + "\(result.seedsTrained) seeds trained",
      value: Double(result.prototypeCells.count))
  }

  /// 3→2's analytic rule for the extra feature: superposition iff r < 1 and p < 4r/(2+5r).
  public static func superposition32(probability p: Double, relativeImportance r: Double) -> Bool {
    r < 1 && p < 4 * r / (2 + 5 * r)
  }

  static func checkPhase32(_ result: PhaseSweepResult) -> [ClaimRow] {
    let cells = result.cells.flatMap { $0 }.compactMap { $0 }
    let above = cells.filter { $0.relativeImportance >= 1.5 }
    let wrongAbove = above.filter { $0.trainedLabel == .superposition }
    var rows = [
      ClaimRule.count(
        "trained cells with r ≥ 1.5 in superposition", measured: wrongAbove.count, low: 0, high: 0,
        paper: "none (of \(above.count))")
    ]
    if let a = result.analyticAgreement() {
      rows.append(
        agreementRow(a, minimum: 0.95, paper: "superposition iff r < 1 and p < 4r/(2+5r)"))
      rows.append(prototypeRow(a, result))
    }
    return rows
  }
}
