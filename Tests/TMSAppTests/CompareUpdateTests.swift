import TMSApp
import TMSCore
import TMSFiles
import TMSRender
import Testing

/// The compare view's second run in the pure update: how `C`, `M`, `o`, `x` and `c` open,
/// vary and close it, how it follows edits of the first run, and a preset's `"compare"`.
@Suite struct CompareUpdateTests {
  func state() -> ExplorerState { ExplorerState(config: .intro()) }

  func key(_ k: Key, _ s: inout ExplorerState) -> [ExplorerCommand] {
    ExplorerUpdate.update(&s, .input(.key(k)))
  }

  /// The configuration of the one `.compare(.open)` among `commands`.
  func opened(_ commands: [ExplorerCommand]) -> RunConfig? {
    let configs = commands.compactMap { c -> RunConfig? in
      if case .compare(.open(let config, _)) = c { return config }
      return nil
    }
    return configs.count == 1 ? configs[0] : nil
  }

  /// The configuration of the one `.compare(.apply)` among `commands`.
  func applied(_ commands: [ExplorerCommand]) -> RunConfig? {
    let configs = commands.compactMap { c -> RunConfig? in
      if case .compare(.apply(let config)) = c { return config }
      return nil
    }
    return configs.count == 1 ? configs[0] : nil
  }

  /// `C` opens the current run with the next seed beside it (both restart, the compare view
  /// opens); each further press moves the second run's seed on by one.
  @Test func seedKeyOpensTheNextSeed() throws {
    var s = state()
    s.view = .loss
    let first = key(.char("C"), &s)
    let second = try #require(opened(first), "\(first)")
    #expect(first.contains(.reset(seed: nil)) && first.contains(.resume))
    #expect(second.training.seed == s.desired.training.seed + 1)
    #expect(second.differingFields(from: s.desired) == ["seed"])
    #expect(s.view == .compare && s.compare?.own == ["seed"])
    let again = try #require(opened(key(.char("C"), &s)))
    #expect(again.training.seed == s.desired.training.seed + 2)
  }

  /// `M` opens the linear model beside a relu-output run, then cycles through the other
  /// kinds, never the first run's own; the seed stays.
  @Test func modelKeyCyclesTheSecondRunsModel() throws {
    var s = state()
    #expect(s.desired.model == .reluOutput)
    var seen: [ModelKind] = []
    for _ in 0..<4 {
      let c = try #require(opened(key(.char("M"), &s)))
      #expect(c.training.seed == s.desired.training.seed)
      seen.append(c.model)
    }
    #expect(seen == [.linear, .reluHidden, .abs, .linear])
    var linear = ExplorerState(config: RunConfig(model: .linear, features: 5, hidden: 2))
    #expect(opened(key(.char("M"), &linear))?.model == .reluOutput)
  }

  /// A slider edits both runs' shared fields and keeps what the second sets for itself: the
  /// sparsity of the focused instance reaches the linear twin, the model slider does not.
  @Test func slidersEditBothRunsKeepingWhatDiffers() throws {
    var s = state()
    _ = key(.char("M"), &s)
    s.focus = .control(.probability)
    let commands = key(.char("+"), &s)
    let second = try #require(applied(commands), "\(commands)")
    #expect(commands.first == .apply(s.desired))
    #expect(second.featureProbability == s.desired.featureProbability)
    #expect(second.featureProbability[0][0] < 1)
    #expect(second.model == .linear && s.desired.model == .reluOutput)
    s.focus = .control(.model)
    let model = key(.char("+"), &s)
    #expect(s.desired.model == .reluHidden)
    #expect(applied(model) == nil, "the second run keeps its own model: \(model)")
    #expect(s.compare?.desired.model == .linear)
  }

  /// With another seed, the first run's new seed (`R`) stays its own, while lr follows.
  @Test func aSeedTwinKeepsItsSeedAndFollowsTheRest() throws {
    var s = state()
    _ = key(.char("C"), &s)
    let mine = try #require(s.compare?.desired.training.seed)
    let reseed = key(.char("R"), &s)
    #expect(applied(reseed) == nil && reseed.contains(.compare(.reset)))
    #expect(s.compare?.desired.training.seed == mine)
    s.focus = .control(.lr)
    let lr = try #require(applied(key(.char("]"), &s)))
    #expect(lr.training.learningRate == s.desired.training.learningRate)
    #expect(lr.training.learningRate != RunConfig.intro().training.learningRate)
    #expect(lr.training.seed == mine)
  }

