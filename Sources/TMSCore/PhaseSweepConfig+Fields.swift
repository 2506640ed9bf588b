/// The declaration of every field of a phase sweep (see ``ConfigField``).
extension PhaseSweepConfig {
  /// The grid's own fields: what a phase preset's `phase` object may set (its model and
  /// training come from the preset's run).
  public static let gridFields: [ConfigField<PhaseSweepConfig>] = [
    .integer(
      "grid", \.grid, in: 2...maxGrid, flag: "grid", help: "Cells per axis, G", live: false),
    .integer(
      "seeds", \.seeds, in: 1...maxSeeds, flag: "seeds",
      help: "Seeds (models) per cell in the first batch, the best by expected loss kept",
      live: false),
    .integer(
      "max_seeds", \.maxSeeds, in: 1...maxSeeds, flag: "max-seeds",
      help:
        "Most seeds per cell: an unsettled cell (seeds disagree, or a prototype beats them) "
        + "trains further batches up to this", live: false),
    .boolean(
      "prototype_floor", \.prototypeFloor,
      flags: [
        ConfigFlag(
          "no-prototype-floor",
          help: "Label every cell by its best trained seed, never by a prototype solution",
          Bool.self
        ) { off, c in if off { c.prototypeFloor = false } }
      ], help: "Prototype solutions' losses as a floor the trained seeds must reach",
      live: false),
    .number(
      "floor_tolerance", \.floorTolerance, .unitHalfOpen, flag: "floor-tolerance",
      help: "Relative loss tolerance of the prototype floor and of a batch's improvement",
      live: false),
    range(
      "probability", high: \.probabilityMax, low: \.probabilityMin, flag: "probability-range",
      help: "MAX MIN: feature probability from MAX (row 0) to MIN, in (0, 1]",
      order: .highFirst
    ) { hi, lo in
      guard hi.isFinite, hi > 0, hi <= 1 else { return "MAX must be in (0, 1], got \(hi)" }
      guard lo.isFinite, lo > 0, lo <= hi else { return "MIN must be in (0, MAX], got \(lo)" }
      return nil
    },
    range(
      "importance", high: \.importanceMax, low: \.importanceMin, flag: "importance-range",
      help: "MIN MAX: relative importance r of the extra feature, MIN > 0, MAX ≤ 1e6",
      order: .lowFirst
    ) { hi, lo in
      guard lo.isFinite, lo > 0 else { return "MIN must be a finite number > 0, got \(lo)" }
      guard hi.isFinite, hi >= lo, hi <= 1e6 else {
        return "MAX must be in [MIN, 1e6], got \(hi)"
      }
      return nil
    },
    .number(
      "norm_threshold", \.thresholds.norm, .nonNegative, flag: "norm-threshold",
      help: "Label: the extra feature is learned when ‖W_e‖ > this", live: false),
    .number(
      "superposition_threshold", \.thresholds.superposition, .nonNegative,
      flag: "superposition-threshold",
      help: "Label: a learned extra feature is in superposition when s_e > this", live: false),
    .boolean(
      "antithetic_init", \.antitheticInit,
      flags: [
        ConfigFlag(
          "independent-seeds",
          help:
            "Independent initial weights for every seed (default: antithetic pairs, W_e → −W_e)",
          Bool.self
        ) { independent, c in if independent { c.antitheticInit = false } }
      ], help: "Seeds in antithetic pairs (W_e → −W_e)", live: false),
    .integer(
      "loss_points", \.lossPoints, in: 1...256,
      help: "Quadrature nodes per active feature of the exact expected loss", live: false),
  ]

  /// Every field of a sweep: n, the grid, then ``TrainingSettings/fields``.
  public static let fields: [ConfigField<PhaseSweepConfig>] =
    [
      .integer(
        "features", \.features, in: 2...3, flag: "features",
        help: "n: 2 (the 2→1 diagram) or 3 (3→2)", live: false)
    ] + gridFields + TrainingSettings.fields.map { $0.lifted(\PhaseSweepConfig.training) }

  /// Which end of a range a file and a flag list first.
  enum RangeOrder: Sendable { case highFirst, lowFirst }

  /// A [first, second] pair of bounds, written and given in `order`, checked by `problem`
  /// (a message, or nil when the pair is fine).
  static func range(
    _ key: String, high: WritableKeyPath<PhaseSweepConfig, Double> & Sendable,
    low: WritableKeyPath<PhaseSweepConfig, Double> & Sendable, flag: String, help: String,
    order: RangeOrder, problem: @escaping @Sendable (_ high: Double, _ low: Double) -> String?
  ) -> ConfigField<PhaseSweepConfig> {
    @Sendable func set(_ pair: [Double], _ c: inout PhaseSweepConfig, _ field: String)
      throws(ConfigError)
    {
      guard pair.count == 2 else {
        throw ConfigError(field: field, "needs two values, got \(pair.count)")
      }
      let (h, l) = order == .highFirst ? (pair[0], pair[1]) : (pair[1], pair[0])
      if let message = problem(h, l) { throw ConfigError(field: field, message) }
      c[keyPath: high] = h
      c[keyPath: low] = l
    }
    return ConfigField(
      key: key, help: help,
      flags: [
        ConfigFlag(flag, help: help, [Double].self) { pair, c throws(ConfigError) in
          try set(pair, &c, "--" + flag)
        }
      ], live: false,
      read: { v, p, c throws(ConfigError) in try set(try FieldReader.numbers(v, p), &c, p) },
      write: { c in
        let (h, l) = (c[keyPath: high], c[keyPath: low])
        return .doubles(order == .highFirst ? [h, l] : [l, h])
      },
      check: { c throws(ConfigError) in
        if let message = problem(c[keyPath: high], c[keyPath: low]) {
          throw ConfigError(field: key, message)
        }
      },
      same: { $0[keyPath: high] == $1[keyPath: high] && $0[keyPath: low] == $1[keyPath: low] })
  }

  /// Applies command-line values, given as (flag name, parsed value) pairs, in table order,
  /// then validates the sweep.
  public mutating func apply(flags given: [(flag: String, value: Any)]) throws(ConfigError) {
    for field in Self.fields {
      for flag in field.flags {
        for g in given where g.flag == flag.name { try flag.set(g.value, in: &self) }
      }
    }
    try validate()
  }

  /// The flag that sets the field a validation error names, or nil when no flag sets it.
  public static func flag(forField path: String) -> String? {
    fields.field(forPath: path)?.flags.first.map { "--" + $0.name }
  }
}
