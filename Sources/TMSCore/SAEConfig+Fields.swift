/// The declaration of every field of an SAE (see ``ConfigField``): a preset's and a
/// snapshot's `sae` object, `tms sae`'s flags, the ranges, and which changes act on the
/// running SAE (`live`) or give it fresh weights.
extension SAEConfig {
  /// Most latents.
  public static let maxLatents = 4096
  /// Most SAE instances.
  public static let maxInstances = 1024
  /// Largest λ.
  public static let maxL1 = 1e6

  /// Every field, in the order files list them (``instances`` before the λ list it sizes).
  public static let fields: [ConfigField<SAEConfig>] = [
    .integer(
      "latents", \.latents, in: 1...maxLatents, flag: "latents",
      help: "d, the SAE's latents (dictionary size)", live: false),
    .integer(
      "instances", \.instances, in: 1...maxInstances, flag: "sae-instances",
      help: "SAE instances trained side by side (default: one per model instance)", live: false),
    l1Field,
    modelInstanceField,
    .number(
      "lr", \.learningRate, .positive, flag: "sae-lr", help: "SAE Adam learning rate", live: true),
    .number("beta1", \.beta1, .unitHalfOpen, help: "SAE Adam β₁", live: true),
    .number("beta2", \.beta2, .unitHalfOpen, help: "SAE Adam β₂", live: true),
    .number("eps", \.epsilon, .positive, help: "SAE Adam ε", live: true),
    .integer(
      "batch_size", \.batchSize, in: 1...TrainingSettings.maxBatch, flag: "sae-batch",
      help: "Samples per SAE step", live: true),
    .integer(
      "steps", \.steps, in: 0...TrainingSettings.maxSteps, flag: "sae-steps",
      help: "SAE steps of a headless run (tms sae)", live: true),
    .boolean(
      "unit_norm_decoder", \.unitNormDecoder,
      flags: [
        ConfigFlag(
          "free-decoder",
          help: "Let the decoder's columns take any norm (default: kept at unit norm)",
          Bool.self
        ) { free, c in if free { c.unitNormDecoder = false } }
      ], help: "Keep every decoder column at unit norm", live: true),
    .boolean(
      "resample", \.resample,
      flags: [
        ConfigFlag(
          "no-resample", help: "Leave dead latents dead (default: resample them)", Bool.self
        ) { off, c in if off { c.resample = false } }
      ], help: "Resample dead latents", live: true),
    .integer(
      "dead_steps", \.deadSteps, in: 1...TrainingSettings.maxSteps, flag: "dead-steps",
      help: "Steps without firing after which a latent is dead (and resampled)", live: true),
    .integer(
      "seed", \.seed, in: 0...UInt64.max, flag: "sae-seed",
      help: "Seed of the SAE's streams (initialisation, data, resampling)", live: false),
  ]

