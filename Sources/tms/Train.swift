import ArgumentParser
import Foundation
import TMSCore
import TMSFiles

/// `tms train`: the engine headless, with a progress bar on a TTY and JSON on request.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a run headless and print its result.",
    discussion: """
      A phase-diagram preset (presets/phase-2-1.json, phase-3-2.json) trains its whole grid, \
      as tms sweep phase --preset does. A preset with an SAE (sae-intro, …) trains its model \
      only, keeping the sae object in a --save snapshot: tms sae --snapshot trains the SAE.
      """)

  @OptionGroup var options: ConfigOptions

  @Option(help: "Worker threads (default: all cores).")
  var threads: Int?

  @Option(
    help: "Held-out samples per instance for the final loss (≥ 1; fewer is faster, noisier).")
  var evalSamples: Int = 32_768

  @Flag(help: "Print the result as JSON on stdout.")
  var json = false
  @Option(
    help: ArgumentHelp(
      "Save a snapshot when training ends or is interrupted (Ctrl-C).",
      discussion: "A file name, or a folder ending in / for <name>-<step>-<time>.json in it.",
      valueName: "file"))
  var save: String?
  @Option(
    help: ArgumentHelp(
      "Continue the run in this snapshot exactly; --steps N adds N steps (default: to its horizon).",
      valueName: "file"))
  var resume: String?
  @Flag(help: "Let --save replace an existing file.")
  var force = false

  func run() throws {
    let threadCount = try resolveThreads(threads)
    if let grid = try phaseGrid() {
      try PhaseSweepOutput(json: json).train(grid, threads: threadCount)
      return
    }
    guard evalSamples >= 1 else {
      throw CLIError("--eval-samples: must be ≥ 1, got \(evalSamples)")
    }
    let (run, total, resumedHistory) = try startingRun(threads: threadCount)
    var history = resumedHistory
    let progress = ProgressBar(total: total, enabled: stderrIsTTY)
    let clock = ContinuousClock()
    let start = clock.now
    var done = 0
    while done < total && !Interrupt.requested {
      let chunk = min(total - done, max(1, min(total / 200, 10_000)))
      let advanced = run.trainCounting(steps: chunk)
      done += advanced
      history.record(step: run.step, losses: run.trainLossEMA)
      progress.update(done: done, elapsed: clock.now - start, loss: run.trainLossEMA)
      if run.divergence != nil || advanced < chunk { break }
    }
    try saveIfInterrupted(run, history: history, progress: progress)
    let elapsed = (clock.now - start).secondsValue
    progress.finish()
    let report = RunReport.make(
      run: run, seconds: elapsed, stepsTaken: done, evalSamples: evalSamples)
    try saveSnapshot(run, history: history, evalLoss: report.instances.map(\.metrics.evalLoss))
    if json {
      FileHandle.standardOutput.write(Data(report.json()))
    } else {
      print(Self.summary(report))
    }
    if let d = report.diverged {
      printError("tms: training diverged (\(d)); the weights reported are those kept")
      throw ExitCode(3)
    }
  }

  /// A human-readable table of the result.
  static func summary(_ r: RunReport) -> String {
    var lines: [String] = []
    let c = r.config
    lines.append(
      "\(c.name): \(c.model.rawValue) n=\(c.features) m=\(c.hidden) K=\(c.instances)  "
        + "\(r.steps) steps in \(String(format: "%.2f", r.seconds)) s "
        + "(\(Int(r.stepsPerSecond)) steps/s, \(r.threads) threads)")
    lines.append("  k   1−S(mean)  loss (notebook)  represented  D*      gain    geometry")
    for (k, inst) in r.instances.enumerated() {
      let m = inst.metrics
      let p = m.featureProbability.reduce(0, +) / Double(max(1, m.featureProbability.count))
      lines.append(
        String(
          format: "%3d   %8.4f   %14.6f  %6d/%-4d  %6.3f  %6.3f  ", k, p, m.evalLoss,
          m.represented, m.norms.count, m.dimensionsPerFeature, inst.attackGain)
          + m.geometry.text)
    }
    return lines.joined(separator: "\n")
  }
}

/// The thread count from `--threads`, or every core.
func resolveThreads(_ threads: Int?) throws -> Int {
  guard let threads else { return ProcessInfo.processInfo.activeProcessorCount }
  guard threads >= 1 && threads <= 256 else {
    throw CLIError("--threads: must be an integer in 1…256, got \(threads)")
  }
  return threads
}

/// A one-line progress bar redrawn in place on stderr (only when stderr is a terminal).
final class ProgressBar {
  let total: Int
  let enabled: Bool
  private var lastDraw = ContinuousClock.now - .seconds(1)

  init(total: Int, enabled: Bool) {
    self.total = total
    self.enabled = enabled
  }

  func update(done: Int, elapsed: Duration, loss: [Double]) {
    guard enabled else { return }
    let now = ContinuousClock.now
    guard now - lastDraw >= .milliseconds(100) || done == total else { return }
    lastDraw = now
    let width = 30
    let fraction = total > 0 ? Double(done) / Double(total) : 1
    let filled = Int(fraction * Double(width))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    let secs = elapsed.secondsValue
    let rate = secs > 0 ? Double(done) / secs : 0
    let finite = loss.filter(\.isFinite)
    let mean = finite.isEmpty ? Double.nan : finite.reduce(0, +) / Double(finite.count)
    let line = String(
      format: "\r%@ %d/%d steps  %.0f steps/s  loss %.5f ", bar, done, total, rate, mean)
    FileHandle.standardError.write(Data(line.utf8))
  }

  func finish() {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
  }
}

extension Train {
  /// The grid to train when `--preset` names a phase-diagram preset (one with a `phase`
  /// object): its sweep with the training flags (``TrainingSettings/fields``) applied; nil
  /// for any other preset. Flags that change the
  /// model's shape or curves, `--save`, `--resume` and `--eval-samples` do not apply to a grid.
  func phaseGrid() throws -> PhaseSweepConfig? {
    guard let name = options.preset, resume == nil else { return nil }
    let preset = try resolvePreset(name)
    guard var c = preset.phase else { return nil }
    let trainingFlags = Set(TrainingSettings.fields.flatMap(\.flags).map { "--" + $0.name })
    let shapeFlags = options.configFlagsGiven.filter {
      $0 != "--preset" && !trainingFlags.contains($0)
    }
    if let flag = shapeFlags.first {
      throw CLIError(
        "\(flag): \(preset.config.name) is a phase-diagram preset (a grid of models); use "
          + "tms sweep phase to change its shape")
    }
    if save != nil {
      throw CLIError("--save: \(preset.config.name) trains a grid; snapshots hold one run")
    }
    c.training = try options.makeConfig().training
    do {
      try c.validate()
    } catch {
      throw CLIError(cliMessage(error, flag: PhaseSweepConfig.flag(forField:)))
    }
    return c
  }
}
