import ArgumentParser
import Foundation
import TMSApp
import TMSCore
import TMSFiles
import TMSRender
import TMSTerminal

/// `tms` / `tms explore`: the live explorer.
struct Explore: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Open the live explorer (the default).",
    discussion: "Starts training the intro preset (or --preset/flags) at once; press ? for keys.")

  @OptionGroup var options: ConfigOptions

  @Option(help: "Worker threads (default: all cores).")
  var threads: Int?

  @Flag(help: "No colours (shade characters), as with NO_COLOR.")
  var mono = false

  @Flag(help: "Start paused.")
  var paused = false

  @Option(
    name: .customLong("snapshot"),
    help: ArgumentHelp(
      "Open on a saved snapshot (weights, optimiser, loss history) and keep training it.",
      valueName: "file"))
  var snapshotFile: String?

  @Option(
    name: .customLong("sweep"),
    help: ArgumentHelp(
      "Open the results view on a sweep result file (tms sweep run/merge), re-read as it grows; training starts paused.",
      valueName: "file"))
  var sweepFile: String?

  @Option(
    name: .customLong("compare"),
    help: ArgumentHelp(
      "Open the compare view with a second run beside the first: a saved snapshot (kept training) or a preset's run.",
      valueName: "file|preset"))
  var compareWith: String?

  @Option(
    name: .customLong("save-to"),
    help: ArgumentHelp(
      "Where `s` saves: a folder (default ./snapshots/, created on demand); files never overwrite.",
      valueName: "folder"))
  var saveFolder: String?

  @Option(
    name: .customLong("bench-ui"),
    help:
      "Benchmark: draw N frames at the normal frame cap, then print frames/s, the worst frame time and training steps/s with and without the UI."
  )
  var benchFrames: Int?

  @Option(
    help: ArgumentHelp(
      "Memory budget of the recorded history (keyframes for the timeline), in MB (default 64); older frames thin out to fit.",
      valueName: "MB"))
  var historyBudget: Double?

  @Flag(help: "Do not record the history (no timeline, no replay).")
  var noHistory = false

  @Flag(help: .hidden)
  var testCrash = false

  func run() throws {
    let threadCount = try resolveThreads(threads)
    if noHistory && historyBudget != nil {
      throw CLIError("--history-budget: cannot be combined with --no-history")
    }
    let budget = try HistoryBudget.bytes(historyBudget, flag: "--history-budget")
    if let n = benchFrames, n < 1 { throw CLIError("--bench-ui: must be ≥ 1 frames, got \(n)") }
    var resumed = try loadSnapshot()
    // The explorer trains open-ended: a saved schedule's horizon would otherwise bring lr to
    // 0 once passed and freeze a run that says "running", so lr stays at its base value. A
    // run with an SAE keeps its horizon: there the model stops at it and the SAE trains on.
    if resumed?.config.sae == nil { resumed?.config.training.steps = 0 }
    var config = try resumed?.config ?? options.makeConfig()
    if config.sae == nil { config.training.steps = 0 }
    do {
      try config.checkMemory(live: true)
    } catch {
      throw CLIError(error.description)
    }
    let saveTarget = try checkedSaveFolder()
    let preset = try namedPreset()
    let second = try secondRun(first: config, preset: preset)
    let headless = try benchFrames.map { _ in try headlessRate(config, threads: threadCount) }
    if let sweepFile {
      // Checked before the screen opens: a bad file is one line and exit 1.
      do {
        _ = try SweepResultFile.read(sweepFile)
      } catch {
        printError("tms: \(error.description)")
        throw ExitCode(1)
      }
    }

    let terminal: Terminal
    do {
      terminal = try Terminal.open(options: TerminalOptions(monochrome: mono))
    } catch {
      printError(error.description)
      throw ExitCode(1)
    }
    let block: @Sendable () -> Void = { Terminal.blockTerminalSignalsOnThisThread() }
    let run: Run
    if let resumed {
      run = try Run(snapshot: resumed, threads: threadCount, onThreadStart: block)
    } else {
      run = try Run(config: config, threads: threadCount, onThreadStart: block)
    }
    // A snapshot saved with its history opens in replay, paused (space trains on); its
    // frames are kept, under this explorer's budget.
    let saved = noHistory ? nil : resumed?.history
    let recording =
      noHistory ? nil : saved.map { $0.withBudget(budget) } ?? RunHistory(budget: budget)
    let trainer = Trainer(
      run: run, paused: paused || sweepFile != nil || saved != nil,
      history: resumed?.lossHistory ?? LossHistory(), recording: recording, onThreadStart: block)
    trainer.start()
    let explorer = Explorer(trainer: trainer)
    explorer.saveSnapshot = { withHistory in
      Terminal.blockTerminalSignalsOnThisThread()
      guard let snapshot = trainer.checkpoint(history: withHistory) else {
        throw CLIError("the trainer did not answer; nothing was written")
      }
      return try SnapshotStore.save(snapshot, to: saveTarget)
    }
    explorer.phaseThreads = threadCount
    explorer.phaseThreadStart = block
    explorer.compare.makeTrainer = { start, paused in
      let run: Run
      var history = LossHistory()
      switch start {
      case .config(let c): run = try Run(config: c, threads: threadCount, onThreadStart: block)
      case .snapshot(let s):
        run = try Run(snapshot: s, threads: threadCount, onThreadStart: block)
        history = s.lossHistory
      }
      let t = Trainer(run: run, paused: paused, history: history, onThreadStart: block)
      t.start()
      return t
    }
    explorer.compare.stopTrainer = { ($0 as? Trainer)?.shutdown() }
    if let preset, preset.phase != nil {
      // Through the same path as the picker, so loading another preset later resumes the
      // trainer that the sweep paused.
      explorer.load(preset)
    } else if let preset {
      // Not `load`: that would replace the configuration the flags may have overridden.
      explorer.showView(of: preset)
    }
    if let second {
      explorer.openSecondRun(
        second.start, name: second.name, own: second.own, paused: paused || sweepFile != nil)
    }
    if let sweepFile {
      do {
        try explorer.openSweepResults(sweepFile)
      } catch {
        terminal.close()
        printError("tms: \(error.description)")
        throw ExitCode(1)
      }
    }
    if saved != nil { explorer.replay() }
    if testCrash {
      // For the end-to-end test of the crash handler: a Swift trap while curses is up.
      let snapshot = explorer.render(trainer.snapshot, width: 80, height: 24, depth: terminal.depth)
      terminal.draw(snapshot)
      let cells: [Int] = []
      _ = cells[Int(snapshot.width) - 70]
    }
    let report = ExplorerLoop(terminal: terminal, explorer: explorer, benchFrames: benchFrames)
      .run()
    let unseenSave = explorer.finishSave(
      timeout: terminal.interruptRequested ? .seconds(5) : .seconds(30))
    explorer.shutdown()
    trainer.shutdown()
    terminal.close()
    if let unseenSave { printError("tms: \(unseenSave)") }
    Terminal.propagateTermination()
    if let report, let headless {
      // Headless speed is measured before and after the UI run and averaged, so a drift in
      // the machine's speed during the benchmark does not count against (or for) the UI.
      let after = try headlessRate(config, threads: threadCount)
      print(report.summary(headlessStepsPerSecond: (headless + after) / 2, threads: threadCount))
    }
  }

  /// The snapshot named by `--snapshot`, checked before the screen opens: a bad file is one
  /// line on stderr and exit 1; configuration flags beside it are refused (its own is used).
  func loadSnapshot() throws -> Snapshot? {
    guard let snapshotFile else { return nil }
    if let flag = options.configFlagsGiven.first {
      throw CLIError(
        "--snapshot: cannot be combined with \(flag); the snapshot's own configuration is used")
    }
    do {
      return try SnapshotStore.load(snapshotFile)
    } catch {
      printError("tms: \(error.naming(snapshotFile).description)")
      throw ExitCode(1)
    }
  }

  /// The folder `s` saves into, as ``SnapshotStore/save(_:to:force:date:)`` expects it (a
  /// trailing `/` marks a folder); an unwritable one is refused before the screen opens.
  func checkedSaveFolder() throws -> String? {
    guard let saveFolder else { return nil }
    let folder = saveFolder.hasSuffix("/") ? saveFolder : saveFolder + "/"
    do {
      try SnapshotStore.checkTarget(folder, force: false)
    } catch {
      printError("tms: --save-to: \(error.description)")
      throw ExitCode(1)
    }
    return folder
  }

  /// The `--preset`, if one was given (a phase preset starts its sweep in the phase view;
  /// any preset opens in the view it names).
  func namedPreset() throws -> Preset? {
    try options.preset.map(resolvePreset)
  }

  /// The compare view's second run, checked before the screen opens: `--compare` (a
  /// snapshot file, else a preset name or file) or the preset's `"compare"` fields over
  /// `first`; nil with neither. A bad argument is one line and exit 1 or 2.
  func secondRun(first: RunConfig, preset: Preset?) throws -> (
    start: SecondRunStart, name: String, own: Set<String>
  )? {
    var start: SecondRunStart
    var name: String
    var own: Set<String>
    if let compareWith {
      // A file is read once: a snapshot, else (a preset file) its error joins the preset's.
      let loaded =
        FileManager.default.fileExists(atPath: compareWith)
        ? Result { () throws(SnapshotError) in try SnapshotStore.load(compareWith) } : nil
      if case .success(let saved) = loaded {
        var s = saved
        if s.config.sae == nil { s.config.training.steps = 0 }
        start = .snapshot(s)
        name = URL(fileURLWithPath: compareWith).lastPathComponent
      } else {
        let other: Preset
        do {
          other = try presetLibrary.resolve(compareWith)
        } catch {
          // Neither a snapshot nor a preset: the snapshot's own error when it is a file.
          if case .failure(let snapshotError) = loaded {
            throw CLIError(
              "--compare: \(compareWith) is neither a snapshot (\(snapshotError.description)) nor a preset (\(error.message))"
            )
          }
          throw CLIError("--compare: \(error.description)")
        }
        guard other.phase == nil else {
          throw CLIError("--compare: \(other.config.name) is a phase diagram, not a run")
        }
        var c = other.config
        if c.sae == nil { c.training.steps = 0 }
        start = .config(c)
        name = other.config.name
      }
      own = start.config.differingFields(from: first)
    } else if let preset, let overrides = preset.compare {
      do {
        guard let c = try preset.compareConfig(for: first) else { return nil }
        start = .config(c)
      } catch {
        throw CLIError("\(preset.source): \(error.description)")
      }
      name = preset.config.name
      own = Set(overrides.keys)
    } else {
      return nil
    }
    do {
      try start.config.checkMemory(live: true)
    } catch {
      throw CLIError("--compare: \(error.description)")
    }
    return (start, name, own)
  }

  /// Headless steps/s of `config` over about three seconds, for the UI benchmark's comparison.
  func headlessRate(_ config: RunConfig, threads: Int) throws -> Double {
    let run = try Run(config: config, threads: threads)
    run.train(steps: 10)
    let clock = ContinuousClock()
    let start = clock.now
    var steps = 0
    var chunk = 1
    while clock.now - start < .seconds(3) {
      let t0 = clock.now
      run.train(steps: chunk)
      steps += chunk
      if clock.now - t0 < .milliseconds(4) { chunk *= 2 }
    }
    return Double(steps) / (clock.now - start).secondsValue
  }
}

