/// A line chart on a ``BrailleCanvas`` with the y extent printed on the left: the loss curve.
///
/// ```
/// 0.25┤⠑⢄
///     │  ⠈⠢⣀
/// 0.01┤     ⠉⠒⠤⠤
/// ```
/// The label column shows the top and bottom of the y range (data values, also on a log
/// scale), right-aligned, next to an axis with `┤` ticks at those rows; it is dropped when the
/// area is too narrow. Ranges default to the data's extent. With `logScaleY` the curve plots
/// log₁₀ y, which turns the loss's exponential decay into a straight line; points with y ≤ 0
/// are skipped. Non-finite points break a series into separate runs, and a run of one point
/// is drawn as a dot.
public struct LinePlot: Sendable {
  /// One curve.
  public struct Series: Sendable {
    /// Points in data coordinates, in drawing order.
    public var points: [(x: Double, y: Double)]
    /// Colour of the curve.
    public var color: Color

    /// Creates a series.
    public init(points: [(x: Double, y: Double)], color: Color = .terminalDefault) {
      self.points = points
      self.color = color
    }

    /// A series of `values` at x = 0, 1, 2, ….
    public init(values: [Double], color: Color = .terminalDefault) {
      self.init(points: values.enumerated().map { (Double($0.offset), $0.element) }, color: color)
    }
  }

  /// The curves, drawn in order (later ones win shared cells).
  public var series: [Series]
  /// Plot log₁₀ y instead of y.
  public var logScaleY: Bool
  /// Fixed x range; `nil` uses the data's.
  public var xRange: ClosedRange<Double>?
  /// Fixed y range (in data units); `nil` uses the data's.
  public var yRange: ClosedRange<Double>?
  /// Colours available.
  public var depth: ColorDepth
  /// The label column is at least this wide, so plots stacked above each other can share
  /// their x positions.
  public var minimumLabelWidth: Int

  /// Creates a line plot.
  public init(
    series: [Series], logScaleY: Bool = false, xRange: ClosedRange<Double>? = nil,
    yRange: ClosedRange<Double>? = nil, depth: ColorDepth = .xterm256, minimumLabelWidth: Int = 0
  ) {
    self.series = series
    self.logScaleY = logScaleY
    self.xRange = xRange
    self.yRange = yRange
    self.depth = depth
    self.minimumLabelWidth = minimumLabelWidth
  }

  /// Whether a y value can be plotted on this scale.
  private func plottable(_ y: Double) -> Bool { y.isFinite && (!logScaleY || y > 0) }

  /// y on the plotting scale.
  private func transform(_ y: Double) -> Double { logScaleY ? FloatMath.log10(y) : y }

  /// The x and y extents in data units, or `nil` when nothing can be plotted.
  public var ranges: (x: ClosedRange<Double>, y: ClosedRange<Double>)? {
    var xs: (Double, Double)?
    var ys: (Double, Double)?
    for s in series {
      for p in s.points where p.x.isFinite && plottable(p.y) {
        xs = xs.map { (min($0.0, p.x), max($0.1, p.x)) } ?? (p.x, p.x)
        ys = ys.map { (min($0.0, p.y), max($0.1, p.y)) } ?? (p.y, p.y)
      }
    }
    if let r = xRange, r.lowerBound.isFinite, r.upperBound.isFinite {
      xs = (r.lowerBound, r.upperBound)
    }
    if let r = yRange, plottable(r.lowerBound), plottable(r.upperBound) {
      ys = (r.lowerBound, r.upperBound)
    }
    guard let xs, let ys else { return nil }
    return (xs.0...xs.1, ys.0...ys.1)
  }

  /// The columns and rows the curves occupy within `area`: right of the label column and
  /// its axis (all of `area` when too narrow for labels), so callers can mark positions on
  /// the x axis in the same columns.
  public func plotArea(in area: Rect) -> Rect {
    guard let (_, yr) = ranges else { return area }
    let labelWidth = self.labelWidth(yr, area: area)
    guard area.width >= labelWidth + 3 else { return area }
    return Rect(
      x: area.x + labelWidth + 1, y: area.y, width: area.width - labelWidth - 1,
      height: area.height)
  }

  private func labelWidth(_ yr: ClosedRange<Double>, area: Rect) -> Int {
    let top = Format.number(yr.upperBound)
    let bottom = Format.number(yr.lowerBound)
    return max(
      minimumLabelWidth, area.height >= 2 ? max(top.columns, bottom.columns) : top.columns)
  }

  /// Draws labels, axis and curves inside `area`.
  public func render(into buffer: inout Buffer, area: Rect) {
    guard !area.isEmpty, let (xr, yr) = ranges else { return }
    let top = Format.number(yr.upperBound)
    let bottom = Format.number(yr.lowerBound)
    let labelWidth = self.labelWidth(yr, area: area)
    let plotArea = self.plotArea(in: area)
    if plotArea != area {
      let muted = Style(fg: Palette.muted(depth)).adapted(to: depth)
      buffer.write(top.padded(left: labelWidth), x: area.x, y: area.y, style: muted, clip: area)
      if area.height >= 2 {
        buffer.write(
          bottom.padded(left: labelWidth), x: area.x, y: area.bottom - 1, style: muted,
          clip: area)
      }
      for y in area.y..<area.bottom {
        let tick = y == area.y || y == area.bottom - 1
        buffer.set(area.x + labelWidth, y, Cell(tick ? "┤" : "│", style: muted), clip: area)
      }
    }
    func widened(_ lo: Double, _ hi: Double) -> ClosedRange<Double> {
      hi > lo ? lo...hi : (lo - 0.5)...(lo + 0.5)
    }
    var canvas = BrailleCanvas(
      xRange: widened(xr.lowerBound, xr.upperBound),
      yRange: widened(transform(yr.lowerBound), transform(yr.upperBound)), depth: depth)
    for s in series {
      var run: [(x: Double, y: Double)] = []
      for p in s.points + [(x: Double.nan, y: Double.nan)] {
        if p.x.isFinite && plottable(p.y) {
          run.append((p.x, transform(p.y)))
        } else if !run.isEmpty {
          canvas.polyline(run, color: s.color)
          run.removeAll()
        }
      }
    }
    canvas.render(into: &buffer, area: plotArea)
  }
}
