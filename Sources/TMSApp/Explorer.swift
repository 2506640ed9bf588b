import TMSCore
import TMSFiles
import TMSRender

/// The explorer's controller: turns key presses and mouse events into trainer commands and
/// UI state, and draws a ``TrainingSnapshot`` plus that state into a ``Buffer``.
///
/// It never touches a terminal (the executable's loop does), so a test can drive it with a
/// scripted key sequence and compare the rendered grid with expected text. Data flows one
/// way: the trainer publishes snapshots; the explorer reads them and sends commands.
public final class Explorer {
  /// The live trainer being steered.
  public let trainer: Trainer
  /// UI state (focus, view, overlays, toasts, …).
  public internal(set) var state = ExplorerState()
  /// Takes a consistent copy of the live run, writes it and returns the path written. The
  /// app wires it to the snapshot module; `s` runs it on a background thread so a large
  /// save never stalls a frame, and the result arrives as a toast.
  public var saveSnapshot: (@Sendable () throws -> String)?
  /// Hands a background save's outcome back to the UI thread.
  let saves = SaveMailbox()
  /// The presets offered by the `p` picker.
  public var presets: () -> [Preset] = { PresetLibrary(views: ExplorerView.names).all().presets }
  /// Set by Ctrl-L: the backend should clear and repaint everything.
  public var repaintRequested = false
  /// How far the help overlay can scroll at the size last drawn (set by `render`).
  var helpMaxScroll = 0
  /// The attack gains last computed, with the snapshot and time they are for.
  var attackGainCache: (snapshot: TrainingSnapshot, at: ContinuousClock.Instant, gains: [Double])?
  /// The clock toasts expire by (a test can substitute a manual one).
  public var now: () -> ContinuousClock.Instant = { ContinuousClock.now }
  /// True once the user asked to quit.
  public var wantsQuit: Bool { state.quit }

  /// The configuration the explorer last asked for. Only the explorer edits the config, so
  /// key repeats build on this rather than on a snapshot that may lag by a frame.
  var desired: RunConfig
  /// The throttle the explorer last asked for (nil = full speed).
  var throttle: Double?
  var hits = HitMap()
  var presetList: [Preset] = []
  var lastNotice: String?
  /// The phase diagram being trained in the background (view 8), if any.
  public internal(set) var phaseSweep: PhaseSweep?
  /// Cancelled sweeps whose threads may still be leaving; ``shutdown()`` waits for them.
  var retiredSweeps: [PhaseSweep] = []
  /// Worker threads a phase sweep trains on (the app sets every core).
  public var phaseThreads = 1
  /// Runs first on each phase-sweep thread (the app blocks terminal signals there).
  public var phaseThreadStart: (@Sendable () -> Void)?
  /// True while the live trainer is paused so that a phase sweep gets the cores.
  var pausedForPhase = false

  /// Wraps a started (or not yet started) trainer.
  public init(trainer: Trainer) {
    self.trainer = trainer
    desired = trainer.snapshot.config
  }

  /// The smallest terminal the layout supports.
  public static let minimumSize = (width: 80, height: 24)

  /// Advances time-based UI state by one frame (toasts fade) and picks up trainer notices.
  public func tick(snapshot: TrainingSnapshot, framesPerSecond: Double) {
    state.framesPerSecond = framesPerSecond
    if let t = state.toast, now() >= t.expires { state.toast = nil }
    reportFinishedSave()
    if let notice = snapshot.notice, notice != lastNotice {
      toast(notice, .warning)
      desired = snapshot.config
    }
    lastNotice = snapshot.notice
    if state.instance >= snapshot.config.instances {
      state.instance = snapshot.config.instances - 1
    }
  }

  func toast(_ text: String, _ kind: Toast.Kind, seconds: Double = 3) {
    state.toast = ToastMessage(
      text: text, kind: kind, expires: now() + .milliseconds(Int(seconds * 1000)))
  }

  /// Handles one input event.
  public func handle(_ event: InputEvent) {
    switch event {
    case .resize: repaintRequested = true
    case .mouse(let m): handleMouse(m)
    case .key(let k): handleKey(k)
    }
  }

  // MARK: - Keys

