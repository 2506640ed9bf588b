import ArgumentParser
import Foundation
import TMSCore
import TMSFiles

/// `tms sae`: sparse autoencoders trained on a toy model's hidden activations, headless.
struct SAECommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sae",
    abstract: "Train sparse autoencoders on a trained toy model and measure what they recover.",
    discussion: """
      The model comes from --preset (default sae-intro, the teaching setup: 5 features in 2 \
      dimensions at p = 0.01, 8 instances) and trains its --steps, or from --snapshot (a \
      trained run, used as it is; if the snapshot holds an SAE, it continues exactly). The \
      model is then frozen and every SAE instance trains on h = W x of the model instance it \
      reads: z = ReLU(W_enc(h − b_dec) + b_enc), ĥ = W_dec z + b_dec, loss E‖h − ĥ‖² + λ E‖z‖₁, \
      unit-norm decoder columns, Adam, dead latents resampled. Reported per SAE instance on \
      held-out samples: E‖h − ĥ‖², L0, dead latents, resamplings, the mean max cosine \
      similarity between the model's feature directions and the decoder's columns \
      (recovery, over features with ‖W_i‖ > 0.5), which latent matches which feature, and \
      the model's loss with h and with ĥ spliced in (notebook convention).
      """)

  @OptionGroup var options: ConfigOptions

  @Option(
    help: ArgumentHelp(
      "A snapshot of a trained model (tms train --save) to read instead of training one.",
      valueName: "file"))
  var snapshot: String?

  @OptionGroup var sae: SAEOptions

  @Option(help: "Worker threads (default: all cores).")
  var threads: Int?

  @Option(
    help:
      "Held-out samples per SAE instance for the reported measurements (1…\(Train.maxEvalSamples))."
  )
  var evalSamples: Int = 32_768

  @Flag(help: "Print the result as JSON on stdout.")
  var json = false

  @Option(
    help: ArgumentHelp(
      "Save a snapshot (model and SAE) when training ends or is interrupted (Ctrl-C).",
      discussion: "A file name, or a folder ending in / for <name>-<step>-<time>.json in it.",
      valueName: "file"))
  var save: String?

  @Flag(help: "Let --save replace an existing file.")
  var force = false

  func run() throws {
    let threadCount = try resolveThreads(threads)
    guard evalSamples >= 1 && evalSamples <= Train.maxEvalSamples else {
      throw CLIError(
        "--eval-samples: must be an integer in 1…\(Train.maxEvalSamples), got \(evalSamples)")
    }
    if save == nil && force { throw CLIError("--force: only makes sense with --save") }
    if let save {
      do {
        try SnapshotStore.checkTarget(save, force: force)
      } catch {
        printError("tms: \(error.description)")
        throw ExitCode(1)
      }
    }
    // Ctrl-C, SIGTERM and SIGHUP stop the model's training, the SAE's or the final
    // evaluation within a piece (~50 ms), save with --save, and end as tms train does.
    Interrupt.install()
    let (run, history, modelSeconds) = try startingRun(threads: threadCount)
    let total = run.config.sae?.steps ?? 0
    let progress = ProgressBar(total: total, enabled: stderrIsTTY)
    let clock = ContinuousClock()
    let start = clock.now
    var done = 0
    var pieces = TimedPieces()
    while done < total && !Interrupt.requested {
      let want = min(pieces.size, total - done)
      let t0 = clock.now
      let advanced = run.trainSAE(steps: want)
      pieces.took((clock.now - t0).secondsValue)
      done += advanced
      if progress.enabled {
        progress.update(
          done: done, elapsed: clock.now - start,
          loss: run.saeSnapshot()?.instances.map(\.metrics.loss) ?? [])
      }
      if run.divergence != nil || advanced < want { break }
    }
    let seconds = (clock.now - start).secondsValue
    if Interrupt.requested { try stopInterrupted(run, history: history, progress: progress) }
    progress.finish()
    // The snapshot is taken before the held-out evaluation, which runs on its own thread,
    // so that an interrupt during it saves at once what was trained (the evaluation reads
    // the weights and changes nothing a snapshot holds).
    let snapshot = save != nil ? run.snapshot(history: history) : nil
    let evalSamples = self.evalSamples
    let stepsTaken = done
    guard
      let report = Interrupt.waiting(for: {
        SAEReport.make(
          run: run, modelSeconds: modelSeconds, seconds: seconds, stepsTaken: stepsTaken,
          evalSamples: evalSamples)
      })
    else {
      try stopInterrupted(run, history: history, progress: progress, snapshot: snapshot)
    }
    if let snapshot { try saveSnapshot(snapshot, run: run) }
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

  /// After an interrupt: saves what was trained (with `--save`; `snapshot` when one was
  /// already taken) and ends the process as ``Interrupt/exit()`` does (130 after Ctrl-C, by
  /// the signal after SIGTERM or SIGHUP).
  func stopInterrupted(
    _ run: Run, history: LossHistory, progress: ProgressBar, snapshot: Snapshot? = nil
  ) throws -> Never {
    progress.finish()
    printError(
      run.saeStarted
        ? "tms: interrupted at SAE step \(run.saeStep)"
        : "tms: interrupted at model step \(run.step), before the SAE started")
    if save != nil { try saveSnapshot(snapshot ?? run.snapshot(history: history), run: run) }
    Interrupt.exit()
  }

  /// The run with its SAE started, its loss history and the model's training time: from
  /// `--snapshot` (its model frozen as saved; its SAE continued when it has one and no flag
  /// asks for a new one), else the preset's model trained for its steps.
  func startingRun(threads: Int) throws -> (Run, LossHistory, Double) {
    if let path = snapshot {
      if let flag = options.configFlagsGiven.first {
        throw CLIError(
          "--snapshot: cannot be combined with \(flag); the snapshot's model is used as saved")
      }
      let snap = try loadSnapshot(path)
      let run: Run
      do {
        run = try Run(snapshot: snap, threads: threads)
      } catch {
        printError("tms: \(error.naming(path).description)")
        throw ExitCode(1)
      }
      var c = run.config
      c.sae = try saeConfig(c.sae, model: c)
      do {
        try run.apply(c)
        if !run.saeStarted { try run.startSAE() }
      } catch {
        throw CLIError(cliMessage(error, flag: Self.flag(forField:)))
      }
      return (run, snap.lossHistory, 0)
    }
    var options = self.options
    if options.preset == nil { options.preset = "sae-intro" }
    var config = try options.makeConfig()
    config.sae = try saeConfig(config.sae, model: config)
    do {
      try config.validate()
    } catch {
      throw CLIError(cliMessage(error, flag: Self.flag(forField:)))
    }
    let run = try Run(config: config, threads: threads)
    let total = config.training.steps
    let progress = ProgressBar(total: total, enabled: stderrIsTTY)
    let clock = ContinuousClock()
    let start = clock.now
    // As tms train trains: a history point every steps/200 steps, pieces timed for Ctrl-C.
    var noRecording: HistoryRecorder? = nil
    let (_, history) = Train.train(
      run, steps: total, history: LossHistory(), progress: progress, recorder: &noRecording)
    if Interrupt.requested { try stopInterrupted(run, history: history, progress: progress) }
    progress.finish()
    if let d = run.divergence {
      printError(
        "tms: the model diverged before the SAE could start (instance \(d.instance): \(shown(d.reason)))"
      )
      throw ExitCode(3)
    }
    do {
      try run.startSAE()
    } catch {
      throw CLIError(error.description)
    }
    return (run, history, (clock.now - start).secondsValue)
  }

  /// `base` (or the default SAE for `model`: as many latents as features, one SAE per model
  /// instance) with the SAE flags applied.
  func saeConfig(_ base: SAEConfig?, model: RunConfig) throws -> SAEConfig {
    var s = base ?? SAEConfig(latents: model.features, instances: model.instances)
    do {
      try s.apply(flags: sae.givenFlags)
    } catch {
      throw CLIError(cliMessage(error, flag: SAEConfig.flag(forField:)))
    }
    return s
  }

  /// The flag behind a run configuration's field, `sae.…` fields by the SAE's table.
  static func flag(forField path: String) -> String? {
    if path.hasPrefix("sae.") { return SAEConfig.flag(forField: String(path.dropFirst(4))) }
    return RunConfig.flag(forField: path)
  }

  /// Writes the `--save` snapshot (model and SAE) of `run`, reporting the path on stderr.
  func saveSnapshot(_ snapshot: Snapshot, run: Run) throws {
    guard let save else { return }
    do {
      let path = try SnapshotStore.save(snapshot, to: save, force: force)
      printError("tms: saved \(path) (model step \(run.step), SAE step \(run.saeStep))")
    } catch {
      printError("tms: \(error.description)")
      throw ExitCode(1)
    }
  }

  /// A human-readable table of the result.
  static func summary(_ r: SAEReport) -> String {
    let c = r.config
    guard let s = c.sae else { return "\(shown(c.name)): no SAE" }
    var lines: [String] = []
    lines.append(
      "\(shown(c.name)): \(c.model.rawValue) \(c.features)→\(c.hidden)×\(c.instances), model trained "
        + "\(r.modelSteps) steps"
        + (r.modelSeconds > 0 ? String(format: " (%.2f s)", r.modelSeconds) : " (from a snapshot)")
        + "; SAE \(s.latents) latents × \(s.instances), \(r.steps) steps"
        + String(
          format: " (%.2f s, %.0f SAE steps/s, %d threads)", r.seconds, r.stepsPerSecond,
          r.threads))
    let showMatch = c.features <= 12
    lines.append(
      "  s  model  λ          E‖h−ĥ‖²     L0  dead  resampled  recovery  model loss  spliced loss"
        + (showMatch ? "  latent per feature" : ""))
    for (k, inst) in r.instances.enumerated() {
      let m = inst.metrics
      let h = m.heldOut
      var line = String(
        format: "%3d  %5d  %-9.4g %10.3e %6.3f %3d/%-3d %9d  %8.4f  %10.3e  %12.3e", k,
        m.modelInstance, m.l1Coefficient, h?.reconstruction ?? .nan, h?.l0 ?? .nan, m.deadCount,
        m.dead.count, m.resamples, m.recovery, h?.modelLoss ?? .nan, h?.splicedLoss ?? .nan)
      if showMatch {
        line += "  " + m.featureLatent.map { $0 < 0 ? "–" : String($0) }.joined(separator: " ")
      }
      if let d = m.divergence { line += "  diverged: \(shown(d))" }
      lines.append(line)
    }
    lines.append(
      String(
        format: "recovery (mean max cosine similarity, features with ‖W_i‖ > 0.5): mean %.4f, "
          + "best %.4f; dead latents: %.1f%% on average", r.meanRecovery, r.bestRecovery,
        100 * r.meanDeadFraction))
    return lines.joined(separator: "\n")
  }
}

