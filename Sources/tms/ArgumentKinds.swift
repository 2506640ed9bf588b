import ArgumentParser
import TMSCore

/// The engine's named choices are values the argument parser knows: `--help` lists them and
/// an unknown name is the parser's own one-line error.
extension ModelKind: ExpressibleByArgument {}
extension Schedule: ExpressibleByArgument {}

/// `tms show --color`: when to draw with colours.
enum ColorMode: String, CaseIterable, ExpressibleByArgument {
  /// Colours when stdout is a terminal and `NO_COLOR` is unset.
  case auto
  /// Always ANSI colours.
  case always
  /// Never: monochrome shade characters.
  case never
}
