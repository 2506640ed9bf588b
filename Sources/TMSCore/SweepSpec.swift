import TMSKernels

/// A sweep over any configuration fields: a base run, the axes that vary, how many seeds per
/// point, and whether the points form the full grid or are drawn at random.
///
/// A *point* is one configuration of the base run with every axis set to one of its values
/// (see ``point(_:)``); it is trained as `seeds` independent models (one instance each) and
/// the one with the lowest held-out loss is kept, every seed being recorded. The base run
/// has one instance: a preset's first instance's curves, and `instances` is not an axis.
///
/// Grid points are numbered in mixed radix, the last axis fastest: with axes of sizes
/// s₀ … s_{A−1}, point i has value index (i / Π_{b>a} s_b) mod s_a on axis a. Random point i
/// is the i-th draw of a SplitMix64 stream seeded by `randomSeed`, each axis in turn. Shard K
/// of N holds the points i with i mod N = K. The spec's fields other than the base and the
/// axes are declared once in ``fields``.
public struct SweepSpec: Sendable, Equatable {
  /// The run every point starts from (one instance).
  public var base: RunConfig
  /// The fields that vary, in the order they are applied and numbered.
  public var axes: [SweepAxis]
  /// Models per point; the lowest held-out loss wins (ties: the lower seed).
  public var seeds: Int
  /// Random points to draw, or 0 for the full grid.
  public var randomPoints: Int
  /// The seed of the random points' stream.
  public var randomSeed: UInt64
  /// Held-out samples per model for its loss and the loss's standard error.
  public var evalSamples: Int
  /// True to record the winning model's weights in every result line.
  public var weights: Bool

  /// A sweep of `base` over `axes` with `seeds` seeds per point.
  public init(
    base: RunConfig = RunConfig(), axes: [SweepAxis] = [], seeds: Int = 3, randomPoints: Int = 0,
    randomSeed: UInt64 = 0, evalSamples: Int = 32_768, weights: Bool = false
  ) {
    self.base = base
    self.axes = axes
    self.seeds = seeds
    self.randomPoints = randomPoints
    self.randomSeed = randomSeed
    self.evalSamples = evalSamples
    self.weights = weights
  }

  /// Largest number of values on one axis.
  public static let maxAxisValues = 100_000
  /// Largest number of points in one sweep.
  public static let maxPoints = 1_000_000
  /// Largest number of seeds per point.
  public static let maxSeeds = 64

  /// The sweep's own fields (the base run and the axes are read separately).
  public static let fields: [ConfigField<SweepSpec>] = [
    .integer(
      "seeds", \.seeds, in: 1...maxSeeds, flag: "seeds",
      help: "Models per point, the lowest held-out loss kept (every seed recorded)", live: false),
    .integer(
      "random_points", \.randomPoints, in: 0...maxPoints, flag: "random",
      help: "Random points drawn from the axes' ranges instead of the full grid (0 = grid)",
      live: false),
    .integer(
      "random_seed", \.randomSeed, in: 0...UInt64.max, flag: "random-seed",
      help: "Seed of the random points' draws", live: false),
    .integer(
      "eval_samples", \.evalSamples, in: 1...(1 << 24), flag: "eval-samples",
      help: "Held-out samples per model for its loss and standard error", live: false),
    .boolean(
      "weights", \.weights,
      flags: [
        ConfigFlag(
          "weights", help: "Record the winning model's weights (W, b) in every result line",
          Bool.self
        ) { on, s in if on { s.weights = true } }
      ], help: "Record the winning model's weights in every result line", live: false),
  ]

  /// Number of points: the product of the axes' sizes, or the random count.
  public var pointCount: Int {
    if randomPoints > 0 { return randomPoints }
    var total = 1
    for axis in axes {
      let (p, overflow) = total.multipliedReportingOverflow(by: axis.gridValues.count)
      total = overflow ? Int.max : p
    }
    return total
  }

