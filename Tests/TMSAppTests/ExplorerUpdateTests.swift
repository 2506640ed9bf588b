import TMSApp
import TMSCore
import TMSFiles
import TMSRender
import Testing

/// The update on its own: events in, state and commands out, with no trainer at all.
@Suite struct ExplorerUpdateTests {
  func state() -> ExplorerState { ExplorerState(config: .intro()) }

  func key(_ k: Key, _ s: inout ExplorerState) -> [ExplorerCommand] {
    ExplorerUpdate.update(&s, .input(.key(k)))
  }

  @Test func keysBecomeCommands() {
    var s = state()
    #expect(key(.char(" "), &s) == [.togglePause])
    #expect(key(.char("."), &s) == [.step(1)])
    #expect(key(.char("r"), &s) == [.reset(seed: nil)])
    #expect(key(.char("R"), &s) == [.reset(seed: 1)] && s.desired.training.seed == 1)
    #expect(key(.char("p"), &s) == [.listPresets] && s.overlay == .presets(selection: 0))
    #expect(key(.escape, &s) == [] && s.overlay == .none)
    #expect(key(.ctrl("l"), &s) == [.repaint])
    // A save is one command; a second `s` before it is reported is refused, not queued.
    #expect(key(.char("s"), &s) == [.save(history: false)] && s.saving)
    #expect(key(.char("s"), &s) == [] && s.toast?.text == "a save is already in progress")
    _ = ExplorerUpdate.update(&s, .saved(.success("snapshots/a.json")))
    #expect(!s.saving && s.toast?.text == "saved snapshots/a.json")
  }

  /// The sparsity slider edits the desired configuration of the focused instance only, and
  /// sends it whole.
  @Test func slidersSendTheEditedConfiguration() throws {
    var s = state()
    let commands = key(.char("l"), &s)
    guard case .apply(let c)? = commands.first, commands.count == 1 else {
      Issue.record("expected one apply, got \(commands)")
      return
    }
    #expect(c == s.desired)
    #expect(c.featureProbability[0][0] < 1)
    #expect(c.featureProbability[1] == RunConfig.intro().featureProbability[1])
  }

  /// Loading a phase preset pauses the trainer, starts the grid and opens the phase view;
  /// loading a plain one afterwards resumes the trainer and stops the grid.
  @Test func phasePresetsStartAndStopTheirSweep() throws {
    var s = state()
    var run = RunConfig(name: "two", features: 2, hidden: 1, instances: 1)
    run.importance = [[1, 0.5]]
    let grid = PhaseSweepConfig(run: run)
    let phase = Preset(config: run, description: "2→1", phase: grid)
    let commands = ExplorerUpdate.update(&s, .load(phase))
    var expected = run
    expected.training.steps = 0
    #expect(
      commands == [
        .stopPhaseSweep, .pause, .startPhaseSweep(grid), .apply(expected), .reset(seed: nil),
      ])
    #expect(s.view == .phase && s.phaseGrid == 20 && s.pausedForPhase)
    let plain = Preset(config: .intro(), description: "intro")
    let after = ExplorerUpdate.update(&s, .load(plain))
    #expect(after.prefix(2) == [.stopPhaseSweep, .resume] && !s.pausedForPhase)
  }

  /// A tick shows a trainer's notice once, takes back its configuration, and lets toasts
  /// expire by the tick's clock.
  @Test func ticksShowNoticesOnceAndExpireToasts() throws {
    var s = state()
    let start = ContinuousClock.now
    let run = try Run(config: .intro())
    let snap = TrainingSnapshot.capture(run, evalSamples: 0)
    let rejected = TrainingSnapshot(
      version: 2, config: snap.config, step: 0, stepsPerSecond: 0, threads: 1, status: .paused,
      notice: "rejected: lr: must be a finite number > 0, got -1.0", instances: snap.instances,
      lossHistory: LossHistory(), appliedCommands: 1, throttle: nil)
    s.desired.training.learningRate = -1
    _ = ExplorerUpdate.update(&s, .tick(now: start, snapshot: rejected, framesPerSecond: 30))
    #expect(s.toast?.text.hasPrefix("rejected: lr") == true)
    #expect(s.desired.training.learningRate == 1e-3)
    s.toast = nil
    _ = ExplorerUpdate.update(&s, .tick(now: start, snapshot: rejected, framesPerSecond: 30))
    #expect(s.toast == nil, "the same notice is shown once")
    _ = key(.char("r"), &s)
    #expect(s.toast != nil)
    _ = ExplorerUpdate.update(
      &s, .tick(now: start + .seconds(4), snapshot: rejected, framesPerSecond: 30))
    #expect(s.toast == nil)
  }
}
