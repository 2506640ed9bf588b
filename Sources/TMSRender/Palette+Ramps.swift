/// A colour as red, green and blue components in 0…255: the one definition behind the
/// terminal's colours (the nearest xterm-256 entry) and the figures' (its hex code).
public struct RGB: Hashable, Sendable {
  /// Red, 0…255.
  public var red: Double
  /// Green, 0…255.
  public var green: Double
  /// Blue, 0…255.
  public var blue: Double

  /// A colour from components in 0…255 (clamped).
  public init(_ red: Double, _ green: Double, _ blue: Double) {
    func clamp(_ v: Double) -> Double { v.isFinite ? min(255, max(0, v)) : 0 }
    self.red = clamp(red)
    self.green = clamp(green)
    self.blue = clamp(blue)
  }

  /// `#rrggbb`, for SVG.
  public var hex: String {
    "#"
      + [red, green, blue].map { v -> String in
        let byte = Int(v.rounded())
        return (byte < 16 ? "0" : "") + String(byte, radix: 16)
      }.joined()
  }

  /// (1 − f)·self + f·other, componentwise.
  public func mixed(with other: RGB, _ f: Double) -> RGB {
    RGB(
      red + (other.red - red) * f, green + (other.green - green) * f,
      blue + (other.blue - blue) * f)
  }

  /// Relative luminance weights of sRGB, for choosing dark or light text on the colour.
  public var isLight: Bool { 0.3 * red + 0.59 * green + 0.11 * blue > 0.6 * 255 }

  /// The nearest xterm-256 colour (the 6×6×6 cube or the grey ramp, by squared distance):
  /// how a terminal shows this colour.
  public var terminal: Color {
    .indexed(Self.xterm256.min { distance(to: $0.rgb) < distance(to: $1.rgb) }!.index)
  }

  /// Rec. 709 luminance, 0…255.
  public var luminance: Double { 0.2126 * red + 0.7152 * green + 0.0722 * blue }

  func distance(to o: RGB) -> Double {
    let (dr, dg, db) = (red - o.red, green - o.green, blue - o.blue)
    return dr * dr + dg * dg + db * db
  }

  /// The xterm-256 colours a terminal can be asked for by index without depending on the
  /// user's theme: the cube (16–231) and the grey ramp (232–255).
  static let xterm256: [(index: UInt8, rgb: RGB)] = {
    let levels: [Double] = [0, 95, 135, 175, 215, 255]
    var out: [(index: UInt8, rgb: RGB)] = []
    for i in 16...231 {
      let c = i - 16
      out.append((UInt8(i), RGB(levels[c / 36], levels[(c / 6) % 6], levels[c % 6])))
    }
    for i in 0..<24 {
      let v = Double(8 + 10 * i)
      out.append((UInt8(232 + i), RGB(v, v, v)))
    }
    return out
  }()
}

/// A piecewise-linear colour ramp through `stops` (positions increasing).
public struct ColorRamp: Sendable {
  /// (position, colour) pairs, positions increasing.
  public let stops: [(position: Double, color: RGB)]

  /// A ramp through these stops.
  public init(_ stops: [(position: Double, color: RGB)]) { self.stops = stops }

  /// Terminal colours for the ramp at `positions`: each the xterm-256 colour nearest to the
  /// ramp there among those whose luminance keeps strictly rising (or falling) from the
  /// previous one, so that quantising never merges two levels or turns a ramp back on
  /// itself (the nearest colours alone can: two neighbouring levels of a ramp often share
  /// their nearest cube colour).
  public func terminalSteps(at positions: [Double], rising: Bool) -> [Color] {
    var out: [Color] = []
    var last: Double? = nil
    for t in positions {
      let target = color(at: t)
      // A coloured target keeps to the cube: the grey ramp would put greys into a hue ramp.
      let grey =
        max(target.red, target.green, target.blue) - min(target.red, target.green, target.blue) < 24
      let ranked = RGB.xterm256.filter { grey || $0.index < 232 }
        .sorted { target.distance(to: $0.rgb) < target.distance(to: $1.rgb) }
      let pick =
        ranked.first { c in
          guard let last else { return true }
          return rising ? c.rgb.luminance > last : c.rgb.luminance < last
        } ?? ranked[0]
      out.append(.indexed(pick.index))
      last = pick.rgb.luminance
    }
    return out
  }

  /// The colour at `t`, clamped to the ramp's ends (NaN → the first stop).
  public func color(at t: Double) -> RGB {
    guard let first = stops.first, let last = stops.last else { return RGB(0, 0, 0) }
    guard t.isFinite else { return t == .infinity ? last.color : first.color }
    if t <= first.position { return first.color }
    if t >= last.position { return last.color }
    var i = 0
    while i + 2 < stops.count && t > stops[i + 1].position { i += 1 }
    let (a, b) = (stops[i], stops[i + 1])
    let f = b.position > a.position ? (t - a.position) / (b.position - a.position) : 0
    return a.color.mixed(with: b.color, f)
  }
}

/// tms's colours, defined once: the explorer quantises them to the terminal (xterm-256
/// nearest entries; eight colours and monochrome have their own encodings in the
/// colormaps), the SVG figures write them as hex, so a heatmap means the same on screen and
/// on paper.
extension Palette {
  /// Signed values, −1 … 1: blue · light grey · red (ColorBrewer's RdBu without its darkest
  /// ends, which vanish on a dark terminal).
  public static let diverging = ColorRamp([
    (-1.0, RGB(33, 102, 172)), (-0.75, RGB(67, 147, 195)), (-0.5, RGB(146, 197, 222)),
    (-0.25, RGB(209, 229, 240)), (0, RGB(238, 238, 238)), (0.25, RGB(253, 219, 199)),
    (0.5, RGB(244, 165, 130)), (0.75, RGB(214, 96, 77)), (1.0, RGB(178, 24, 43)),
  ])

  /// Unsigned values, 0 … 1, dark to bright (viridis): superposition √s_i.
  public static let sequential = ColorRamp([
    (0, RGB(68, 1, 84)), (0.25, RGB(59, 82, 139)), (0.5, RGB(33, 145, 140)),
    (0.75, RGB(94, 201, 98)), (1, RGB(253, 231, 37)),
  ])

  /// Relative importance, 0 … 1: purple (least important) · pink · orange · amber (most):
  /// bright on a dark terminal and still dark enough to read on white paper.
  public static let importance = ColorRamp([
    (0, RGB(120, 94, 240)), (0.35, RGB(220, 38, 127)), (0.7, RGB(254, 97, 0)),
    (1, RGB(235, 160, 0)),
  ])

  /// The phase diagram's "not learned".
  public static let notLearned = RGB(255, 255, 255)
  /// The phase diagram's "dedicated dimension".
  public static let dedicated = RGB(41, 92, 217)
  /// The phase diagram's "superposition".
  public static let superposition = RGB(214, 38, 41)

  /// The paper's phase colour with its blends: with a = clamp(‖W_e‖, 0, 1) and
  /// f = clamp(s_e, 0, 1), colour = (1 − a)·white + a·((1 − f)·blue + f·red). A dropped
  /// feature is white, a unit-norm orthogonal one blue, a unit-norm antipodal one red.
  public static func phase(norm: Double, superposition s: Double) -> RGB {
    let a = norm.isFinite ? min(1, max(0, norm)) : 0
    let f = s.isFinite ? min(1, max(0, s)) : 0
    return notLearned.mixed(with: dedicated.mixed(with: superposition, f), a)
  }
}
