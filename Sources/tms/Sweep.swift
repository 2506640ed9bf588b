import ArgumentParser
import Foundation
import TMSEngine

/// `tms sweep`: grids of small models trained headless.
struct Sweep: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train grids of small models headless (phase diagrams).",
    subcommands: [SweepPhase.self])
}

/// `tms sweep phase`: the 2→1 or 3→2 phase diagram of the paper.
struct SweepPhase: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "phase",
    abstract: "Phase diagram of the extra feature over relative importance r and probability p.",
    discussion: """
      One n→(n−1) relu-output model per cell and seed, importance (1, r) for --features 2 and \
      (1, 1, r) for 3; the cell keeps the seed with the lowest exact expected loss and labels \
      its extra (last) feature: not-learned (‖W‖ ≤ 0.5), superposition (s > 0.25) or \
      dedicated. Losses are in the notebook convention (mean over features). For 2→1 the \
      analytic prototype labels and their agreement with the trained diagram are reported.
      """)

  @Option(
    help:
      "A 2→1 or 3→2 relu-output preset: its grid, seeds, optimiser, steps and seed; flags override."
  )
  var preset: String?

  @Option(help: "n: 2 (the 2→1 diagram) or 3 (3→2); default 2 or the preset's.")
  var features: Int?

  @Option(help: "Cells per axis, G (2…\(PhaseSweepConfig.maxGrid)); default 20 or the preset's.")
  var grid: Int?

  @Option(help: "Training steps per model (default 10000).")
  var steps: Int?

  @Option(
    help:
      "Seeds (models) per cell, the best by expected loss kept (1…\(PhaseSweepConfig.maxSeeds)); default 3 or the preset's."
  )
  var seeds: Int?

  @Option(help: "Samples per step (default 1024, the notebook's).")
  var batch: Int?

  @Option(help: "AdamW learning rate (default 1e-3).")
  var lr: Double?

  @Option(help: "AdamW decoupled weight decay (default 0.01).")
  var weightDecay: Double?

  @Option(help: "Random seed of the sweep (≥ 0).")
  var seed: Int?

  @Option(
    help:
      "Initial weight std (> 0); default √(2/(n·m + G²·m)), the notebook's for one batched grid.")
  var initStd: Double?

  @Option(
    parsing: .upToNextOption,
    help: "MAX MIN: feature probability from MAX (row 0) to MIN, in (0, 1]; default 1 0.01.")
  var probabilityRange: [Double] = []

  @Option(parsing: .upToNextOption, help: "MIN MAX: relative importance r; default 0.1 10.")
  var importanceRange: [Double] = []

  @Flag(help: "Independent initial weights for every seed (default: antithetic pairs, W_e → −W_e).")
  var independentSeeds = false

  @Option(help: "Label: the extra feature is learned when ‖W‖ > this.")
  var normThreshold: Double = PhaseThresholds.standard.norm

  @Option(help: "Label: a learned extra feature is in superposition when s > this.")
  var superpositionThreshold: Double = PhaseThresholds.standard.superposition

  @Option(help: "Cells away from the 2→1 boundary: p at least this factor from p*(r).")
  var probabilityMargin: Double = 1.5

  @Option(help: "Cells away from the 2→1 boundary: r at least this factor from 1.")
  var importanceMargin: Double = 1.5

  @Option(help: "Worker threads (default: all cores).")
  var threads: Int?

  @Option(help: "Write the grid as CSV to this file (one line per cell).")
  var csv: String?

  @Flag(help: "Print the grid as JSON on stdout (nothing else goes to stdout).")
  var json = false

  @Flag(help: "Print the elapsed time, threads and instance-steps/s (on stderr with --json).")
  var time = false

  func makeConfig() throws -> PhaseSweepConfig {
    var c = PhaseSweepConfig()
    if let preset {
      let p = try resolvePreset(preset)
      let rc = p.config
      guard rc.model == .reluOutput, rc.features == 2 || rc.features == 3,
        rc.hidden == rc.features - 1
      else {
        throw CLIError(
          "--preset: \(p.source): a phase sweep needs a relu-output 2→1 or 3→2 preset, got "
            + "\(rc.model.rawValue) \(rc.features)→\(rc.hidden)")
      }
      c = p.phase ?? PhaseSweepConfig(run: rc)
    }
    if let features { c.features = features }
    if let grid { c.grid = grid }
    if let seeds { c.seeds = seeds }
    if let steps { c.steps = steps }
    if let batch { c.batchSize = batch }
    if let lr { c.learningRate = lr }
    if let weightDecay { c.weightDecay = weightDecay }
    if let seed {
      guard seed >= 0 else { throw CLIError("--seed: must be an integer ≥ 0, got \(seed)") }
      c.seed = UInt64(seed)
    }
    if let initStd { c.initStd = initStd }
    if !probabilityRange.isEmpty {
      guard probabilityRange.count == 2 else {
        throw CLIError(
          "--probability-range: needs two values MAX MIN, got \(probabilityRange.count)")
      }
      c.probabilityMax = probabilityRange[0]
      c.probabilityMin = probabilityRange[1]
    }
    if !importanceRange.isEmpty {
      guard importanceRange.count == 2 else {
        throw CLIError("--importance-range: needs two values MIN MAX, got \(importanceRange.count)")
      }
      c.importanceMin = importanceRange[0]
      c.importanceMax = importanceRange[1]
    }
    c.antitheticInit = !independentSeeds
    c.thresholds = PhaseThresholds(norm: normThreshold, superposition: superpositionThreshold)
    do {
      try c.validate()
    } catch {
      throw CLIError("--\(Self.flagName(error.field)): \(error.message)")
    }
    return c
  }

  /// The flag that sets a sweep or run config field, for error messages.
  static func flagName(_ field: String) -> String {
    switch field.split(separator: "[").first.map(String.init) ?? field {
    case "batch_size": return "batch"
    case "weight_decay": return "weight-decay"
    case "init_std": return "init-std"
    case "probability_max", "probability_min", "feature_probability": return "probability-range"
    case "importance_min", "importance_max", "importance": return "importance-range"
    case "thresholds.norm": return "norm-threshold"
    case "thresholds.superposition": return "superposition-threshold"
    case let other: return other
    }
  }

  func run() throws {
    let config = try makeConfig()
    guard probabilityMargin.isFinite && probabilityMargin >= 1 else {
      throw CLIError("--probability-margin: must be a number ≥ 1, got \(probabilityMargin)")
    }
    guard importanceMargin.isFinite && importanceMargin >= 1 else {
      throw CLIError("--importance-margin: must be a number ≥ 1, got \(importanceMargin)")
    }
    let output = PhaseSweepOutput(
      csv: csv, json: json, time: time, probabilityMargin: probabilityMargin,
      importanceMargin: importanceMargin)
    try output.train(config, threads: try resolveThreads(threads))
  }
}

