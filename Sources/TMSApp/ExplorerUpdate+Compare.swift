import TMSCore
import TMSFiles
import TMSRender

/// The compare view's second run in the pure update: the keys that open, vary and close it
/// (`C` another seed, `M` another model, `o` a preset, `x` close), and how it follows the
/// first run: pause, step, reset and speed act on both, and an edit of the first run's
/// configuration is carried over to every field the second does not set for itself.
extension ExplorerUpdate {
  /// Handles what concerns the second run alone (its keys, the picker loading into it, its
  /// events), or returns nil to let the first run's update go on.
  static func compareFirst(_ event: ExplorerEvent, _ state: inout ExplorerState)
    -> [ExplorerCommand]?
  {
    guard case .input(.key(let key)) = event else { return nil }
    if case .presets(let selection) = state.overlay {
      guard state.presetTarget == .second, key == .enter || key == .char(" ") else { return nil }
      guard selection < state.presets.count else { return [] }
      state.overlay = .none
      state.presetTarget = .first
      return openSecond(preset: state.presets[selection], &state)
    }
    switch key {
    case .char("p"):
      state.presetTarget = .first
      return nil
    case .char("C"): return secondWithNextSeed(&state)
    case .char("M"): return secondWithNextModel(&state)
    case .char("o") where state.view == .compare && state.overlay == .none:
      state.presetTarget = .second
      state.overlay = .presets(selection: 0)
      return [.listPresets]
    case .char("x") where state.view == .compare && state.overlay == .none:
      guard state.compare != nil else { return [] }
      state.compare = nil
      toast("second run closed", .info, &state)
      return [.compare(.close)]
    default: return nil
    }
  }

  /// The second run's events: opened from the command line, failed to start, or a frame
  /// with its latest snapshot (a notice rejecting its configuration is shown once, and the
  /// configuration it kept taken back).
  static func compareEvent(_ event: CompareEvent, _ state: inout ExplorerState)
    -> [ExplorerCommand]
  {
    switch event {
    case .opened(let run, let show):
      state.compare = run
      if show { state.view = .compare }
      conformFocus(&state)
    case .failed(let reason):
      state.compare = nil
      toast("second run: \(reason)", .error, seconds: 6, &state)
    case .tick(let snapshot):
      guard state.compare != nil else { return [] }
      if let notice = snapshot.notice, notice != state.compare?.lastNotice {
        toast("second run: \(notice)", .warning, &state)
        state.compare?.desired = snapshot.config
      }
      state.compare?.lastNotice = snapshot.notice
    }
    return []
  }

  /// After the first run's update: a preset with a `"compare"` object opens its second run;
  /// an open second run takes over every field the first changed that it does not set for
  /// itself, and mirrors pause, step, reset and the speed limit.
  static func compareFollow(
    _ event: ExplorerEvent, _ before: RunConfig, _ commands: [ExplorerCommand],
    _ state: inout ExplorerState
  ) -> [ExplorerCommand] {
    if case .load(let preset) = event, preset.phase == nil, let overrides = preset.compare {
      do {
        guard let config = try preset.compareConfig(for: state.desired) else { return [] }
        let run = CompareRun(
          name: preset.config.name, desired: config, own: Set(overrides.keys), firstPaused: false)
        return [.resume] + open(run, restartFirst: false, &state)
      } catch {
        toast("second run: \(error.description)", .error, seconds: 6, &state)
        return []
      }
    }
    if case .tick(_, let snapshot, _) = event, case .diverged = snapshot.status {
      state.compare?.firstPaused = true
    }
    guard var second = state.compare else { return [] }
    var out: [ExplorerCommand] = []
    if state.desired != before {
      let next = second.desired.following(from: before, to: state.desired, keeping: second.own)
      if next != second.desired {
        second.desired = next
        out.append(.compare(.apply(next)))
      }
    }
    for command in commands {
      switch command {
      case .togglePause:
        second.firstPaused.toggle()
        out.append(.compare(second.firstPaused ? .pause : .resume))
      case .pause:
        second.firstPaused = true
        out.append(.compare(.pause))
      case .resume:
        second.firstPaused = false
        out.append(.compare(.resume))
      case .step(let n):
        second.firstPaused = true
        out.append(.compare(.step(n)))
      case .reset: out.append(.compare(.reset))
      case .throttle(let rate): out.append(.compare(.throttle(rate)))
      default: break
      }
    }
    state.compare = second
    return out
  }