  /// Pause, step, reset and the speed limit act on both runs, and pause keeps them in step
  /// however often it is pressed.
  @Test func pauseStepResetActOnBoth() {
    var s = state()
    _ = key(.char("C"), &s)
    #expect(key(.char(" "), &s) == [.togglePause, .compare(.pause)])
    #expect(key(.char(" "), &s) == [.togglePause, .compare(.resume)])
    #expect(key(.char("."), &s) == [.step(1), .compare(.step(1))])
    #expect(key(.char(" "), &s) == [.togglePause, .compare(.resume)])
    #expect(key(.char("r"), &s) == [.reset(seed: nil), .compare(.reset)])
    s.focus = .control(.speed)
    #expect(
      key(.char("-"), &s).contains { if case .compare(.throttle) = $0 { true } else { false } })
  }

  /// Without a second run nothing is sent its way.
  @Test func oneRunSendsNothingToASecond() {
    var s = state()
    for k: Key in [.char(" "), .char("."), .char("r"), .char("l")] {
      #expect(!key(k, &s).contains { if case .compare = $0 { true } else { false } })
    }
  }

  /// `o` in the compare view opens the picker for the second run; Enter starts the chosen
  /// preset beside the first without replacing it; `x` closes the second run.
  @Test func presetPickerCanTargetTheSecondRun() throws {
    var s = state()
    #expect(key(.char("c"), &s) == [] && s.view == .compare)
    #expect(key(.char("o"), &s) == [.listPresets])
    #expect(s.overlay == .presets(selection: 0) && s.presetTarget == .second)
    var linear = RunConfig.intro()
    linear.name = "twin"
    linear.model = .linear
    _ = ExplorerUpdate.update(&s, .presetsListed([Preset(config: linear, description: "d")]))
    let commands = key(.enter, &s)
    let second = try #require(opened(commands), "\(commands)")
    #expect(second.model == .linear && second.name == "twin")
    #expect(!commands.contains { if case .apply = $0 { true } else { false } })
    #expect(s.desired.model == .reluOutput && s.overlay == .none && s.presetTarget == .first)
    #expect(s.compare?.own == ["model", "name", "steps"])
    #expect(key(.char("x"), &s) == [.compare(.close)] && s.compare == nil)
    // `p` goes back to loading the first run.
    #expect(key(.char("p"), &s) == [.listPresets] && s.presetTarget == .first)
  }

  /// The shipped linear-vs-relu preset opens both runs and the compare view: its own run
  /// first, the linear model beside it, keeping only the model for itself.
  @Test func comparePresetOpensBothRuns() throws {
    let preset = try PresetLibrary(views: ExplorerView.names).resolve("linear-vs-relu")
    var s = state()
    let commands = ExplorerUpdate.update(&s, .load(preset))
    let second = try #require(opened(commands), "\(commands)")
    #expect(commands.contains(.apply(s.desired)))
    #expect(s.desired.model == .reluOutput && s.desired.features == 20 && s.desired.hidden == 5)
    #expect(second.model == .linear && second.differingFields(from: s.desired) == ["model"])
    #expect(s.view == .compare && s.compare?.own == ["model"])
  }

  /// A second run's rejected configuration is shown once, as the second run's.
  @Test func secondRunsNoticeIsShownOnce() throws {
    var s = state()
    _ = key(.char("C"), &s)
    let config = RunConfig(features: 3, hidden: 2, instances: 1)
    let trainer = SteppedTrainer(run: try Run(config: config, threads: 1))
    var bad = config
    bad.training.learningRate = -1
    trainer.apply(bad)
    let snap = trainer.snapshot
    let notice = try #require(snap.notice)
    _ = ExplorerUpdate.update(&s, .compare(.tick(snap)))
    #expect(s.toast?.text == "second run: \(notice)")
    #expect(s.compare?.desired == config)
    s.toast = nil
    _ = ExplorerUpdate.update(&s, .compare(.tick(snap)))
    #expect(s.toast == nil)
  }
}
