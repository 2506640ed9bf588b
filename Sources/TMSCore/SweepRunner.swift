/// Trains the points of a sweep (or of one shard of it), packing points of the same shape
/// into one ``Run``.
///
/// Packing: points whose configurations differ only in feature probability, importance and
/// seed (``SweepPoint/packKey``) are trained as the instances of one run, `seeds` instances
/// per point, each with the seed and stream of ``SweepPoint/modelSeed(_:)``. A run hands
/// whole instances to its worker threads and every instance owns its random streams, so a
/// point's models are bit-identical whatever the pack, the shard, the thread count and the
/// points already done: a resumed or sharded sweep writes the same lines as one run alone.
/// A pack holds at most ``packCapacity`` models, so finished points reach the result file
/// steadily and memory stays bounded.
public struct SweepRunner: Sendable {
  /// The sweep.
  public let spec: SweepSpec
  /// Which shard (0-based) of how many this runner trains.
  public let shard: (index: Int, count: Int)
  /// Worker threads per pack.
  public let threads: Int
  /// Most models (points × seeds) trained together.
  public let packCapacity: Int

  /// A runner for shard `shard` of `spec` (validated) on `threads` threads.
  public init(
    spec: SweepSpec, shard: (index: Int, count: Int) = (0, 1), threads: Int = 1,
    packCapacity: Int = 96
  ) throws(ConfigError) {
    try spec.validate()
    guard shard.count >= 1, shard.count <= SweepSpec.maxPoints else {
      throw ConfigError(
        field: "--shard", "N must be in 1…\(SweepSpec.maxPoints), got \(shard.count)")
    }
    guard shard.index >= 0, shard.index < shard.count else {
      throw ConfigError(
        field: "--shard",
        "K must be in 0…\(shard.count - 1) for N = \(shard.count), got \(shard.index)")
    }
    self.spec = spec
    self.shard = shard
    self.threads = max(1, threads)
    self.packCapacity = max(1, packCapacity)
  }

  /// The points of this shard, in index order.
  public var pointIndexes: [Int] {
    Array(stride(from: shard.index, to: spec.pointCount, by: shard.count))
  }

  /// The packs this shard trains, leaving out the points in `done`: points grouped by
  /// ``SweepPoint/packKey`` in order of their first point, each group cut into packs of at
  /// most ``packCapacity`` models.
  public func packs(skipping done: Set<Int> = []) throws(ConfigError) -> [[SweepPoint]] {
    var groups: [UInt64: Int] = [:]
    var ordered: [[SweepPoint]] = []
    for i in pointIndexes where !done.contains(i) {
      let p = try spec.point(i)
      let key = p.packKey
      if let g = groups[key] {
        ordered[g].append(p)
      } else {
        groups[key] = ordered.count
        ordered.append([p])
      }
    }
    let perPack = max(1, packCapacity / spec.seeds)
    var out: [[SweepPoint]] = []
    for group in ordered {
      var start = 0
      while start < group.count {
        out.append(Array(group[start..<min(group.count, start + perPack)]))
        start += perPack
      }
    }
    return out
  }

  /// Trains every point of this shard not in `done` and hands each result to `record`, on
  /// the calling thread, in point order within each pack, as soon as its pack finishes, then
  /// calls `packDone` (where a result file is synced to disk). An error thrown by either (a
  /// full disk) stops the sweep and is rethrown.
  public func run(
    skipping done: Set<Int> = [], record: (SweepPointResult) throws -> Void,
    packDone: () throws -> Void = {}
  ) throws {
    for pack in try packs(skipping: done) {
      for result in try train(pack) { try record(result) }
      try packDone()
    }
  }

  /// Trains one pack to the end and summarises its points.
  public func train(_ pack: [SweepPoint]) throws(ConfigError) -> [SweepPointResult] {
    guard let first = pack.first else { return [] }
    let k = spec.seeds
    var c = first.config
    c.name = "sweep-pack"
    c.instances = pack.count * k
    c.featureProbability = pack.flatMap { p in
      Array(repeating: p.config.featureProbability[0], count: k)
    }
    c.importance = pack.flatMap { p in Array(repeating: p.config.importance[0], count: k) }
    c.training.initStd = first.initStd
    let seeds = pack.flatMap { p in (0..<k).map { p.modelSeed($0) } }
    let run = try Run(config: c, threads: threads, seeds: seeds)
    run.train(steps: c.training.steps)
    let evaluation = run.evaluateWithError(samples: spec.evalSamples)
    let divergence = run.engines.map(\.divergence)
    var out: [SweepPointResult] = []
    for (j, point) in pack.enumerated() {
      var seedResults: [SweepPointResult.Seed] = []
      var metrics: [InstanceMetrics] = []
      for s in 0..<k {
        let instance = j * k + s
        let m = run.metrics(instance: instance, evalLoss: evaluation[instance].mean)
        metrics.append(m)
        seedResults.append(
          SweepPointResult.Seed(
            evalLoss: evaluation[instance].mean, evalLossError: evaluation[instance].standardError,
            represented: m.represented, dimensionsPerFeature: m.dimensionsPerFeature,
            geometry: m.geometry.text, diverged: divergence[instance]))
      }
      let best = SweepPointResult.winner(seedResults.map(\.evalLoss))
      out.append(
        SweepPointResult(
          point: point, seeds: seedResults, best: best, metrics: metrics[best],
          parameters: spec.weights ? run.parameters(instance: j * k + best) : nil))
    }
    return out
  }
}
