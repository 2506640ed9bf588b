import TMSCore
import TMSFiles
import TMSRender

/// The explorer's update: events in, a new state and commands out. Pure: it reads nothing
/// but its arguments and performs nothing, so every key, click and tick can be tested
/// without a terminal, a thread or a trainer.
public enum ExplorerUpdate {
  /// Applies `event` to `state` and returns what the outside world should do. A second run
  /// (the compare view) takes its keys first and then follows what the event did to the
  /// first run (ExplorerUpdate+Compare.swift).
  public static func update(_ state: inout ExplorerState, _ event: ExplorerEvent)
    -> [ExplorerCommand]
  {
    if let commands = compareFirst(event, &state) { return commands }
    let before = state.desired
    let commands = updateRun(&state, event)
    return commands + compareFollow(event, before, commands, &state)
  }

  /// The update of the first run alone.
  static func updateRun(_ state: inout ExplorerState, _ event: ExplorerEvent)
    -> [ExplorerCommand]
  {
    switch event {
    case .input(.key(let key)): return handleKey(key, &state)
    case .input(.mouse(let mouse)): return handleMouse(mouse, &state)
    case .input(.resize): return [.repaint]
    case .tick(let now, let snapshot, let fps): return tick(now, snapshot, fps, &state)
    case .presetsListed(let presets):
      state.presets = presets
      return []
    case .load(let preset): return load(preset, &state)
    case .saved(.success(let path)):
      state.saving = false
      toast("saved \(path)", .success, seconds: 4, &state)
      return []
    case .saved(.failure(let failure)):
      state.saving = false
      toast("save failed: \(failure.message)", .error, seconds: 6, &state)
      return []
    case .show(let view):
      state.view = view
      conformFocus(&state)
      return []
    case .phaseSweepShown(let grid):
      state.phaseGrid = grid
      state.phaseCursor = MatrixIndex(row: 0, col: 0)
      state.view = .phase
      return []
    case .phaseSweepFailed(let reason):
      toast("phase sweep rejected: \(reason)", .error, &state)
      return []
    case .openPoint(let config, let name):
      var commands: [ExplorerCommand] = [.stopPhaseSweep]
      leaveHistory(&state)
      state.pausedForPhase = false
      state.phaseGrid = nil
      var c = config
      c.training.steps = 0
      state.desired = c
      commands += [.apply(c), .reset(seed: nil), .resume]
      state.instance = 0
      state.saeInstance = 0
      state.cursor = MatrixIndex(row: 0, col: 0)
      state.zoom = 1
      state.view = .overview
      conformFocus(&state)
      toast("training \(name): one instance per seed", .success, seconds: 4, &state)
      return commands
    case .openPointFailed(let reason):
      toast(reason, .warning, &state)
      return []
    case .replay(let history):
      state.recorded = RecordedSummary(history)
      enterHistory(atStart: true, &state)
      return []
    case .compare(let e): return compareEvent(e, &state)
    case .sweepLoaded(let shape, let opened):
      state.sweep.fit(shape)
      if opened {
        state.view = .results
        conformFocus(&state)
      }
      return []
    }
  }

  /// Shows `text` in the corner for `seconds`.
  static func toast(
    _ text: String, _ kind: Toast.Kind, seconds: Double = 3, _ state: inout ExplorerState
  ) {
    state.toast = ToastMessage(
      text: text, kind: kind, expires: state.now + .milliseconds(Int(seconds * 1000)))
  }

  /// Time passes: toasts fade, the trainer's notices are shown once (and its configuration
  /// taken back, since it rejected ours), the instance stays in range.
  static func tick(
    _ now: ContinuousClock.Instant, _ snapshot: TrainingSnapshot, _ fps: Double,
    _ state: inout ExplorerState
  ) -> [ExplorerCommand] {
    let elapsed = now - state.now
    state.now = now
    state.framesPerSecond = fps
    timelineTick(snapshot.history, elapsed: elapsed, &state)
    if let t = state.toast, now >= t.expires { state.toast = nil }
    if let notice = snapshot.notice, notice != state.lastNotice {
      toast(notice, .warning, &state)
      state.desired = snapshot.config
    }
    state.lastNotice = snapshot.notice
    seedSearchTick(snapshot.seedSearch, &state)
    state.instance = min(max(0, state.instance), snapshot.config.instances - 1)
    state.saeInstance = min(max(0, state.saeInstance), (snapshot.config.sae?.instances ?? 1) - 1)
    return []
  }

