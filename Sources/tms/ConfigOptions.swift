import ArgumentParser
import TMSEngine

/// Flags that build a ``RunConfig``: a preset file (or the built-in intro) overridden by any
/// explicit flag.
struct ConfigOptions: ParsableArguments {
  @Option(help: "A preset file (JSON; see presets/). Flags below override its fields.")
  var preset: String?

  @Option(help: "Model: linear, relu-output, relu-hidden or abs.")
  var model: String?

  @Option(help: "n, the number of features (1…\(RunConfig.maxFeatures)).")
  var features: Int?

  @Option(help: "m, the number of hidden dimensions (1…\(RunConfig.maxHidden)).")
  var hidden: Int?

  @Option(help: "K, the number of independent instances (1…\(RunConfig.maxInstances)).")
  var instances: Int?

  @Option(help: "Importance I_i = R^i for every instance (R > 0).")
  var importanceDecay: Double?

  @Option(help: "Feature probability p = 1 − S for every feature of every instance, in [0, 1].")
  var probability: Double?

  @Option(
    parsing: .upToNextOption,
    help: "MAX MIN: p log-spaced from MAX (instance 0) to MIN (last instance), both in (0, 1].")
  var probabilitySweep: [Double] = []

  @Option(help: "Samples per step (1…\(RunConfig.maxBatch)).")
  var batch: Int?

  @Option(help: "AdamW learning rate (> 0).")
  var lr: Double?

  @Option(help: "AdamW decoupled weight decay (≥ 0).")
  var weightDecay: Double?

  @Option(help: "Learning-rate schedule: constant, linear or cosine.")
  var schedule: String?

  @Option(help: "Training steps (≥ 0).")
  var steps: Int?

  @Option(help: "Random seed (0…\(Int.max)).")
  var seed: Int?

  @Option(help: "Initial weight std (> 0); default the notebook's √(2/(n·m + K·m)).")
  var initStd: Double?

  /// The configuration these flags describe, or a ``ConfigError`` naming the bad field.
  func makeConfig() throws -> RunConfig {
    var c: RunConfig
    if let preset {
      c = try resolvePreset(preset).config
    } else {
      c = .intro()
      if model != nil || features != nil || hidden != nil || instances != nil
        || importanceDecay != nil || probability != nil || !probabilitySweep.isEmpty
      {
        c.name = "custom"
      }
    }
    if let model {
      guard let kind = ModelKind(rawValue: model) else {
        throw CLIError(
          "--model: unknown model '\(model)'; allowed: "
            + ModelKind.allCases.map(\.rawValue).joined(separator: ", "))
      }
      c.model = kind
    }
    if let features {
      guard features >= 1 && features <= RunConfig.maxFeatures else {
        throw CLIError(
          "--features: must be an integer in 1…\(RunConfig.maxFeatures), got \(features)")
      }
      c.features = features
    }
    if let hidden {
      guard hidden >= 1 && hidden <= RunConfig.maxHidden else {
        throw CLIError("--hidden: must be an integer in 1…\(RunConfig.maxHidden), got \(hidden)")
      }
      c.hidden = hidden
    }
    if let instances {
      guard instances >= 1 && instances <= RunConfig.maxInstances else {
        throw CLIError(
          "--instances: must be an integer in 1…\(RunConfig.maxInstances), got \(instances)")
      }
      c.instances = instances
    }
    c.conformShapes()
    if let r = importanceDecay {
      guard r.isFinite && r > 0 else {
        throw CLIError("--importance-decay: must be a finite number > 0, got \(r)")
      }
      c.setImportanceDecay(r)
    }
    if probability != nil && !probabilitySweep.isEmpty {
      throw CLIError(
        "--probability and --probability-sweep: give one (a single p for every instance, or a"
          + " sweep across them)")
    }
    if let p = probability {
      guard p.isFinite && p >= 0 && p <= 1 else {
        throw CLIError("--probability: must be in [0, 1], got \(p)")
      }
      c.setUniformProbability(p)
    }
    if !probabilitySweep.isEmpty {
      guard probabilitySweep.count == 2,
        probabilitySweep.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 1 })
      else {
        throw CLIError(
          "--probability-sweep: needs two values MAX MIN, each in (0, 1], got "
            + probabilitySweep.map { "\($0)" }.joined(separator: " "))
      }
      c.setProbabilitySweep(from: probabilitySweep[0], to: probabilitySweep[1])
    }
    if let batch { c.batchSize = batch }
    if let lr { c.learningRate = lr }
    if let weightDecay { c.weightDecay = weightDecay }
    if let schedule {
      guard let s = Schedule(rawValue: schedule) else {
        throw CLIError(
          "--schedule: unknown schedule '\(schedule)'; allowed: constant, linear, cosine")
      }
      c.schedule = s
    }
    if let steps { c.steps = steps }
    if let seed {
      guard seed >= 0 else { throw CLIError("--seed: must be an integer ≥ 0, got \(seed)") }
      c.seed = UInt64(seed)
    }
    if let initStd { c.initStd = initStd }
    do {
      try c.validate()
    } catch {
      throw CLIError("--\(Self.flagName(error.field)): \(error.message)")
    }
    return c
  }

  /// The flag that sets a config field, for error messages.
  static func flagName(_ field: String) -> String {
    let base = field.split(separator: "[").first.map(String.init) ?? field
    switch base {
    case "batch_size": return "batch"
    case "feature_probability": return "probability (\(field))"
    case "importance": return "importance-decay (\(field))"
    case "weight_decay": return "weight-decay"
    case "init_std": return "init-std"
    default: return base
    }
  }
}

/// A user-facing error: printed as one line on stderr, exit status 2.
struct CLIError: Error, CustomStringConvertible {
  let description: String
  init(_ message: String) { description = message }
}
