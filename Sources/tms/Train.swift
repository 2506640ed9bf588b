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
    help:
      "Most held-out samples per instance for the final loss (1…\(Train.maxEvalSamples)); sampling stops once its relative standard error is within --eval-error."
  )
  var evalSamples: Int = Train.maxEvalSamples

  @Option(help: "Relative standard error the held-out loss aims for (0…1; default 0.01).")
  var evalError: Double = 0.01

  @Option(help: "Seed of the held-out samples and the attack's points (default: the run's seed).")
  var evalSeed: UInt64?

  /// The most `--eval-samples` takes: 2²⁰, 32 times the default; beyond it the final
  /// evaluation of a large run takes minutes and says nothing more.
  static let maxEvalSamples = 1 << 20

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
  @Flag(
    help: ArgumentHelp(
      "Record the run's history (log-spaced keyframes and events) into the --save snapshot, for replay in the explorer and tms export --animate."
    ))
  var record = false

  @Option(
    help: ArgumentHelp(
      "Memory budget of --record's keyframes, in MB (default 64); older frames thin out to fit.",
      valueName: "MB"))
  var historyBudget: Double?

  @Flag(help: "Let --save replace an existing file.")
  var force = false
  @Option(
    help: ArgumentHelp(
      "Record every instance's losses and D_i at these steps in --checkpoints-csv.",
      discussion:
        "log:FROM:TO:COUNT (COUNT steps log-spaced from FROM to TO), lin:FROM:TO:COUNT, or steps separated by commas.",
      valueName: "spec"))
  var checkpoints: String?
  @Option(
    help: ArgumentHelp(
      "The CSV file --checkpoints writes: step,instance,train_loss,eval_loss,dimensions_per_feature,D_0,…",
      valueName: "file"))
  var checkpointsCsv: String?

  func run() throws {
    let threadCount = try resolveThreads(threads)
    let checkpointSteps = try checkpointSteps()
    if let grid = try phaseGrid() {
      if !checkpointSteps.isEmpty {
        throw CLIError("--checkpoints: a phase-diagram preset trains a grid, not one run")
      }
      try PhaseSweepOutput(json: json).train(grid, threads: threadCount)
      return
    }
    guard evalSamples >= 1 && evalSamples <= Self.maxEvalSamples else {
      throw CLIError(
        "--eval-samples: must be an integer in 1…\(Self.maxEvalSamples), got \(evalSamples)")
    }
    guard evalError >= 0 && evalError <= 1 else {
      throw CLIError("--eval-error: must be a number in 0…1, got \(evalError)")
    }
    if record && save == nil {
      throw CLIError("--record: needs --save FILE, the snapshot the history goes into")
    }
    if historyBudget != nil && !record {
      throw CLIError("--history-budget: only makes sense with --record")
    }
    let budget = try HistoryBudget.bytes(historyBudget, flag: "--history-budget")
    let (run, total, resumedHistory, resumedRecording) = try startingRun(threads: threadCount)
    var recorder =
      record
      ? HistoryRecorder(
        history: resumedRecording.map { historyBudget == nil ? $0 : $0.withBudget(budget) }
          ?? RunHistory(budget: budget)) : nil
    let writer = try checkpointsCsv.map {
      try CheckpointWriter(
        path: $0, features: run.config.features,
        loss: LossEstimate.Settings(
          targetRelativeError: evalError, maximumSamples: self.evalSamples,
          minimumSamples: min(self.evalSamples, 4096), seed: evalSeed ?? run.config.training.seed))
    }
    var writeFailure: Error?
    Interrupt.install()
    let progress = ProgressBar(total: total, enabled: stderrIsTTY)
    let clock = ContinuousClock()
    let start = clock.now
    let (done, history) = Self.train(
      run, steps: total, history: resumedHistory, progress: progress,
      checkpoints: writer == nil ? [] : checkpointSteps, recorder: &recorder
    ) { run in
      do {
        try writer?.record(run)
      } catch {
        writeFailure = writeFailure ?? error
      }
    }
    if let writeFailure { throw writeFailure }
    let elapsed = (clock.now - start).secondsValue
    if Interrupt.requested {
      try stopInterrupted(
        run, history: history, recorded: recorder?.history, progress: progress)
    }
    progress.finish()
    if let h = recorder?.history {
      let used = String(
        format: "%.1f of %.0f MB", Double(h.bytes) / 1_048_576, Double(h.budget) / 1_048_576)
      let peak = String(format: "%.0f MB", PeakMemory.megabytes)
      printError(
        "tms: recorded \(h.extent) (\(used), \(h.thinned) thinned, spacing "
          + "\(h.spacing < 1 ? "1/\(Int((1 / h.spacing).rounded()))" : String(format: "%g", h.spacing))), "
          + "\(h.events.count) events; peak resident "
          + "memory while training \(peak)")
    }
    // The snapshot is taken before the final evaluation, which runs on its own thread, so
    // that an interrupt during it saves at once what was trained; its losses are added after.
    var snapshot = save != nil ? run.snapshot(history: history) : nil
    snapshot?.history = recorder?.history
    let evalSamples = self.evalSamples
    let seed = evalSeed ?? run.config.training.seed
    let loss = LossEstimate.Settings(targetRelativeError: evalError, seed: seed)
    let attack = AttackResult.Settings(seed: seed)
    guard
      let report = Interrupt.waiting(for: {
        RunReport.make(
          run: run, seconds: elapsed, stepsTaken: done, evalSamples: evalSamples, loss: loss,
          attack: attack)
      })
    else {
      try stopInterrupted(
        run, history: history, recorded: recorder?.history, progress: progress,
        snapshot: snapshot)
    }
    for (k, instance) in report.instances.enumerated() where snapshot != nil {
      snapshot?.instances[k].metrics.evalLoss = instance.metrics.evalLoss
      snapshot?.instances[k].metrics.evalLossError = instance.metrics.evalLossError
    }
    if let snapshot { try save(snapshot) }
    if json {
      Output.write(report.json())
    } else {
      print(Self.summary(report))
    }
    if let d = report.diverged {
      printError("tms: training diverged (\(shown(d))); the weights reported are those kept")
      throw ExitCode(3)
    }
  }

  /// Trains `run` for `steps` steps, or until an interrupt or a divergence, and returns the
  /// steps taken and the loss history.
  ///
  /// The history gets a point every `steps / 200` steps (at most 10,000), as always; between
  /// two points the steps go in pieces timed to about 50 ms (doubling while shorter, halving
  /// while longer), so that an interrupt is seen within one piece whatever the model's size.
  /// A piece is never less than one step: a run whose single step takes longer than a second
  /// stops after that step. Pieces also end at every step of `checkpoints` (absolute step
  /// numbers), where `checkpoint` is called with the run, and at every frame due to
  /// `recorder` (``HistoryRecorder``), which also takes one at the step training stops.
  static func train(
    _ run: Run, steps total: Int, history: LossHistory, progress: ProgressBar,
    checkpoints: [Int] = [], recorder: inout HistoryRecorder?,
    checkpoint: (Run) -> Void = { _ in }
  ) -> (done: Int, history: LossHistory) {
    var history = history
    let clock = ContinuousClock()
    let start = clock.now
    let every = max(1, min(total / 200, 10_000))
    let firstStep = run.step
    var pending = checkpoints.filter { $0 > firstStep && $0 - firstStep <= total }[...]
    var done = 0
    var pieces = TimedPieces()
    var recorded = true
    recorder?.recordIfDue(run)
    while done < total && !Interrupt.requested {
      let boundary = min(total, (done / every + 1) * every)
      let stop = min(boundary, pending.first.map { $0 - firstStep } ?? total)
      let frame = recorder?.stepsToNextFrame(from: run.step) ?? Int.max
      let want = min(pieces.size, stop - done, frame)
      let t0 = clock.now
      let advanced = run.trainCounting(steps: want)
      let took = clock.now - t0
      // A piece cut short by a due frame says nothing about the right piece size.
      if want == pieces.size || want == stop - done { pieces.took(took.secondsValue) }
      recorder?.recordIfDue(run)
      done += advanced
      recorded = false
      if let next = pending.first, done == next - firstStep, advanced == want {
        checkpoint(run)
        pending.removeFirst()
      }
      if done == boundary || advanced < want {
        history.record(step: run.step, losses: run.trainLossEMA)
        recorded = true
      }
      progress.update(done: done, elapsed: clock.now - start, loss: run.trainLossEMA)
      if run.divergence != nil || advanced < want { break }
    }
    if !recorded { history.record(step: run.step, losses: run.trainLossEMA) }
    recorder?.recordLast(run)
    return (done, history)
  }

  /// A human-readable table of the result.
  static func summary(_ r: RunReport) -> String {
    var lines: [String] = []
    let c = r.config
    lines.append(
      "\(shown(c.name)): \(c.model.rawValue) n=\(c.features) m=\(c.hidden) K=\(c.instances)  "
        + "\(r.steps) steps in \(String(format: "%.2f", r.seconds)) s "
        + "(\(Int(r.stepsPerSecond)) steps/s, \(r.threads) threads)")
    lines.append(
      "  k   1−S(mean)  loss (notebook) ± SE       represented  D*      "
        + "gain: bound   worst    mean  geometry")
    for (k, inst) in r.instances.enumerated() {
      let m = inst.metrics
      let p = m.featureProbability.reduce(0, +) / Double(max(1, m.featureProbability.count))
      let a = inst.attack
      lines.append(
        String(
          format: "%3d   %8.4f   %10.4e ± %-9.2e  %6d/%-4d  %6.3f  %11.3f  %6.3f  %6.3f  ", k, p,
          m.evalLoss, m.evalLossError, m.represented, m.norms.count, m.dimensionsPerFeature,
          a.bound, a.worstGain, a.meanGain)
          + m.geometry.text)
    }
    let points = r.instances.map(\.attack.points).max() ?? 0
    let epsilon = r.instances.first?.attack.epsilon ?? 0
    lines.append(
      "  loss: stratified held-out estimate ± its standard error; gain: Lipschitz bound, and the "
        + "largest and mean ‖Δy‖/ε a PGD attack (ε = \(epsilon)) reached from \(points) "
        + "held-out points")
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
    Output.error(line)
  }

  func finish() {
    guard enabled else { return }
    Output.error("\r\u{1B}[2K")
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
        "\(flag): \(shown(preset.config.name)) is a phase-diagram preset (a grid of models); use "
          + "tms sweep phase to change its shape")
    }
    if save != nil {
      throw CLIError("--save: \(shown(preset.config.name)) trains a grid; snapshots hold one run")
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
