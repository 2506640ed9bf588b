import TMSCore
import TMSFiles
import TMSRender

/// What has keyboard focus: a slider, the sweep strip (instance selection) or the heatmap
/// (cell cursor, zoom and pan).
public enum Focus: Hashable, Sendable {
  case control(Control)
  case sweep
  case heatmap
}

/// The screens behind the number keys.
public enum ExplorerView: Int, CaseIterable, Sendable {
  case overview = 1
  case focus = 2
  case sweep = 3
  case loss = 4
  case controls = 5
  case dimensionality = 6
  case neurons = 7
  case phase = 8

  /// Name in the footer and help, and in a preset's `view` field.
  public var title: String {
    switch self {
    case .overview: "overview"
    case .focus: "focus"
    case .sweep: "sweep"
    case .loss: "loss"
    case .controls: "controls"
    case .dimensionality: "dimensionality"
    case .neurons: "neurons"
    case .phase: "phase"
    }
  }

  /// Every view's name: what a preset's `view` may say (``PresetLibrary`` checks it).
  public static var names: Set<String> { Set(allCases.map(\.title)) }

  /// The view a preset's `view` field names.
  public init?(name: String) {
    guard let view = Self.allCases.first(where: { $0.title == name }) else { return nil }
    self = view
  }
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

/// The explorer's own state: everything the screen shows that is not the trainer's.
public struct ExplorerState: Sendable {
  /// Focused widget.
  public var focus: Focus = .control(.probability)
  /// The instance the big panels show.
  public var instance = 0
  /// The current view.
  public var view: ExplorerView = .overview
  /// Help, presets picker or nothing.
  public var overlay: Overlay = .none
  /// Rows the help overlay is scrolled down (when it does not fit).
  public var helpScroll = 0
  /// Heatmap cursor (row, column of WᵀW).
  public var cursor = MatrixIndex(row: 0, col: 0)
  /// Phase-diagram cursor: row = feature-probability index (0 = densest), col = relative
  /// importance index (0 = smallest r).
  public var phaseCursor = MatrixIndex(row: 0, col: 0)
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

  /// Creates the initial state.
  public init() {}
}