  /// Drops a shown frame without a toast (a new run replaces the recording).
  static func leaveHistory(_ state: inout ExplorerState) {
    state.timeline = nil
    if state.focus == .timeline { state.focus = .control(.probability) }
  }

  /// Keeps keyboard focus on what the current view shows: the SAE view's sliders there, the
  /// model's elsewhere.
  static func conformFocus(_ state: inout ExplorerState) {
    let saeView = state.view == .sae
    switch state.focus {
    case .control(let c) where c.isSAE != saeView:
      state.focus = .control(saeView ? .l1 : .probability)
    case .sweep, .heatmap, .timeline:
      if saeView { state.focus = .control(.l1) }
    default: break
    }
  }

  /// Loads a preset: its configuration replaces the current one and the weights restart.
  /// A phase-diagram preset (one with a grid) also starts its sweep in the background and
  /// switches to the phase view, the live trainer paused meanwhile; any sweep already
  /// running is stopped first.
  static func load(_ preset: Preset, _ state: inout ExplorerState) -> [ExplorerCommand] {
    var commands: [ExplorerCommand] = [.stopPhaseSweep]
    leaveHistory(&state)
    if let grid = preset.phase {
      if !state.pausedForPhase { commands.append(.pause) }
      state.pausedForPhase = true
      commands.append(.startPhaseSweep(grid))
      state.phaseGrid = grid.grid
      state.phaseCursor = MatrixIndex(row: 0, col: 0)
      state.view = .phase
    } else {
      if state.pausedForPhase { commands.append(.resume) }
      state.pausedForPhase = false
      state.phaseGrid = nil
    }
    var c = preset.config
    // Open-ended, except for a run with an SAE: its model trains its steps, then the SAE.
    if c.sae == nil { c.training.steps = 0 }
    state.desired = c
    commands += [.apply(c), .reset(seed: nil)]
    state.instance = 0
    state.saeInstance = 0
    state.cursor = MatrixIndex(row: 0, col: 0)
    state.zoom = 1
    if let view = preset.view.flatMap(ExplorerView.init(name:)) { state.view = view }
    conformFocus(&state)
    toast("loaded \(preset.config.name): \(preset.description)", .success, seconds: 4, &state)
    return commands
  }

  // MARK: - Keys