  /// λ per SAE instance: a number (every instance), `{"sweep": [low, high]}` (log-spaced from
  /// instance 0 to the last) or a list of one value per instance; written as the list.
  static let l1Field = ConfigField<SAEConfig>(
    key: "l1_coefficient", help: "λ, the L1 coefficient, per SAE instance",
    flags: [
      ConfigFlag(
        "l1", help: "λ, the L1 coefficient, for every SAE instance (in [0, 1e6])", Double.self
      ) { x, c throws(ConfigError) in
        try l1Rule.check(x, "--l1")
        c.setL1(x)
      },
      ConfigFlag(
        "l1-sweep",
        help: "LOW HIGH: λ log-spaced from LOW (SAE instance 0) to HIGH (the last), in (0, 1e6]",
        [Double].self
      ) { pair, c throws(ConfigError) in
        guard pair.count == 2, pair.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= maxL1 }) else {
          throw ConfigError(
            field: "--l1-sweep",
            "needs two values LOW HIGH, each in (0, 1e6], got "
              + pair.map { "\($0)" }.joined(separator: " "))
        }
        c.setL1Sweep(from: pair[0], to: pair[1])
      },
    ], live: true,
    read: { v, p, c throws(ConfigError) in
      switch v {
      case .number, .special: c.setL1(try FieldReader.number(v, p))
      case .object(let o):
        guard o.keys == ["sweep"], let arg = o["sweep"] else {
          throw ConfigError(field: p, "must be a number, a list or {\"sweep\": [low, high]}")
        }
        let pair = try FieldReader.numbers(arg, "\(p).sweep")
        guard pair.count == 2, pair.allSatisfy({ $0 > 0 && $0 <= maxL1 }) else {
          throw ConfigError(field: "\(p).sweep", "must be [low, high] with both in (0, 1e6]")
        }
        c.setL1Sweep(from: pair[0], to: pair[1])
      default:
        let values = try FieldReader.numbers(v, p)
        guard values.count == c.instances else {
          throw ConfigError(
            field: p, "must have one value per SAE instance (\(c.instances)), got \(values.count)")
        }
        c.l1Coefficient = values
      }
    },
    write: { .doubles($0.l1Coefficient) },
    check: { c throws(ConfigError) in
      guard c.l1Coefficient.count == c.instances else {
        throw ConfigError(
          field: "l1_coefficient",
          "must have one value per SAE instance (\(c.instances)), got \(c.l1Coefficient.count)")
      }
      for (s, x) in c.l1Coefficient.enumerated() { try l1Rule.check(x, "l1_coefficient[\(s)]") }
    },
    same: { $0.l1Coefficient == $1.l1Coefficient },
    fillDefault: { $0.conformShapes() })

  /// 0 ≤ λ ≤ 1e6.
  static let l1Rule = NumberRule("in [0, 1e6]") { $0.isFinite && $0 >= 0 && $0 <= maxL1 }

  /// The one model instance every SAE reads, or absent (SAE s reads model instance s mod K);
  /// checked against K by the run (``RunConfig/fields``).
  static let modelInstanceField = ConfigField<SAEConfig>(
    key: "model_instance",
    help: "The model instance every SAE reads (default: SAE s reads model instance s mod K)",
    flags: [
      ConfigFlag(
        "model-instance",
        help: "The model instance every SAE reads (default: SAE s reads instance s mod K)",
        Int.self
      ) { k, c throws(ConfigError) in
        guard k >= 0 && k < RunConfig.maxInstances else {
          throw ConfigError(
            field: "--model-instance",
            "must be an integer in 0…\(RunConfig.maxInstances - 1), got \(k)")
        }
        c.modelInstance = k
      }
    ], live: false, optional: true,
    read: { v, p, c throws(ConfigError) in
      c.modelInstance =
        v == .null ? nil : try FieldReader.integer(v, p, in: 0...(RunConfig.maxInstances - 1))
    },
    write: { c in c.modelInstance.map { .int($0) } },
    check: { c throws(ConfigError) in
      if let k = c.modelInstance, k < 0 || k >= RunConfig.maxInstances {
        throw ConfigError(
          field: "model_instance",
          "must be an integer in 0…\(RunConfig.maxInstances - 1), got \(k)")
      }
    },
    same: { $0.modelInstance == $1.modelInstance })

  /// Applies command-line values, given as (flag name, parsed value) pairs, in table order:
  /// the instance count before the λ list. Two flags of one field (`--l1` and `--l1-sweep`)
  /// are refused; the result is validated.
  public mutating func apply(flags given: [(flag: String, value: Any)]) throws(ConfigError) {
    for field in Self.fields {
      let mine = given.filter { g in field.flags.contains { $0.name == g.flag } }
      if mine.count > 1 {
        throw ConfigError(
          field: mine.map { "--" + $0.flag }.joined(separator: " and "),
          "give one (they set the same field, \(field.key))")
      }
      if let g = mine.first, let flag = field.flags.first(where: { $0.name == g.flag }) {
        try flag.set(g.value, in: &self)
      }
      if field.key == "instances" { conformShapes() }
    }
    try validate()
  }

  /// The flag that sets the field a validation error names, or nil when no flag sets it.
  public static func flag(forField path: String) -> String? {
    fields.field(forPath: path)?.flags.first.map { "--" + $0.name }
  }
}
