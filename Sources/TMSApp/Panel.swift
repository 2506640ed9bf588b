import TMSCore
import TMSRender

/// A panel of the explorer: a value built from what it shows (a ``PanelContext``) that
/// draws itself into a cell grid and says where it can be clicked. Drawing changes nothing
/// else; the same panel draws the same text for the same context, in the explorer and in
/// `tms show` alike.
public protocol Panel {
  /// Draws into `area` of `buffer` and returns the regions a click there acts on.
  func render(into buffer: inout Buffer, area: Rect) -> [HitRegion]
}

/// What every panel is drawn from: the published run, the explorer's state, the values
/// derived from the snapshot once per version, the phase diagram shown (if any) and the
/// colours of the terminal.
public struct PanelContext: Sendable {
  /// The latest published picture of the run.
  public let snapshot: TrainingSnapshot
  /// The explorer's state.
  public let state: ExplorerState
  /// Values computed from the snapshot outside drawing.
  public let derived: DerivedValues
  /// The phase diagram the phase view shows.
  public let phase: PhaseSweepResult?
  /// The sweep result file the results view shows.
  public let sweep: SweepResultsView?
  /// The compare view's second run, when one is open.
  public let second: SecondRunPicture?
  /// Named colours for the colour depth.
  let theme: Theme

  /// A context for drawing `snapshot` with `state` at colour `depth`.
  public init(
    snapshot: TrainingSnapshot, state: ExplorerState, derived: DerivedValues,
    phase: PhaseSweepResult? = nil, sweep: SweepResultsView? = nil,
    second: SecondRunPicture? = nil, depth: ColorDepth
  ) {
    self.snapshot = snapshot
    self.state = state
    self.derived = derived
    self.phase = phase
    self.sweep = sweep
    self.second = second
    theme = Theme(depth: depth)
  }

  /// The focused instance's index, within the snapshot.
  var k: Int { min(max(0, state.instance), snapshot.instances.count - 1) }
  /// The focused instance.
  var instance: InstanceSnapshot { snapshot.instances[k] }

  /// Mean feature probability of instance `k`.
  func meanProbability(_ k: Int) -> Double {
    let row = snapshot.config.featureProbability[k]
    return row.reduce(0, +) / Double(max(1, row.count))
  }
}

/// What a click in a region acts on.
public enum HitTarget: Sendable {
  /// A slider, with the widget and area to turn a column into a value.
  case slider(Control, Slider, Rect)
  /// An instance of the sweep strip.
  case instance(Int)
  /// The heatmap, with the widget and area to turn a cell into a matrix index.
  case heatmap(Heatmap, Rect)
  /// A cell of the phase diagram.
  case phaseCell(MatrixIndex)
}

/// A clickable region of a frame.
public struct HitRegion: Sendable {
  /// Where.
  public let rect: Rect
  /// What a click there acts on.
  public let target: HitTarget

  /// A region.
  public init(_ rect: Rect, _ target: HitTarget) {
    self.rect = rect
    self.target = target
  }
}

/// Where things were drawn in a frame, for mouse hit-testing.
public struct HitMap: Sendable {
  /// The regions in drawing order.
  public var regions: [HitRegion] = []

  /// An empty map.
  public init() {}

  /// Adds regions drawn after the ones already there (they win where they overlap).
  mutating func add(_ more: [HitRegion]) { regions += more }

  /// The target under (x, y), the region drawn last winning.
  func target(atColumn x: Int, row y: Int) -> HitTarget? {
    regions.last { $0.rect.contains(column: x, row: y) }?.target
  }

  /// The slider widget and area of control `c`, if drawn.
  func slider(_ c: Control) -> (Slider, Rect)? {
    for r in regions {
      if case .slider(let cc, let s, let a) = r.target, cc == c { return (s, a) }
    }
    return nil
  }
}
