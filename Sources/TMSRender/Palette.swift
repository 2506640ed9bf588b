/// The colours the widgets share: a few named ones per colour depth, and the ramps (see
/// `Palette+Ramps.swift`) that colour values on screen and in figures alike.
///
/// xterm-256 uses cube colours; eight-colour output uses the ANSI indexes 0–7 directly;
/// monochrome uses the terminal default, and widgets lean on attributes instead.
public enum Palette {
  /// Highlights: focused borders, key names, slider fill.
  static func accent(_ depth: ColorDepth) -> Color {
    switch depth {
    case .xterm256: .indexed(75)
    case .ansi8: .indexed(6)
    case .monochrome: .terminalDefault
    }
  }

  /// Quiet chrome: unfocused borders, axes, empty tracks.
  static func muted(_ depth: ColorDepth) -> Color {
    switch depth {
    case .xterm256: .indexed(244)
    case .ansi8, .monochrome: .terminalDefault
    }
  }

  /// Errors and insufficient values.
  static func red(_ depth: ColorDepth) -> Color {
    switch depth {
    case .xterm256: .indexed(196)
    case .ansi8: .indexed(1)
    case .monochrome: .terminalDefault
    }
  }

  /// Success and required values.
  static func green(_ depth: ColorDepth) -> Color {
    switch depth {
    case .xterm256: .indexed(46)
    case .ansi8: .indexed(2)
    case .monochrome: .terminalDefault
    }
  }

  /// Warnings.
  static func yellow(_ depth: ColorDepth) -> Color {
    switch depth {
    case .xterm256: .indexed(214)
    case .ansi8: .indexed(3)
    case .monochrome: .terminalDefault
    }
  }
}