  /// The axes' value lists of a grid (for a random sweep, its points' distinct values).
  public var gridValues: [[JSONValue]] { axes.map(\.gridValues) }

  /// Checks the fields, the axes (known keys, none twice) and the size, then (with
  /// `points`) builds every point's configuration once so that a bad value is reported before
  /// anything trains. Reading a result file's header skips the points: they were checked
  /// when the sweep started, and a million of them take seconds.
  public func validate(points: Bool = true) throws(ConfigError) {
    try Self.fields.check(self)
    var base1 = base
    base1.instances = 1
    try base1.validate()
    // The runner trains each pack's models for their steps and scores them; an SAE stage
    // would never run, and the result lines have no place for it.
    guard base.sae == nil else {
      throw ConfigError(
        field: "sae",
        "a sweep trains and scores models only; train SAEs on a point with tms sae")
    }
    guard !axes.isEmpty else {
      throw ConfigError(field: "axes", "needs at least one axis (e.g. --axis lr=1e-3,3e-3)")
    }
    var seen = Set<String>()
    for axis in axes {
      try axis.validate()
      guard seen.insert(axis.key).inserted else {
        throw ConfigError(field: "axes.\(axis.key)", "appears twice")
      }
    }
    for pair in [
      ("importance", "importance_decay"), ("importance", "relative_importance"),
      ("importance_decay", "relative_importance"),
    ]
    where seen.contains(pair.0) && seen.contains(pair.1) {
      throw ConfigError(
        field: "axes.\(pair.1)", "sets the same curve as axis \(pair.0); give one")
    }
    guard pointCount <= Self.maxPoints else {
      throw ConfigError(
        field: "axes",
        "make \(pointCount == Int.max ? "too many" : "\(pointCount)") points; at most \(Self.maxPoints)"
      )
    }
    if points {
      for i in 0..<pointCount { _ = try point(i) }
    }
  }

  /// The axis values of point `i` (one per axis).
  public func values(ofPoint i: Int) -> [JSONValue] {
    if randomPoints > 0 {
      var rng = SplitMix64(
        seed: SplitMix64.streamSeed(seed: randomSeed, instance: i, purpose: 0x5A3E))
      return axes.map { $0.randomValue(&rng) }
    }
    let lists = gridValues
    var out = [JSONValue](repeating: .null, count: axes.count)
    var rest = i
    for a in axes.indices.reversed() {
      let n = lists[a].count
      out[a] = lists[a][rest % n]
      rest /= n
    }
    return out
  }

  /// Point `i`: its axis values and the configuration they make, validated (an error names
  /// the axis value that broke it).
  public func point(_ i: Int) throws(ConfigError) -> SweepPoint {
    let values = values(ofPoint: i)
    var c = base
    c.instances = 1
    c.featureProbability = Array(c.featureProbability.prefix(1))
    c.importance = Array(c.importance.prefix(1))
    // (A key given twice is refused by validate(); the first would win here.)
    let given = Dictionary(zip(axes.map(\.key), values), uniquingKeysWith: { first, _ in first })
    for field in RunConfig.fields {
      guard let v = given[field.key] else { continue }
      try field.read(v, "axes.\(field.key)", &c)
    }
    c.conformShapes()
    if let v = given["importance_decay"] {
      let r = try FieldReader.number(v, "axes.importance_decay")
      try NumberRule.positive.check(r, "axes.importance_decay")
      c.setImportanceDecay(r)
    }
    if let v = given["relative_importance"] {
      let r = try FieldReader.number(v, "axes.relative_importance")
      try NumberRule.positive.check(r, "axes.relative_importance")
      c.importance = [Array(repeating: 1, count: c.features - 1) + [r]]
    }
    do {
      try c.validate()
    } catch {
      let shown = zip(axes, values).map { "\($0.key) = \($1.shown)" }.joined(separator: ", ")
      let head = String(error.field.prefix { $0 != "[" && $0 != "." })
      let field = axes.contains { $0.key == head } ? "axes.\(error.field)" : error.field
      throw ConfigError(field: field, "\(error.message) (point \(i): \(shown))")
    }
    return SweepPoint(
      index: i,
      axes: Array(zip(axes.map(\.key), values)).map { SweepPoint.AxisValue(key: $0, value: $1) },
      config: c, seeds: seeds)
  }

