import TMSCore
import TMSFiles
import TMSRender

/// What has keyboard focus: a slider, the sweep strip (instance selection) or the heatmap
/// (cell cursor, zoom and pan).
public enum Focus: Hashable, Sendable {
  case control(Control)
  case sweep
  case heatmap
  /// The timeline, while a recorded frame is shown: the arrows move through the history.
  case timeline
}

/// A screen of the explorer, by its name (also what a preset's `view` field says). The
/// screens themselves, their number keys and their panels are listed once, in ``Views``.
public struct ExplorerView: Hashable, Sendable, CustomStringConvertible {
  /// The name.
  public let name: String

  /// The view called `name`.
  public init(_ name: String) { self.name = name }

  /// The name.
  public var description: String { name }

  /// The overview: WᵀW, features, geometry, the sweep strip, the loss and the sliders.
  public static let overview = ExplorerView("overview")
  /// One instance large: heatmap, geometry, features.
  public static let focus = ExplorerView("focus")
  /// Every instance side by side.
  public static let sweep = ExplorerView("sweep")
  /// The loss of every instance, with the focused instance's D_i over the same steps.
  public static let loss = ExplorerView("loss")
  /// The sliders with their descriptions.
  public static let controls = ExplorerView("controls")
  /// D* against 1/(1−S), and the attack gain.
  public static let dimensionality = ExplorerView("dimensionality")
  /// Neurons and their features (relu-hidden, abs).
  public static let neurons = ExplorerView("neurons")
  /// The phase diagram.
  public static let phase = ExplorerView("phase")
  /// The sparse autoencoder on the frozen model.
  public static let sae = ExplorerView("sae")
  /// A sweep's result file: any two axes as a heatmap of any metric (only with `tms --sweep
  /// FILE`, where key 0 reaches it instead of the SAE view).
  public static let results = ExplorerView("results")

  /// Every view's name: what a preset's `view` may say (``PresetLibrary`` checks it).
  public static var names: Set<String> { Set(Views.all.map(\.id.name)) }

  /// The view a preset's `view` field names, nil for a name no view has.
  public init?(name: String) {
    guard Views.all.contains(where: { $0.id.name == name }) else { return nil }
    self.init(name)
  }

  /// Its title in the footer and help: the name.
  public var title: String { name }
}

/// An overlay drawn over the current view.
public enum Overlay: Hashable, Sendable {
  case none
  case help
  case presets(selection: Int)
}

/// A transient message in the corner (saved snapshot, rejected value, …).
public struct ToastMessage: Sendable {
  /// The text.
  public var text: String
  /// Info, success, warning or error.
  public var kind: Toast.Kind
  /// When it disappears.
  public var expires: ContinuousClock.Instant
}

/// What the last frame drew where, for the mouse and for scrolling: recorded by the
/// explorer after each frame, read by the next update.
public struct FrameLayout: Sendable {
  /// Clickable regions, the last drawn on top.
  public var hits = HitMap()
  /// How far the help overlay can scroll at the size drawn.
  public var helpMaxScroll = 0

  /// An empty layout (before the first frame).
  public init() {}
}

/// The explorer's state: everything the screen depends on besides the latest training
/// snapshot. A value: ``ExplorerUpdate/update(_:_:)`` changes it in response to events,
/// and the screen is drawn from it and the snapshot.
public struct ExplorerState: Sendable {
  /// Focused widget.
  public var focus: Focus = .control(.probability)
  /// The instance the big panels show.
  public var instance = 0
  /// The SAE instance the SAE view shows (and its λ slider edits).
  public var saeInstance = 0
  /// The current view.
  public var view: ExplorerView = .overview
  /// Help, presets picker or nothing.
  public var overlay: Overlay = .none
  /// Rows the help overlay is scrolled down (when it does not fit).
  public var helpScroll = 0
  /// Heatmap cursor (row, column of WᵀW); the row is also the feature the features panel
  /// and the feature table follow.
  public var cursor = MatrixIndex(row: 0, col: 0)
  /// Phase-diagram cursor: row = feature-probability index (0 = densest), col = relative
  /// importance index (0 = smallest r).
  public var phaseCursor = MatrixIndex(row: 0, col: 0)
  /// Cells per axis of the phase diagram shown, nil when none is.
  public var phaseGrid: Int?
  /// The sweep-results view: axes, metric, sliders and cursor.
  public var sweep = SweepViewState()
  /// Heatmap magnification: 1 shows the whole matrix, 2, 4, … zoom around the cursor.
  public var zoom = 1
  /// Rotation of the 3-D projection about the vertical axis, radians.
  public var yaw = 0.6
  /// Rotation about the horizontal axis, radians.
  public var pitch = 0.4
  /// The message in the corner, if any.
  public var toast: ToastMessage?
  /// Measured redraws per second, shown in the status bar.
  public var framesPerSecond = 0.0
  /// Set when the user asked to quit.
  public var quit = false
  /// The slider being dragged with the mouse.
  public var dragging: Control?
  /// The configuration the explorer last asked for. Only the explorer edits it, so key
  /// repeats build on this rather than on a snapshot that may lag by a frame.
  public var desired: RunConfig
  /// The throttle last asked for (nil = full speed).
  public var throttle: Double?
  /// k, the seeds the `b` key's best-of-seeds search trains (the "best of" slider).
  public var bestOf = 8
  /// True from the `b` key until its search's outcome has been shown.
  public var seedSearchPending = false
  /// The search training now, as last published (its progress); nil when none is.
  public var seedSearch: SeedSearchStatus?
  /// The id of the last search whose outcome was shown, so each is shown once.
  public var seedSearchShown = 0
  /// The presets the picker lists (loaded when it opens).
  public var presets: [Preset] = []
  /// The trainer's last notice, so each is shown once.
  public var lastNotice: String?
  /// True while the live trainer is paused so that a phase sweep gets the cores.
  public var pausedForPhase = false
  /// True while a snapshot is being saved.
  public var saving = false
  /// Small settings panels keep for themselves (a table's sort column), by key.
  public var panelSettings: [String: Int] = [:]
  /// The time of the latest tick: toasts expire by it.
  public var now = ContinuousClock.now
  /// What the last frame drew where.
  public var layout = FrameLayout()
  /// The recorded frame shown instead of the live run, nil when live.
  public var timeline: TimelineCursor?
  /// The recorded history's frames and events as last published.
  public var recorded = RecordedSummary()
  /// The compare view's second run, if one is open (``CompareRun``).
  public var compare: CompareRun?
  /// Which run the presets picker loads into (`o` in the compare view: the second).
  public var presetTarget: PresetTarget = .first

  /// The sweep explorer while a sweep's result file is open, else the run explorer: which
  /// view the shared number key `0` reaches (``Views/view(forKey:in:)``).
  public var mode: ExplorerMode { sweep.isOpen ? .sweep : .run }

  /// The initial state for a run configured as `config`.
  public init(config: RunConfig) { desired = config }

  /// The instance control `c` reads and edits: the focused SAE instance for the SAE's
  /// sliders, else the focused model instance.
  public func instance(for c: Control) -> Int { c.isSAE ? saeInstance : instance }

  /// Control `c`'s value as the sliders show it: from the configuration asked for, or the
  /// explorer's own throttle and best-of k.
  public func value(of c: Control) -> Double {
    c.value(in: desired, instance: instance(for: c), throttle: throttle, seeds: bestOf)
  }
}