  func handleKey(_ key: Key) {
    if case .presets(let sel) = state.overlay {
      handlePresetKey(key, selection: sel)
      return
    }
    if state.overlay == .help, scrollHelp(key) { return }
    if state.view == .phase && state.overlay == .none && movePhaseCursor(key) { return }
    switch key {
    case .char("q"), .ctrl("c"): state.quit = true
    case .char("?"), .function(1):
      state.overlay = state.overlay == .help ? .none : .help
      state.helpScroll = 0
    case .escape: state.overlay = .none
    case .ctrl("l"): repaintRequested = true
    case .char(" "): trainer.togglePause()
    case .char("."): trainer.step()
    case .char("r"):
      trainer.reset()
      toast("weights re-initialised (seed \(desired.training.seed))", .info)
    case .char("R"):
      desired.training.seed = (desired.training.seed + 1) % 1000
      trainer.reset(seed: desired.training.seed)
      toast("new seed \(desired.training.seed)", .info)
    case .char("s"): save()
    case .char("p"):
      presetList = presets()
      state.overlay = .presets(selection: 0)
    case .char("n"): selectInstance(state.instance + 1)
    case .char("N"): selectInstance(state.instance - 1)
    case .char(let c) where c.isNumber:
      if let v = c.wholeNumberValue, let view = ExplorerView(rawValue: v) {
        state.view = view
        state.overlay = .none
      }
    case .tab: cycleFocus(1)
    case .backTab: cycleFocus(-1)
    case .char("+"), .char("="): adjust(+1, coarse: false)
    case .char("-"), .char("_"): adjust(-1, coarse: false)
    case .char("]"): adjust(+1, coarse: true)
    case .char("["): adjust(-1, coarse: true)
    case .char("z"): zoom(in: true)
    case .char("Z"): zoom(in: false)
    case .char("<"): state.yaw -= 0.15
    case .char(">"): state.yaw += 0.15
    case .char("{"): state.pitch -= 0.15
    case .char("}"): state.pitch += 0.15
    case .up, .char("k"): move(dx: 0, dy: -1)
    case .down, .char("j"): move(dx: 0, dy: 1)
    case .left, .char("h"): move(dx: -1, dy: 0)
    case .right, .char("l"): move(dx: 1, dy: 0)
    default: break
    }
  }

  func handlePresetKey(_ key: Key, selection: Int) {
    let count = presetList.count
    switch key {
    case .escape, .char("p"), .char("q"): state.overlay = .none
    case .up, .char("k"): state.overlay = .presets(selection: max(0, selection - 1))
    case .down, .char("j"):
      state.overlay = .presets(selection: min(max(0, count - 1), selection + 1))
    case .enter, .char(" "):
      guard selection < count else { return }
      load(presetList[selection])
      state.overlay = .none
    case .ctrl("c"): state.quit = true
    default: break
    }
  }

  /// Loads a preset: its configuration replaces the current one and the weights restart.
  /// A phase-diagram preset (one with a grid) also starts its sweep in the background and
  /// switches to the phase view; any sweep already running is cancelled first.
  public func load(_ preset: Preset) {
    stopPhaseSweep()
    if let grid = preset.phase {
      if !pausedForPhase { trainer.pause() }
      pausedForPhase = true
      startPhaseSweep(grid)
    } else if pausedForPhase {
      trainer.resume()
      pausedForPhase = false
    }
    var c = preset.config
    c.training.steps = 0
    desired = c
    trainer.update { [c] in $0 = c }
    trainer.reset()
    state.instance = 0
    state.cursor = MatrixIndex(row: 0, col: 0)
    state.zoom = 1
    showView(of: preset)
    toast("loaded \(preset.config.name): \(preset.description)", .success, seconds: 4)
  }

  /// Switches to the view a preset names (its `view` field), if any.
  public func showView(of preset: Preset) {
    if let view = preset.view.flatMap(ExplorerView.init(name:)) { state.view = view }
  }

  /// ↑↓ / j k / PgUp PgDn / Home End scroll the help overlay while it is open; other keys
  /// keep their meaning. Returns true when the key scrolled.
  func scrollHelp(_ key: Key) -> Bool {
    let page = 10
    let target: Int
    switch key {
    case .down, .char("j"): target = state.helpScroll + 1
    case .up, .char("k"): target = state.helpScroll - 1
    case .pageDown: target = state.helpScroll + page
    case .pageUp: target = state.helpScroll - page
    case .home: target = 0
    case .end: target = helpMaxScroll
    default: return false
    }
    state.helpScroll = min(max(0, target), helpMaxScroll)
    return true
  }

  func selectInstance(_ k: Int) {
    let count = desired.instances
    state.instance = min(max(0, k), count - 1)
  }

