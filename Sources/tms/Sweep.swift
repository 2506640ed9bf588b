import ArgumentParser
import Foundation
import TMSCore
import TMSFigures
import TMSFiles

/// `tms sweep`: grids of small models trained headless — the phase diagram, any grid over
/// any configuration field (resumable, sharded), merging shards, Slurm job arrays and CSV.
struct Sweep: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train grids of small models headless: phase diagrams and sweeps over any field.",
    subcommands: [
      SweepPhase.self, SweepRun.self, SweepMergeCommand.self, SweepSlurm.self, SweepCSV.self,
    ])
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
      dedicated. A cell whose seeds disagree, or whose best seed is more than --floor-tolerance \
      above the best prototype solution's exact loss, trains further batches of --seeds seeds \
      up to --max-seeds; if a prototype still beats every seed, the cell shows the prototype \
      (marked * in the figure, "prototype" in CSV and JSON). Losses are in the notebook \
      convention (mean over features). The analytic prototype labels (2→1: notes §7; 3→2: the \
      extra feature in superposition iff r < 1 and p < 4r/(2+5r)) and the diagram's agreement \
      with them are reported.
      """)

  @Option(
    help:
      "A 2→1 or 3→2 relu-output preset: its grid, seeds, optimiser, steps and seed; flags override."
  )
  var preset: String?

  /// The sweep's own fields (``PhaseSweepConfig/fields``).
  struct GridOptions: FieldOptions {
    @Option(
      name: FieldFlags.name("features"), parsing: .unconditional, help: FieldFlags.help("features"))
    var features: Int?
    @Option(name: FieldFlags.name("grid"), parsing: .unconditional, help: FieldFlags.help("grid"))
    var grid: Int?
    @Option(name: FieldFlags.name("seeds"), parsing: .unconditional, help: FieldFlags.help("seeds"))
    var seeds: Int?
    @Option(
      name: FieldFlags.name("max-seeds"), parsing: .unconditional,
      help: FieldFlags.help("max-seeds"))
    var maxSeeds: Int?
    @Flag(name: FieldFlags.name("no-prototype-floor"), help: FieldFlags.help("no-prototype-floor"))
    var noPrototypeFloor = false
    @Option(
      name: FieldFlags.name("floor-tolerance"), parsing: .unconditional,
      help: FieldFlags.help("floor-tolerance"))
    var floorTolerance: Double?
    @Option(
      name: FieldFlags.name("probability-range"), parsing: .upToNextOption,
      help: FieldFlags.help("probability-range"))
    var probabilityRange: [Double] = []
    @Option(
      name: FieldFlags.name("importance-range"), parsing: .upToNextOption,
      help: FieldFlags.help("importance-range"))
    var importanceRange: [Double] = []
    @Option(
      name: FieldFlags.name("norm-threshold"), parsing: .unconditional,
      help: FieldFlags.help("norm-threshold"))
    var normThreshold: Double?
    @Option(
      name: FieldFlags.name("superposition-threshold"),
      parsing: .unconditional, help: FieldFlags.help("superposition-threshold"))
    var superpositionThreshold: Double?
    @Flag(name: FieldFlags.name("independent-seeds"), help: FieldFlags.help("independent-seeds"))
    var independentSeeds = false

    @OptionGroup var training: TrainingOptions
  }

  @OptionGroup var grid: GridOptions

  @Option(help: "Cells the analytic agreement counts: p at least this factor from p*(r).")
  var probabilityMargin: Double = 1.5

  @Option(help: "Cells the analytic agreement counts: r at least this factor from 1.")
  var importanceMargin: Double = 1.5

  @Option(help: "Worker threads (default: all cores).")
  var threads: Int?

  @Option(help: "Write the grid as CSV to this file (one line per cell).")
  var csv: String?

  @Option(help: "Write the diagram as SVG to this file (cells, analytic boundary, agreement).")
  var svg: String?

  @Flag(help: "Let --csv and --svg replace an existing file.")
  var force = false

  @Flag(help: "Print the grid as JSON on stdout (nothing else goes to stdout).")
  var json = false

  @Flag(help: "Print the elapsed time, threads and instance-steps/s (on stderr with --json).")
  var time = false

  /// The sweep: the preset's grid (or the defaults) with every flag given applied.
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
    do {
      try c.apply(flags: grid.givenFlags)
    } catch {
      throw CLIError(cliMessage(error, flag: PhaseSweepConfig.flag(forField:)))
    }
    return c
  }

  func run() throws {
    let config = try makeConfig()
    guard probabilityMargin.isFinite && probabilityMargin >= 1 else {
      throw CLIError("--probability-margin: must be a number ≥ 1, got \(probabilityMargin)")
    }
    guard importanceMargin.isFinite && importanceMargin >= 1 else {
      throw CLIError("--importance-margin: must be a number ≥ 1, got \(importanceMargin)")
    }
    for (flag, path) in [("--csv", csv), ("--svg", svg)] {
      guard let path else { continue }
      do {
        try SnapshotStore.checkTarget(path, force: force)
      } catch {
        printError("tms: \(flag): \(error.description)")
        throw ExitCode(1)
      }
    }
    if force && csv == nil && svg == nil {
      throw CLIError("--force: only makes sense with --csv or --svg")
    }
    let output = PhaseSweepOutput(
      csv: csv, svg: svg, force: force, json: json, time: time,
      probabilityMargin: probabilityMargin, importanceMargin: importanceMargin)
    try output.train(config, threads: try resolveThreads(threads))
  }
}

/// How `tms sweep phase` and `tms train` on a phase preset report a trained grid.
struct PhaseSweepOutput {
  /// `--csv FILE`.
  var csv: String?
  /// `--svg FILE`.
  var svg: String?
  /// `--force`: `--csv` may replace an existing file.
  var force = false
  /// `--json`: the grid as JSON on stdout (and nothing else there).
  var json = false
  /// `--time`: elapsed time and throughput.
  var time = false
  /// Cells counted by the analytic agreement: p at least this factor from p*(r).
  var probabilityMargin = 1.5
  /// … and r at least this factor from 1.
  var importanceMargin = 1.5

  /// Trains `config` on `threads` threads with a progress bar on a terminal, then writes the
  /// CSV, the JSON or the text figure with the analytic agreement.
  ///
  /// Ctrl-C, SIGTERM or SIGHUP cancel the sweep (it stops within 1,000 steps of one cell):
  /// the cells finished so far are written as usual (the JSON says `"cancelled": true`) and
  /// the command ends as ``Interrupt/exit()`` says. Cells in which a seed diverged are
  /// counted on stderr, listed after the text figure and in the JSON, and make the exit
  /// status 3, as a diverged `tms train` does.
  func train(_ config: PhaseSweepConfig, threads threadCount: Int) throws {
    let sweep = try PhaseSweep(config: config)
    let total = config.grid * config.grid
    let progress = ProgressBar(total: total, enabled: stderrIsTTY)
    let bar = UncheckedSendable(progress)
    Interrupt.install()
    sweep.start(
      threads: threadCount,
      progress: { update in
        bar.value.update(
          done: update.completed, elapsed: .seconds(update.seconds), loss: [update.cell.loss])
      })
    if Interrupt.waiting(for: { sweep.wait() }) == nil { sweep.cancel() }
    let result = sweep.wait()
    progress.finish()
    if let failure = result.failure {
      throw CLIError("phase sweep stopped after \(result.completed)/\(total) cells: \(failure)")
    }
    let agreement = result.analyticAgreement(
      probabilityFactor: probabilityMargin, importanceFactor: importanceMargin)
    if let csv {
      do {
        try AtomicFile.write(Array(result.csv().utf8), to: csv, replace: force)
      } catch {
        printError("tms: --csv: \(error.description)")
        throw ExitCode(1)
      }
    }
    if let svg {
      do {
        try AtomicFile.write(
          Array(
            result.svg(probabilityFactor: probabilityMargin, importanceFactor: importanceMargin)
              .utf8), to: svg, replace: force)
      } catch {
        printError("tms: --svg: \(error.description)")
        throw ExitCode(1)
      }
    }
    let timing = String(
      format: "time: %.2f s on %d thread%@ (%d cores), %d cells, %d seeds (%.2g per cell) × %d "
        + "steps = %.3g instance-steps, %.3g instance-steps/s", result.seconds, result.threads,
      result.threads == 1 ? "" : "s", ProcessInfo.processInfo.activeProcessorCount,
      result.completed, result.seedsTrained,
      Double(result.seedsTrained) / Double(max(1, result.completed)), config.training.steps,
      Double(result.instanceSteps), Double(result.instanceSteps) / max(result.seconds, 1e-9))
    let diverged = result.divergedCells
    if json {
      Output.write(result.json(agreement: agreement))
      if time { printError(timing) }
    } else {
      print(result.textFigure())
      if !diverged.isEmpty {
        let cells = diverged.prefix(20).map { "(\($0.row), \($0.column))" }.joined(separator: " ")
        print(
          "diverged: \(diverged.count) cell\(diverged.count == 1 ? "" : "s") (row, column): \(cells)"
            + (diverged.count > 20 ? " …" : ""))
      }
      let prototypes = result.prototypeCells
      if !prototypes.isEmpty {
        let changed = prototypes.filter { $0.label != $0.trainedLabel }.count
        print(
          "prototype floor: \(prototypes.count) cell\(prototypes.count == 1 ? "" : "s") show a "
            + "prototype solution that beats every trained seed (\(changed) with another label)")
      }
      if let a = agreement {
        print(
          String(
            format: "analytic agreement: %d/%d = %.1f%% of cells with p ≥ %.2g× or ≤ 1/%.2g× "
              + "p*(r) and r ≥ %.2g or ≤ 1/%.2g (trained seeds alone %d/%d = %.1f%%, %d "
              + "decided by a prototype); all cells %d/%d = %.1f%%", a.agreeing, a.counted,
            100 * a.fraction, a.probabilityFactor, a.probabilityFactor, a.importanceFactor,
            a.importanceFactor, a.trainedAgreeing, a.counted, 100 * a.trainedFraction,
            a.prototypeDecided, a.finishedAgreeing, a.finished, 100 * a.finishedFraction))
      }
      if time { print(timing) }
    }
    if Interrupt.requested {
      printError("tms: interrupted after \(result.completed) of \(total) cells")
      Interrupt.exit()
    }
    if !diverged.isEmpty {
      printError(
        "tms: training diverged in \(diverged.count) of \(result.completed) cells (a seed's loss "
          + "became non-finite; lower --lr); their labels come from seeds that did not diverge "
          + "where there were any")
      throw ExitCode(3)
    }
  }
}

/// Hands a main-thread object to a callback that the sweep serialises.
struct UncheckedSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
