import ArgumentParser
import TMSCore

/// Flags that build a ``RunConfig``: a preset file (or the built-in intro) overridden by any
/// explicit flag. Every flag but `--preset` is a field flag of ``RunConfig/fields``.
struct ConfigOptions: FieldOptions {
  @Option(help: "A preset file or name (see tms presets). Flags below override its fields.")
  var preset: String?

  @Option(name: FieldFlags.name("model"), help: FieldFlags.help("model"))
  var model: ModelKind?
  @Option(
    name: FieldFlags.name("features"), parsing: .unconditional, help: FieldFlags.help("features"))
  var features: Int?
  @Option(
    name: FieldFlags.name("hidden"), parsing: .unconditional, help: FieldFlags.help("hidden"))
  var hidden: Int?
  @Option(
    name: FieldFlags.name("instances"), parsing: .unconditional, help: FieldFlags.help("instances"))
  var instances: Int?
  @Option(
    name: FieldFlags.name("importance-decay"), parsing: .unconditional,
    help: FieldFlags.help("importance-decay"))
  var importanceDecay: Double?
  @Option(
    name: FieldFlags.name("probability"), parsing: .unconditional,
    help: FieldFlags.help("probability"))
  var probability: Double?
  @Option(
    name: FieldFlags.name("probability-sweep"), parsing: .upToNextOption,
    help: FieldFlags.help("probability-sweep"))
  var probabilitySweep: [Double] = []

  @OptionGroup var training: TrainingOptions

  /// The field flags given (everything but `--preset`), in no particular order.
  var fieldFlagsGiven: [(flag: String, value: Any)] {
    givenFlags.filter { $0.flag != "preset" }
  }

  /// The configuration flags given on the command line, as typed (`--lr`), `--preset` first.
  var configFlagsGiven: [String] {
    (preset == nil ? [] : ["--preset"]) + fieldFlagsGiven.map { "--" + $0.flag }
  }

  /// The configuration these flags describe, or a one-line ``CLIError`` naming the flag.
  func makeConfig() throws -> RunConfig {
    let given = fieldFlagsGiven
    var c: RunConfig
    if let preset {
      c = try resolvePreset(preset).config
    } else {
      c = .intro()
      let trainingFlags = Set(TrainingSettings.fields.flatMap(\.flags).map(\.name))
      if given.contains(where: { !trainingFlags.contains($0.flag) }) { c.name = "custom" }
    }
    do {
      try c.apply(flags: given)
    } catch {
      throw CLIError(cliMessage(error, flag: RunConfig.flag(forField:)))
    }
    return c
  }
}

/// A configuration error as the command line reports it: the flag that sets the field first
/// (`--batch: must be …`, `--probability (feature_probability[2][0]): must be …`), the field
/// itself when no flag sets it.
func cliMessage(_ error: ConfigError, flag: (String) -> String?) -> String {
  if error.field.hasPrefix("--") { return error.description }
  guard let name = flag(error.field) else { return error.description }
  let indexed = error.field.contains("[") || error.field.contains(".")
  return indexed ? "\(name) (\(error.field)): \(error.message)" : "\(name): \(error.message)"
}

/// A user-facing error: printed as one line on stderr, exit status 2.
struct CLIError: Error, CustomStringConvertible {
  let description: String
  init(_ message: String) { description = message }
}