/// The UI loop: input every tick, redraw when something changed, at most 30 frames a second.
struct ExplorerLoop {
  let terminal: Terminal
  let explorer: Explorer
  let benchFrames: Int?
  static let frameInterval = Duration.milliseconds(33)

  /// What `--bench-ui` measured.
  struct BenchReport {
    var frames: Int
    var seconds: Double
    var worstFrame: Duration
    var meanFrame: Duration
    var worstLatency: Duration
    var meanLatency: Duration
    var latencySamples: Int
    var steps: Int
    var width: Int
    var height: Int

    func summary(headlessStepsPerSecond: Double, threads: Int) -> String {
      let rate = Double(steps) / seconds
      return """
        tms explore --bench-ui: \(frames) frames at \(width)×\(height), \(threads) training threads
          frames/s:          \(String(format: "%.1f", Double(frames) / seconds)) (cap 30)
          worst frame:       \(String(format: "%.2f", worstFrame.secondsValue * 1000)) ms (render + draw)
          mean frame:        \(String(format: "%.2f", meanFrame.secondsValue * 1000)) ms
          key → screen:      worst \(String(format: "%.1f", worstLatency.secondsValue * 1000)) ms, mean \(String(format: "%.1f", meanLatency.secondsValue * 1000)) ms over \(latencySamples) keys
          steps/s with UI:   \(String(format: "%.0f", rate))
          steps/s headless:  \(String(format: "%.0f", headlessStepsPerSecond))
          ratio:             \(String(format: "%.1f", 100 * rate / headlessStepsPerSecond))%
        """
    }
  }

