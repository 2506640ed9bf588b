/// Signed values → blue (negative) · neutral (zero) · red (positive), as in the paper's WᵀW plots.
///
/// The value is clamped to [−scale, scale] and normalised to t = v/scale ∈ [−1, 1]; |t| is
/// quantised to a level by rounding, so equal magnitudes of either sign get the same level.
///
/// - xterm-256: 7 levels each side from ``Palette/diverging`` at t = ±k/7 (see
///   ``ColorRamp/terminalSteps(at:rising:)``), and its neutral at 0; glyph `█`.
/// - ANSI 8: level ⌊4|t|⌉; 0 → white (7), otherwise blue (4) or red (1); level 1 dim,
///   level 4 bold; glyph from the shade ramp ` ░▒▓█` so magnitude survives without colour.
/// - Monochrome: no colour. Level ⌊4|t|⌉ picks a glyph: positive values use the shade ramp
///   ` ░▒▓█`, negative values the marker ramp ` ·-=≡` (minus signs of growing weight), so the
///   sign reads from the glyph family and the magnitude from its ink.
public struct DivergingColormap: Colormap, Hashable {
  /// Magnitude mapped to full colour; non-positive or non-finite scales count as 1.
  public var scale: Float
  /// Colours available.
  public var depth: ColorDepth

  /// xterm-256 blues from faint to strong (|t| = 1/7 … 1), darkening step by step.
  static let blues = Palette.diverging.terminalSteps(
    at: (1...7).map { -Double($0) / 7 }, rising: false)
  /// xterm-256 reds from faint to strong (t = 1/7 … 1), darkening step by step.
  static let reds = Palette.diverging.terminalSteps(
    at: (1...7).map { Double($0) / 7 }, rising: false)
  /// xterm-256 neutral: a light grey that reads as "zero" on dark and light backgrounds.
  static let neutral = Palette.diverging.color(at: 0).terminal

  /// Creates a colormap covering [−scale, scale].
  public init(scale: Float = 1, depth: ColorDepth = .xterm256) {
    self.scale = scale
    self.depth = depth
  }

  /// The scale actually used.
  var effectiveScale: Float { scale.isFinite && scale > 0 ? scale : 1 }

  /// [−scale, scale].
  public var domain: ClosedRange<Float> { -effectiveScale...effectiveScale }

  /// The swatch for `value` at this depth (see the type's documentation for the encoding).
  public func swatch(for value: Float) -> Swatch {
    let t = value.isNaN ? 0 : max(-1, min(1, value / effectiveScale))
    let negative = t < 0
    switch depth {
    case .xterm256:
      let k = Ramp.level(abs(t), steps: 7)
      if k == 0 { return Swatch(color: Self.neutral, glyph: "█") }
      return Swatch(color: negative ? Self.blues[k - 1] : Self.reds[k - 1], glyph: "█")
    case .ansi8:
      let k = Ramp.level(abs(t), steps: 4)
      let color: Color = k == 0 ? .indexed(7) : .indexed(negative ? 4 : 1)
      return Swatch(color: color, glyph: Ramp.shades[k], bold: k == 4, dim: k == 1)
    case .monochrome:
      let k = Ramp.level(abs(t), steps: 4)
      return Swatch(
        color: .terminalDefault, glyph: negative ? Ramp.negativeMarkers[k] : Ramp.shades[k])
    }
  }
}