  func cycleFocus(_ d: Int) {
    // Tab moves between the three regions; within the sliders, up/down move.
    let regions: [Focus] = [.control(.probability), .sweep, .heatmap]
    let current: Int =
      switch state.focus {
      case .control: 0
      case .sweep: 1
      case .heatmap: 2
      }
    state.focus = regions[(current + d + regions.count) % regions.count]
  }

  func move(dx: Int, dy: Int) {
    switch state.focus {
    case .control(let c):
      if dy != 0 {
        let all = Control.allCases
        let i = all.firstIndex(of: c) ?? 0
        state.focus = .control(all[(i + dy + all.count) % all.count])
      } else {
        adjust(dx, coarse: false)
      }
    case .sweep:
      if dx != 0 { selectInstance(state.instance + dx) }
      if dy != 0 { state.focus = dy < 0 ? .heatmap : .control(.probability) }
    case .heatmap:
      let n = desired.features
      state.cursor = MatrixIndex(
        row: min(max(0, state.cursor.row + dy), n - 1), col: min(max(0, state.cursor.col + dx), n))
    }
  }

  func zoom(in zoomIn: Bool) {
    state.zoom = zoomIn ? min(64, state.zoom * 2) : max(1, state.zoom / 2)
  }

  /// Adjusts the focused control (or zooms the focused heatmap).
  func adjust(_ direction: Int, coarse: Bool) {
    switch state.focus {
    case .control(let c):
      let current = c.value(in: desired, instance: state.instance, throttle: throttle)
      set(c, to: c.step(current, direction: direction, coarse: coarse))
    case .heatmap: zoom(in: direction > 0)
    case .sweep: selectInstance(state.instance + direction)
    }
  }

  /// Sets a control's value and sends the change to the trainer.
  public func set(_ c: Control, to v: Double) {
    if c == .speed {
      throttle = v >= Control.speedRange.hi ? nil : v
      trainer.setThrottle(stepsPerSecond: throttle)
      return
    }
    var next = desired
    c.apply(v, to: &next, instance: state.instance)
    next.conformShapes()
    guard next != desired else { return }
    if c.reinitialises {
      state.cursor = MatrixIndex(row: 0, col: 0)
      state.zoom = 1
    }
    desired = next
    trainer.update { [next] in $0 = next }
  }

  // MARK: - Mouse

  func handleMouse(_ m: MouseEvent) {
    switch m.kind {
    case .press:
      guard let target = hits.target(atColumn: m.x, row: m.y) else { return }
      switch target {
      case .slider(let c, let slider, let area):
        state.focus = .control(c)
        if let f = slider.fraction(atColumn: m.x, in: area) {
          set(c, to: c.value(atFraction: f))
          state.dragging = c
        }
      case .instance(let k):
        state.focus = .sweep
        selectInstance(k)
      case .heatmap(let heatmap, let area):
        state.focus = .heatmap
        if let idx = heatmap.index(atColumn: m.x, row: m.y, in: area) { state.cursor = idx }
      case .phaseCell(let cell): state.phaseCursor = cell
      }
    case .drag:
      guard let c = state.dragging, let (slider, area) = hits.slider(c) else { return }
      let x = min(max(m.x, area.x), area.right - 1)
      if let f = slider.fraction(atColumn: x, in: area) { set(c, to: c.value(atFraction: f)) }
    case .release: state.dragging = nil
    case .wheelUp, .wheelDown:
      let d = m.kind == .wheelUp ? 1 : -1
      if let target = hits.target(atColumn: m.x, row: m.y) {
        switch target {
        case .slider(let c, _, _):
          state.focus = .control(c)
          adjust(d, coarse: false)
        case .instance: selectInstance(state.instance - d)
        case .heatmap: zoom(in: d > 0)
        case .phaseCell: break
        }
      }
    }
  }
}

/// Where things were drawn in the last frame, for mouse hit-testing.
struct HitMap {
  enum Target {
    case slider(Control, Slider, Rect)
    case instance(Int)
    case heatmap(Heatmap, Rect)
    case phaseCell(MatrixIndex)
  }
  var regions: [(Rect, Target)] = []

  mutating func add(_ r: Rect, _ t: Target) { regions.append((r, t)) }

  func target(atColumn x: Int, row y: Int) -> Target? {
    regions.last { $0.0.contains(column: x, row: y) }?.1
  }

  func slider(_ c: Control) -> (Slider, Rect)? {
    for (_, t) in regions {
      if case .slider(let cc, let s, let a) = t, cc == c { return (s, a) }
    }
    return nil
  }
}