/// How `tms sweep phase` and `tms train` on a phase preset report a trained grid.
struct PhaseSweepOutput {
  /// `--csv FILE`.
  var csv: String?
  /// `--json`: the grid as JSON on stdout (and nothing else there).
  var json = false
  /// `--time`: elapsed time and throughput.
  var time = false
  /// Cells counted by the 2→1 agreement: p at least this factor from p*(r).
  var probabilityMargin = 1.5
  /// … and r at least this factor from 1.
  var importanceMargin = 1.5

  /// Trains `config` on `threads` threads with a progress bar on a terminal, then writes the
  /// CSV, the JSON or the text figure with the 2→1 agreement.
  func train(_ config: PhaseSweepConfig, threads threadCount: Int) throws {
    let sweep = try PhaseSweep(config: config)
    let total = config.grid * config.grid
    let progress = ProgressBar(total: total, enabled: stderrIsTTY)
    let bar = UncheckedSendable(progress)
    let result = sweep.run(
      threads: threadCount,
      progress: { update in
        bar.value.update(
          done: update.completed, elapsed: .seconds(update.seconds), loss: [update.cell.loss])
      })
    progress.finish()
    if let failure = result.failure {
      throw CLIError("phase sweep stopped after \(result.completed)/\(total) cells: \(failure)")
    }
    let agreement = result.analyticAgreement(
      probabilityFactor: probabilityMargin, importanceFactor: importanceMargin)
    if let csv {
      do {
        try result.csv().write(toFile: csv, atomically: true, encoding: .utf8)
      } catch {
        throw CLIError("--csv: cannot write \(csv): \(error.localizedDescription)")
      }
    }
    let timing = String(
      format: "time: %.2f s on %d thread%@ (%d cores), %d cells × %d seeds × %d steps = %.3g "
        + "instance-steps, %.3g instance-steps/s", result.seconds, result.threads,
      result.threads == 1 ? "" : "s", ProcessInfo.processInfo.activeProcessorCount, total,
      config.seeds, config.steps, Double(result.instanceSteps),
      Double(result.instanceSteps) / max(result.seconds, 1e-9))
    if json {
      let report = PhaseSweepReport(result: result, agreement: agreement)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
      FileHandle.standardOutput.write(try encoder.encode(report))
      FileHandle.standardOutput.write(Data("\n".utf8))
      if time { printError(timing) }
    } else {
      print(result.textFigure())
      if let a = agreement {
        print(
          String(
            format: "analytic agreement: %d/%d = %.1f%% of cells with p ≥ %.2g× or ≤ 1/%.2g× "
              + "p*(r) and r ≥ %.2g or ≤ 1/%.2g; all cells %d/%d = %.1f%%", a.agreeing, a.counted,
            100 * a.fraction, a.probabilityFactor, a.probabilityFactor, a.importanceFactor,
            a.importanceFactor, a.finishedAgreeing, a.finished, 100 * a.finishedFraction))
      }
      if time { print(timing) }
    }
  }
}

/// The JSON of `tms sweep phase --json`: the result plus, for 2→1, the analytic agreement.
struct PhaseSweepReport: Encodable {
  let result: PhaseSweepResult
  let agreement: PhaseAgreement?

  enum CodingKeys: String, CodingKey { case agreement }

  func encode(to encoder: Encoder) throws {
    try result.encode(to: encoder)
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(agreement, forKey: .agreement)
  }
}

/// Hands a main-thread object to a callback that the sweep serialises.
struct UncheckedSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
