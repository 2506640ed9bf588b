import TMSCore
import TMSRender

/// What the sweep-results view shows: which two axes make the grid, the metric, where each
/// other axis's slider stands, which slider `[` `]` move, and the cell cursor.
///
/// Positions refer to ``SweepTable/shape`` as last reported by the explorer
/// (``ExplorerEvent/sweepLoaded(shape:)``), so the pure update can keep them in range.
public struct SweepViewState: Sendable, Equatable {
  /// Positions per axis of the table shown (empty: no sweep is open).
  public var shape: [Int] = []
  /// The axis across (columns).
  public var xAxis = 1
  /// The axis down (rows); equal to `xAxis` for a one-axis sweep (a single row).
  public var yAxis = 0
  /// The metric, an index of ``SweepMetric/allCases``.
  public var metric = 0
  /// The position of every axis; the x and y axes' entries are the cursor's.
  public var position: [Int] = []
  /// The axis whose slider `[` and `]` move (one that is neither x nor y), if any.
  public var slider: Int?

  /// An empty state (no sweep open).
  public init() {}

  /// True when a sweep's result file is open (`tms --sweep FILE`): its table has axes.
  public var isOpen: Bool { !shape.isEmpty }

  /// The axes other than x and y, in order: the sliders.
  public var sliderAxes: [Int] {
    shape.indices.filter { $0 != xAxis && $0 != yAxis }
  }

  /// The metric shown.
  public var shownMetric: SweepMetric { SweepMetric.allCases[metric % SweepMetric.allCases.count] }

  /// Fits the state to a table of `shape`: keeps what still fits, chooses axes 1 × 0 (or
  /// 0 alone) for a new table, and keeps positions in range.
  mutating func fit(_ newShape: [Int]) {
    let fresh = newShape.count != shape.count
    shape = newShape
    let n = shape.count
    guard n > 0 else {
      position = []
      slider = nil
      return
    }
    if fresh || xAxis >= n || yAxis >= n {
      yAxis = 0
      xAxis = n > 1 ? 1 : 0
    }
    if position.count != n { position = Array(repeating: 0, count: n) }
    for a in 0..<n { position[a] = min(max(0, position[a]), max(0, shape[a] - 1)) }
    if let s = slider, !sliderAxes.contains(s) { slider = nil }
    if slider == nil { slider = sliderAxes.first }
  }

  /// Moves the cursor by (dx, dy) cells, within the grid.
  mutating func move(dx: Int, dy: Int) {
    guard !shape.isEmpty else { return }
    position[xAxis] = min(max(0, position[xAxis] + dx), shape[xAxis] - 1)
    if yAxis != xAxis {
      position[yAxis] = min(max(0, position[yAxis] + dy), shape[yAxis] - 1)
    }
  }

  /// Puts the next axis (skipping the other grid axis) across (`x`) or down (`y`).
  mutating func cycle(x: Bool) {
    let n = shape.count
    guard n > 1 else { return }
    var a = x ? xAxis : yAxis
    let other = x ? yAxis : xAxis
    repeat { a = (a + 1) % n } while a == other
    if x { xAxis = a } else { yAxis = a }
    if let s = slider, !sliderAxes.contains(s) { slider = nil }
    if slider == nil { slider = sliderAxes.first }
  }

  /// Swaps the grid's axes.
  mutating func transpose() {
    swap(&xAxis, &yAxis)
  }

  /// Makes the next slider axis the one `[` `]` move.
  mutating func nextSlider() {
    let axes = sliderAxes
    guard !axes.isEmpty else { return }
    if let s = slider, let i = axes.firstIndex(of: s) {
      slider = axes[(i + 1) % axes.count]
    } else {
      slider = axes[0]
    }
  }

  /// Moves the active slider by `step` positions.
  mutating func moveSlider(_ step: Int) {
    guard let s = slider, s < shape.count else { return }
    position[s] = min(max(0, position[s] + step), shape[s] - 1)
  }
}
