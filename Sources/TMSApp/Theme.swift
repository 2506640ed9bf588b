import TMSRender

/// The explorer's named colours for one colour depth.
struct Theme {
  let depth: ColorDepth

  private func pick(_ c256: UInt8, _ c8: UInt8) -> Color {
    switch depth {
    case .xterm256: .indexed(c256)
    case .ansi8: .indexed(c8)
    case .monochrome: .terminalDefault
    }
  }

  var accent: Color { pick(75, 6) }
  var muted: Color { pick(244, 7) }
  var title: Color { pick(231, 7) }
  var good: Color { pick(78, 2) }
  var warn: Color { pick(214, 3) }
  var bad: Color { pick(196, 1) }
  var barBackground: Style { Style(fg: muted) }

  /// Superposition colouring of norm bars: dark = orthogonal to all others, bright = shares
  /// its dimensions (the notebook colours by √s_i clipped to [0, 1]).
  func superposition(_ s: Double) -> Color {
    SequentialColormap(range: 0...1, depth: depth).color(for: Float(min(1, max(0, s.squareRoot()))))
  }

  /// Importance colouring (features in the geometry plot): ``Palette/importance`` in ten
  /// steps, purple (least important) to amber (most), brightening step by step.
  func importance(_ relative: Double) -> Color {
    switch depth {
    case .xterm256:
      let i = Int((min(1, max(0, relative.isFinite ? relative : 1)) * 9).rounded())
      return Self.importanceSteps[i]
    case .ansi8: return relative > 0.5 ? .indexed(3) : .indexed(5)
    case .monochrome: return .terminalDefault
    }
  }

  static let importanceSteps = Palette.importance.terminalSteps(
    at: (0...9).map { Double($0) / 9 }, rising: true)

  /// A distinct colour per series (instances in the loss plot).
  func series(_ k: Int, of count: Int) -> Color {
    switch depth {
    case .xterm256:
      let ramp: [UInt8] = [
        196, 202, 208, 214, 220, 190, 118, 48, 51, 39, 33, 63, 99, 135, 171, 207,
      ]
      let i = count <= 1 ? 0 : k * (ramp.count - 1) / max(1, count - 1)
      return .indexed(ramp[min(ramp.count - 1, i)])
    case .ansi8: return .indexed(UInt8(1 + k % 6))
    case .monochrome: return .terminalDefault
    }
  }
}