  /// Which of `count` shards point `i` belongs to.
  public static func shard(ofPoint i: Int, count: Int) -> Int { i % max(1, count) }

  /// The sweep as a document object: its fields, the axes and the base run (the sweep
  /// file's format; also the header of every result file, and what its id hashes).
  public var written: JSONObject {
    var o = Self.fields.written(self)
    o["axes"] = .array(axes.map(\.written))
    var b = base
    b.instances = 1
    b.featureProbability = Array(b.featureProbability.prefix(1))
    b.importance = Array(b.importance.prefix(1))
    o["base"] = .object(RunConfig.fields.written(b))
    return o
  }

  /// The sweep's identity: 16 hex digits of a 64-bit FNV-1a hash of ``written``. Two result
  /// files belong to the same sweep exactly when their ids agree.
  public var id: String { JSONValue.object(written).fingerprintHex }
}

/// One point of a sweep: where it sits, its axis values and the configuration they make.
public struct SweepPoint: Sendable, Equatable {
  /// An axis key and the value this point gives it.
  public struct AxisValue: Sendable, Equatable {
    /// The axis key.
    public var key: String
    /// The value.
    public var value: JSONValue
  }

  /// Its number in the sweep (see ``SweepSpec``).
  public var index: Int
  /// Each axis's value.
  public var axes: [AxisValue]
  /// The configuration (one instance).
  public var config: RunConfig
  /// Models trained for it.
  public var seeds: Int

  /// The initial weight std every seed uses: the base's `init_std`, else the notebook's
  /// Xavier normal for the point's seeds trained as one batched model, √(2/(n·m + k·m)) with
  /// k = seeds, so that where the point is packed never changes its models.
  public var initStd: Double {
    config.training.initStd
      ?? libSqrt(2.0 / Double(config.features * config.hidden + seeds * config.hidden))
  }

  /// The seed and stream of seed `s`'s model: drawn from the configuration's seed and a hash
  /// of the whole configuration, so a point's models depend on its configuration alone (not
  /// on its number, its shard or its pack).
  public func modelSeed(_ s: Int) -> (seed: UInt64, stream: Int) {
    let fingerprint = JSONValue.object(RunConfig.fields.written(config)).fingerprint
    return (
      SplitMix64.streamSeed(seed: config.training.seed, instance: 0, purpose: fingerprint), s
    )
  }

  /// The configuration without what may differ between models trained in one run: each
  /// instance has its own p, importance and seed; everything else must be equal.
  public var packKey: UInt64 {
    var c = config
    c.name = ""
    c.featureProbability = []
    c.importance = []
    c.training.seed = 0
    c.training.initStd = initStd
    return JSONValue.object(RunConfig.fields.written(c)).fingerprint
  }
}

extension SweepSpec {
  /// Applies command-line values of ``fields``, given as (flag name, parsed value) pairs
  /// (the caller validates the whole sweep after adding its axes).
  public mutating func apply(flags given: [(flag: String, value: Any)]) throws(ConfigError) {
    for field in Self.fields {
      for flag in field.flags {
        for g in given where g.flag == flag.name { try flag.set(g.value, in: &self) }
      }
    }
  }

  /// The flag that sets the field a validation error names (a base-run field's flag for
  /// `base.…` and `axes.…` paths of run fields), or nil when no flag sets it.
  public static func flag(forField path: String) -> String? {
    if let f = fields.field(forPath: path)?.flags.first { return "--" + f.name }
    if path.hasPrefix("axes") { return "--axis" }
    return RunConfig.flag(forField: path)
  }
}