  func run() -> BenchReport? {
    let clock = ContinuousClock()
    var lastVersion = -1
    var lastPhase = -1
    var lastFrame = clock.now - Self.frameInterval
    var dirty = true
    var frames = 0
    var fps = 0.0
    var fpsWindow = (start: clock.now, frames: 0)
    var worst = Duration.zero
    var total = Duration.zero
    let benchStart = clock.now
    let benchStep = explorer.trainer.snapshot.step
    // Bench: a synthetic key (next instance) at a pseudo-random moment every 15 frames; the
    // latency is from handling it to the end of the frame that shows it.
    var injectAt: ContinuousClock.Instant? = nil
    var injected: ContinuousClock.Instant? = nil
    var latencies: [Duration] = []
    var lcg: UInt64 = 0x9E37_79B9_7F4A_7C15
    while !explorer.wantsQuit && !terminal.interruptRequested {
      var wait = max(0, Int((Self.frameInterval - (clock.now - lastFrame)).secondsValue * 1000))
      if let at = injectAt {
        wait = min(wait, max(0, Int((at - clock.now).secondsValue * 1000)))
        if clock.now >= at {
          explorer.handle(.key(.char("n")))
          injected = clock.now
          injectAt = nil
          dirty = true
        }
      }
      // Idle: wake for input within a frame; a pending synthetic key wakes on time, as a real
      // key would wake wget_wch at once.
      let timeout = dirty || injectAt != nil ? wait : 33
      if let event = terminal.nextEvent(timeoutMilliseconds: timeout) {
        explorer.handle(event)
        dirty = true
        var drained = 0
        while drained < 64, let more = terminal.nextEvent(timeoutMilliseconds: 0) {
          explorer.handle(more)
          drained += 1
        }
      }
      let snap = explorer.trainer.snapshot
      if snap.version != lastVersion || explorer.hasFinishedSave { dirty = true }
      let phase = explorer.phaseProgress
      if phase != lastPhase { dirty = true }
      if explorer.repaintRequested {
        terminal.forceRepaint()
        explorer.repaintRequested = false
        dirty = true
      }
      if benchFrames != nil || explorer.isReplaying { dirty = true }
      let now = clock.now
      guard dirty || now - lastFrame >= .milliseconds(250), now - lastFrame >= Self.frameInterval
      else {
        continue
      }
      let t0 = clock.now
      explorer.tick(snapshot: snap, framesPerSecond: fps)
      let (w, h) = terminal.size
      terminal.draw(explorer.render(snap, width: w, height: h, depth: terminal.depth))
      let dt = clock.now - t0
      worst = max(worst, dt)
      total += dt
      lastFrame = now
      lastVersion = snap.version
      lastPhase = phase
      dirty = false
      frames += 1
      if let t = injected {
        latencies.append(clock.now - t)
        injected = nil
      }
      if benchFrames != nil && frames % 15 == 0 {
        lcg = lcg &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        injectAt = clock.now + .milliseconds(Int(lcg >> 33) % 40)
      }
      fpsWindow.frames += 1
      if now - fpsWindow.start >= .seconds(1) {
        fps = Double(fpsWindow.frames) / (now - fpsWindow.start).secondsValue
        fpsWindow = (now, 0)
      }
      if let n = benchFrames, frames >= n {
        let (w, h) = terminal.size
        return BenchReport(
          frames: frames, seconds: (clock.now - benchStart).secondsValue, worstFrame: worst,
          meanFrame: total / frames, worstLatency: latencies.max() ?? .zero,
          meanLatency: latencies.isEmpty ? .zero : latencies.reduce(.zero, +) / latencies.count,
          latencySamples: latencies.count, steps: explorer.trainer.snapshot.step - benchStep,
          width: w, height: h)
      }
    }
    return nil
  }
}