  // MARK: - Opening

  /// `C`: the second run with the next seed (the first run's seed + 1 when none is open).
  static func secondWithNextSeed(_ state: inout ExplorerState) -> [ExplorerCommand] {
    guard let base = secondBase(&state) else { return [] }
    var run = base
    run.desired.training.seed = (base.desired.training.seed + 1) % 1000
    run.own.insert("seed")
    run.name = "seed \(run.desired.training.seed)"
    return open(run, restartFirst: true, &state)
  }

  /// `M`: the second run with the next model valid for its shape: linear (relu-output for a
  /// linear first run) when none is open, then the others in turn, never the first run's.
  static func secondWithNextModel(_ state: inout ExplorerState) -> [ExplorerCommand] {
    guard let base = secondBase(&state) else { return [] }
    let first = state.desired.model
    let kinds = ModelKind.allCases
    let candidates: [ModelKind]
    if state.compare == nil {
      candidates = first == .linear ? [.reluOutput] + kinds : [.linear] + kinds
    } else {
      let i = kinds.firstIndex(of: base.desired.model) ?? 0
      candidates = (1...kinds.count).map { kinds[(i + $0) % kinds.count] }
    }
    for kind in candidates where kind != first {
      var run = base
      run.desired.model = kind
      guard (try? run.desired.validate()) != nil else { continue }
      run.own.insert("model")
      run.name = kind.rawValue
      return open(run, restartFirst: true, &state)
    }
    toast("no other model fits \(state.desired.features)→\(state.desired.hidden)", .info, &state)
    return []
  }

  /// The second run to vary: the open one, or the first run's configuration; nil (with a
  /// toast) while a phase diagram holds the live run.
  static func secondBase(_ state: inout ExplorerState) -> CompareRun? {
    guard !state.pausedForPhase else {
      toast("a phase diagram is training: load a run preset (p) to compare", .info, &state)
      return nil
    }
    return state.compare ?? CompareRun(name: "", desired: state.desired, own: [])
  }

  /// The picker's Enter with the second run as its target: the preset's run beside the
  /// first, keeping for itself every field where it differs.
  static func openSecond(preset: Preset, _ state: inout ExplorerState) -> [ExplorerCommand] {
    guard preset.phase == nil else {
      toast("a phase diagram cannot be a second run", .warning, &state)
      return []
    }
    var c = preset.config
    if c.sae == nil { c.training.steps = 0 }
    let run = CompareRun(
      name: preset.config.name, desired: c, own: c.differingFields(from: state.desired))
    return open(run, restartFirst: true, &state)
  }

  /// Opens (or replaces) the second run as `run`, both running, in the compare view; with
  /// `restartFirst` the first run restarts too, so both race from step 0.
  static func open(_ run: CompareRun, restartFirst: Bool, _ state: inout ExplorerState)
    -> [ExplorerCommand]
  {
    var run = run
    run.firstPaused = false
    run.lastNotice = nil
    state.compare = run
    state.view = .compare
    state.overlay = .none
    conformFocus(&state)
    let c = run.desired
    toast(
      "second run: \(c.model.rawValue), seed \(c.training.seed)"
        + (restartFirst ? " (both restart)" : ""), .success, &state)
    return (restartFirst ? [.reset(seed: nil), .resume] : [])
      + [.compare(.open(c, paused: false))]
  }
}