  static func handleKey(_ key: Key, _ state: inout ExplorerState) -> [ExplorerCommand] {
    if case .presets(let sel) = state.overlay { return handlePresetKey(key, sel, &state) }
    if state.overlay == .help, scrollHelp(key, &state) { return [] }
    if state.overlay == .none, state.view == .results, key == .enter, !state.sweep.shape.isEmpty {
      return [.openSweepPoint(position: state.sweep.position)]
    }
    if state.overlay == .none, let keys = Views.spec(state.view).keys, keys(key, &state) {
      return []
    }
    if state.overlay == .none, let commands = timelineKey(key, &state) { return commands }
    switch key {
    case .char("q"), .ctrl("c"): state.quit = true
    case .char("?"), .function(1):
      state.overlay = state.overlay == .help ? .none : .help
      state.helpScroll = 0
    case .escape: state.overlay = .none
    case .ctrl("l"): return [.repaint]
    case .char(" "): return [.togglePause]
    case .char("."): return [.step(1)]
    case .char("r"):
      toast("weights re-initialised (seed \(state.desired.training.seed))", .info, &state)
      return [.reset(seed: nil)]
    case .char("R"):
      state.desired.training.seed = (state.desired.training.seed + 1) % 1000
      toast("new seed \(state.desired.training.seed)", .info, &state)
      return [.reset(seed: state.desired.training.seed)]
    case .char("b"): return bestOfSeedsKey(&state)
    case .char("s"): return saveKey(history: false, &state)
    case .char("p"):
      state.overlay = .presets(selection: 0)
      return [.listPresets]
    case .char("n"): selectInstance(state.instance + 1, &state)
    case .char("N"): selectInstance(state.instance - 1, &state)
    case .char(let c) where Views.view(forKey: c, in: state.mode) != nil:
      state.view = Views.view(forKey: c, in: state.mode) ?? state.view
      state.overlay = .none
      conformFocus(&state)
    case .tab: cycleFocus(1, &state)
    case .backTab: cycleFocus(-1, &state)
    case .char("+"), .char("="): return adjust(+1, coarse: false, &state)
    case .char("-"), .char("_"): return adjust(-1, coarse: false, &state)
    case .char("]"): return adjust(+1, coarse: true, &state)
    case .char("["): return adjust(-1, coarse: true, &state)
    case .char("z"): zoom(in: true, &state)
    case .char("Z"): zoom(in: false, &state)
    case .char("<"): state.yaw -= 0.15
    case .char(">"): state.yaw += 0.15
    case .char("{"): state.pitch -= 0.15
    case .char("}"): state.pitch += 0.15
    case .up, .char("k"): return move(dx: 0, dy: -1, &state)
    case .down, .char("j"): return move(dx: 0, dy: 1, &state)
    case .left, .char("h"): return move(dx: -1, dy: 0, &state)
    case .right, .char("l"): return move(dx: 1, dy: 0, &state)
    default: break
    }
    return []
  }

  static func handlePresetKey(_ key: Key, _ selection: Int, _ state: inout ExplorerState)
    -> [ExplorerCommand]
  {
    let count = state.presets.count
    switch key {
    case .escape, .char("p"), .char("q"): state.overlay = .none
    case .up, .char("k"): state.overlay = .presets(selection: max(0, selection - 1))
    case .down, .char("j"):
      state.overlay = .presets(selection: min(max(0, count - 1), selection + 1))
    case .enter, .char(" "):
      guard selection < count else { return [] }
      state.overlay = .none
      return load(state.presets[selection], &state)
    case .ctrl("c"): state.quit = true
    default: break
    }
    return []
  }

  /// ↑↓ / j k / PgUp PgDn / Home End scroll the help overlay while it is open; other keys
  /// keep their meaning. Returns true when the key scrolled.
  static func scrollHelp(_ key: Key, _ state: inout ExplorerState) -> Bool {
    let page = 10
    let maxScroll = state.layout.helpMaxScroll
    let target: Int
    switch key {
    case .down, .char("j"): target = state.helpScroll + 1
    case .up, .char("k"): target = state.helpScroll - 1
    case .pageDown: target = state.helpScroll + page
    case .pageUp: target = state.helpScroll - page
    case .home: target = 0
    case .end: target = maxScroll
    default: return false
    }
    state.helpScroll = min(max(0, target), maxScroll)
    return true
  }

  static func selectInstance(_ k: Int, _ state: inout ExplorerState) {
    state.instance = min(max(0, k), state.desired.instances - 1)
  }

  static func cycleFocus(_ d: Int, _ state: inout ExplorerState) {
    // The SAE view has only its sliders.
    if state.view == .sae {
      state.focus = .control(.l1)
      return
    }
    // Tab moves between the regions (the timeline too while a recorded frame is shown);
    // within the sliders, up/down move.
    let regions: [Focus] =
      [.control(.probability), .sweep, .heatmap] + (state.timeline != nil ? [.timeline] : [])
    let current: Int =
      switch state.focus {
      case .control: 0
      case .sweep: 1
      case .heatmap: 2
      case .timeline: 3
      }
    state.focus = regions[(current + d + regions.count) % regions.count]
  }