/// The flags of ``SAEConfig/fields`` (`tms sae`). Negative numbers reach the field's range
/// check (`.unconditional`).
struct SAEOptions: FieldOptions {
  @Option(
    name: FieldFlags.name("latents"), parsing: .unconditional, help: FieldFlags.help("latents"))
  var latents: Int?
  @Option(
    name: FieldFlags.name("sae-instances"), parsing: .unconditional,
    help: FieldFlags.help("sae-instances"))
  var saeInstances: Int?
  @Option(name: FieldFlags.name("l1"), parsing: .unconditional, help: FieldFlags.help("l1"))
  var l1: Double?
  @Option(
    name: FieldFlags.name("l1-sweep"), parsing: .upToNextOption, help: FieldFlags.help("l1-sweep"))
  var l1Sweep: [Double] = []
  @Option(
    name: FieldFlags.name("model-instance"), parsing: .unconditional,
    help: FieldFlags.help("model-instance"))
  var modelInstance: Int?
  @Option(name: FieldFlags.name("sae-lr"), parsing: .unconditional, help: FieldFlags.help("sae-lr"))
  var saeLr: Double?
  @Option(
    name: FieldFlags.name("sae-batch"), parsing: .unconditional, help: FieldFlags.help("sae-batch"))
  var saeBatch: Int?
  @Option(
    name: FieldFlags.name("sae-steps"), parsing: .unconditional, help: FieldFlags.help("sae-steps"))
  var saeSteps: Int?
  @Flag(name: FieldFlags.name("free-decoder"), help: FieldFlags.help("free-decoder"))
  var freeDecoder = false
  @Flag(name: FieldFlags.name("no-resample"), help: FieldFlags.help("no-resample"))
  var noResample = false
  @Option(
    name: FieldFlags.name("dead-steps"), parsing: .unconditional,
    help: FieldFlags.help("dead-steps"))
  var deadSteps: Int?
  @Option(
    name: FieldFlags.name("sae-seed"), parsing: .unconditional, help: FieldFlags.help("sae-seed"))
  var saeSeed: Int?
}
