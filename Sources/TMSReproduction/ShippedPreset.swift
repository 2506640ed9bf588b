import TMSCore
import TMSFiles

/// The compiled-in presets a section starts from, so `tms reproduce` runs the same
/// experiments wherever the binary is.
enum ShippedPreset {
  /// The preset's configuration with the steps (and nothing else) replaced when given.
  static func config(_ name: String, steps: Int? = nil) throws -> RunConfig {
    guard let preset = try PresetLibrary(views: nil).builtin(named: name) else {
      throw ReproductionError("no built-in preset named \(name)")
    }
    var c = preset.config
    if let steps { c.training.steps = steps }
    return c
  }

  /// The phase-diagram settings of a phase preset.
  static func phase(_ name: String) throws -> PhaseSweepConfig {
    guard let preset = try PresetLibrary(views: nil).builtin(named: name), let phase = preset.phase
    else { throw ReproductionError("no built-in phase preset named \(name)") }
    return phase
  }
}

/// A reproduction that cannot start (a missing preset, a bad option), said in one line.
public struct ReproductionError: Error, CustomStringConvertible, Sendable {
  /// The message.
  public var description: String
  /// An error with `message`.
  public init(_ message: String) { description = message }
}