  static func move(dx: Int, dy: Int, _ state: inout ExplorerState) -> [ExplorerCommand] {
    switch state.focus {
    case .control(let c):
      if dy != 0 {
        let all = c.group
        let i = all.firstIndex(of: c) ?? 0
        state.focus = .control(all[(i + dy + all.count) % all.count])
      } else {
        return adjust(dx, coarse: false, &state)
      }
    case .sweep:
      if dx != 0 { selectInstance(state.instance + dx, &state) }
      if dy != 0 { state.focus = dy < 0 ? .heatmap : .control(.probability) }
    case .heatmap:
      let n = state.desired.features
      state.cursor = MatrixIndex(
        row: min(max(0, state.cursor.row + dy), n - 1), col: min(max(0, state.cursor.col + dx), n))
    case .timeline:
      if dx != 0 { stepFrame(dx, &state) }
      if dy != 0 { jumpToEvent(forward: dy > 0, &state) }
    }
    return []
  }

  static func zoom(in zoomIn: Bool, _ state: inout ExplorerState) {
    state.zoom = zoomIn ? min(64, state.zoom * 2) : max(1, state.zoom / 2)
  }

  /// Adjusts the focused control (or zooms the focused heatmap).
  static func adjust(_ direction: Int, coarse: Bool, _ state: inout ExplorerState)
    -> [ExplorerCommand]
  {
    switch state.focus {
    case .control(let c):
      let current = state.value(of: c)
      return set(c, to: c.step(current, direction: direction, coarse: coarse), &state)
    case .heatmap: zoom(in: direction > 0, &state)
    case .sweep: selectInstance(state.instance + direction, &state)
    case .timeline:
      if coarse {
        jumpToEvent(forward: direction > 0, &state)
      } else {
        adjustPace(faster: direction > 0, &state)
      }
    }
    return []
  }

  /// Sets a control's value: the throttle, or an edit of the configuration for the trainer.
  static func set(_ c: Control, to v: Double, _ state: inout ExplorerState) -> [ExplorerCommand] {
    if c == .speed {
      state.throttle = v >= Control.speedRange.hi ? nil : v
      return [.throttle(state.throttle)]
    }
    if c == .bestOf {
      state.bestOf = Int(c.clamp(v))
      return []
    }
    var next = state.desired
    if c.isSAE && next.sae == nil {
      toast("no SAE in this run: load an SAE preset (p), e.g. sae-intro", .info, &state)
      return []
    }
    c.apply(v, to: &next, instance: state.instance(for: c))
    next.conformShapes()
    guard next != state.desired else { return [] }
    if c.reinitialises {
      state.cursor = MatrixIndex(row: 0, col: 0)
      state.zoom = 1
    }
    state.desired = next
    return [.apply(next)]
  }

  // MARK: - Mouse

  static func handleMouse(_ m: MouseEvent, _ state: inout ExplorerState) -> [ExplorerCommand] {
    let hits = state.layout.hits
    switch m.kind {
    case .press:
      guard let target = hits.target(atColumn: m.x, row: m.y) else { return [] }
      switch target {
      case .slider(let c, let slider, let area):
        state.focus = .control(c)
        if let f = slider.fraction(atColumn: m.x, in: area) {
          state.dragging = c
          return set(c, to: c.value(atFraction: f), &state)
        }
      case .instance(let k):
        state.focus = .sweep
        selectInstance(k, &state)
      case .heatmap(let heatmap, let area):
        state.focus = .heatmap
        if let idx = heatmap.index(atColumn: m.x, row: m.y, in: area) { state.cursor = idx }
      case .phaseCell(let cell): state.phaseCursor = cell
      }
    case .drag:
      guard let c = state.dragging, let (slider, area) = hits.slider(c) else { return [] }
      let x = min(max(m.x, area.x), area.right - 1)
      if let f = slider.fraction(atColumn: x, in: area) {
        return set(c, to: c.value(atFraction: f), &state)
      }
    case .release: state.dragging = nil
    case .wheelUp, .wheelDown:
      let d = m.kind == .wheelUp ? 1 : -1
      guard let target = hits.target(atColumn: m.x, row: m.y) else { return [] }
      switch target {
      case .slider(let c, _, _):
        state.focus = .control(c)
        return adjust(d, coarse: false, &state)
      case .instance: selectInstance(state.instance - d, &state)
      case .heatmap: zoom(in: d > 0, &state)
      case .phaseCell: break
      }
    }
    return []
  }
}
