/// Unsigned values → dark to bright, for superposition (0…1) and feature importance.
///
/// The value is normalised to t = (v − lower)/(upper − lower) and clamped to [0, 1].
///
/// - xterm-256: 8 levels ⌊7t⌉ from ``Palette/sequential`` (viridis, rising luminance) at
///   t = k/7 (see ``ColorRamp/terminalSteps(at:rising:)``); glyph `█`.
/// - ANSI 8: 5 levels ⌊4t⌉: blue dim · blue · cyan · green · yellow bold, with the shade glyph
///   of the level.
/// - Monochrome: the shade ramp ` ░▒▓█` by level ⌊4t⌉, no colour.
public struct SequentialColormap: Colormap, Hashable {
  /// The values mapped to the dark and bright ends.
  public var range: ClosedRange<Float>
  /// Colours available.
  public var depth: ColorDepth

  /// xterm-256 steps from dark to bright.
  static let steps = Palette.sequential.terminalSteps(
    at: (0...7).map { Double($0) / 7 }, rising: true)
  /// ANSI colours per level 0…4.
  static let ansi: [UInt8] = [4, 4, 6, 2, 3]

  /// Creates a colormap over `range` (0…1 by default).
  public init(range: ClosedRange<Float> = 0...1, depth: ColorDepth = .xterm256) {
    self.range = range
    self.depth = depth
  }

  /// The range.
  public var domain: ClosedRange<Float> { range }

  /// t ∈ [0, 1]; a degenerate range maps values at or above it to 1.
  func normalized(_ value: Float) -> Float {
    guard !value.isNaN else { return 0 }
    let span = range.upperBound - range.lowerBound
    guard span > 0, span.isFinite else { return value >= range.upperBound ? 1 : 0 }
    return max(0, min(1, (value - range.lowerBound) / span))
  }

  /// The swatch for `value` at this depth (see the type's documentation for the encoding).
  public func swatch(for value: Float) -> Swatch {
    let t = normalized(value)
    switch depth {
    case .xterm256:
      return Swatch(color: Self.steps[Ramp.level(t, steps: 7)], glyph: "█")
    case .ansi8:
      let k = Ramp.level(t, steps: 4)
      return Swatch(
        color: .indexed(Self.ansi[k]), glyph: Ramp.shades[k], bold: k == 4, dim: k == 0)
    case .monochrome:
      return Swatch(color: .terminalDefault, glyph: Ramp.shades[Ramp.level(t, steps: 4)])
    }
  }
}
