import Foundation
@testable import TMSCore
@testable import TMSFiles
import Testing

/// Sweeps over any field: axes and their values, point numbering, point configurations,
/// packing that never changes a point's models, result lines read back, torn lines, merge
/// refusals, CSV and the Slurm script.
@Suite struct SweepTests {
  /// The 2→1 sweep most tests use: 3 p × 2 r, 2 seeds, 300 steps.
  static func small(seeds: Int = 2) -> SweepSpec {
    var base = RunConfig(features: 2, hidden: 1)
    base.training.steps = 300
    base.training.batchSize = 256
    return SweepSpec(
      base: base,
      axes: [
        SweepAxis(key: "feature_probability", values: .log(from: 1, to: 0.01, count: 3)),
        SweepAxis(key: "relative_importance", values: .list([.number("0.5"), .number("2")])),
      ], seeds: seeds, evalSamples: 2048)
  }

  // MARK: - Axes and points

  /// `KEY=VALUES` parses lists (numbers normalised, names as strings) and ranges.
  @Test func axisFlagsParse() throws {
    let list = try SweepAxis.parse("lr=1e-3,0.003,2")
    #expect(list.key == "lr")
    #expect(list.gridValues == [.number("0.001"), .number("0.003"), .number("2")])
    #expect(
      try SweepAxis.parse("model=linear,relu-output").gridValues == [
        .string("linear"), .string("relu-output"),
      ])
    let log = try SweepAxis.parse("feature_probability=log:1:0.01:3")
    let logValues = log.gridValues.map { (try? FieldReader.number($0, "")) ?? .nan }
    #expect(logValues.count == 3 && logValues[0] == 1 && logValues[2] == 0.01)
    #expect(abs(logValues[1] - 0.1) < 1e-15)
    let lin = try SweepAxis.parse("weight_decay=lin:0:0.1:3")
    #expect(lin.gridValues.map { try? FieldReader.number($0, "") } == [0, 0.05, 0.1])
    for bad in ["lr", "=1", "bogus=1", "lr=log:0:1:3", "lr=lin:0:1", "lr=1,,2", "lr=log:1:2:0"] {
      #expect(throws: ConfigError.self, "\(bad)") { try SweepAxis.parse(bad) }
    }
  }

  /// Grid point i has the mixed-radix digits of i, the last axis fastest; the count is the
  /// product of the sizes.
  @Test func gridNumbering() throws {
    let spec = Self.small()
    #expect(spec.pointCount == 6)
    let p = (0..<6).map { spec.values(ofPoint: $0) }
    #expect(p[0] == [.double(1), .number("0.5")])
    #expect(p[1] == [.double(1), .number("2")])
    #expect(p[2][1] == .number("0.5") && p[3][1] == .number("2"))
    #expect(p[5][0] == p[4][0] && p[4][0] != p[2][0])
    let point = try spec.point(3)
    #expect(point.config.importance == [[1, 2]])
    #expect(point.config.featureProbability[0].allSatisfy { abs($0 - 0.1) < 1e-12 })
    #expect(point.config.instances == 1)
  }

  /// Random points are the same for the same seed, differ for another, and stay in range
  /// (log-uniform draws within the ends, list draws among the values).
  @Test func randomPoints() throws {
    var spec = Self.small()
    spec.randomPoints = 50
    spec.axes[1] = SweepAxis(key: "lr", values: .log(from: 1e-4, to: 1e-2, count: 2))
    let a = (0..<50).map { spec.values(ofPoint: $0) }
    #expect(a == (0..<50).map { spec.values(ofPoint: $0) })
    let lrs = a.map { try! FieldReader.number($0[1], "") }
    #expect(lrs.allSatisfy { $0 >= 1e-4 && $0 <= 1e-2 })
    #expect(Set(lrs).count == 50)
    #expect(lrs.filter { $0 < 1e-3 }.count > 10 && lrs.filter { $0 > 1e-3 }.count > 10)
    spec.randomSeed = 1
    #expect((0..<50).map { spec.values(ofPoint: $0) } != a)
  }

  /// A features axis reshapes the base's curves (a geometric importance keeps its ratio);
  /// importance_decay and a curve object set the importance for the point's n.
  @Test func shapesAndCurves() throws {
    var base = RunConfig(features: 3, hidden: 2)
    base.setImportanceDecay(0.5)
    var spec = SweepSpec(
      base: base, axes: [SweepAxis(key: "features", values: .list([.number("3"), .number("5")]))])
    #expect(try spec.point(1).config.importance == [[1, 0.5, 0.25, 0.125, 0.0625]])
    spec.axes.append(SweepAxis(key: "importance_decay", values: .list([.number("0.9")])))
    #expect(try spec.point(1).config.importance[0].count == 5)
    #expect(abs(try spec.point(1).config.importance[0][4] - 0.6561) < 1e-12)
    spec.axes[1] = SweepAxis(
      key: "importance", values: .list([.object(JSONObject([("geometric", .number("0.7"))]))]))
    #expect(abs(try spec.point(1).config.importance[0][2] - 0.49) < 1e-12)
  }

  /// Bad sweeps are refused with the axis and the point named.
  @Test func badSweepsAreRefused() throws {
    var spec = Self.small()
    spec.axes.append(SweepAxis(key: "lr", values: .list([.number("0.001"), .number("-1")])))
    do {
      try spec.validate()
      Issue.record("a negative lr was accepted")
    } catch {
      #expect(error.field == "axes.lr")
      #expect(error.message.contains("must be a finite number > 0"))
      #expect(
        error.message.contains(
          "point 1: feature_probability = 1.0, relative_importance = 0.5, lr = -1"))
    }
    spec = Self.small()
    spec.axes.append(spec.axes[0])
    #expect(throws: ConfigError.self) { try spec.validate() }
    spec = Self.small()
    spec.axes.append(SweepAxis(key: "importance_decay", values: .list([.number("0.9")])))
    #expect(throws: ConfigError.self) { try spec.validate() }
    spec = Self.small()
    spec.axes = []
    #expect(throws: ConfigError.self) { try spec.validate() }
  }

  /// A sweep trains and scores models only: an SAE, as an axis or in the base run (a preset
  /// such as sae-intro), is refused in one line instead of being silently left untrained.
  @Test func sweepsRefuseAnSAE() throws {
    var spec = Self.small()
    spec.axes.append(SweepAxis(key: "sae", values: .list([.null])))
    do {
      try spec.validate()
      Issue.record("an sae axis was accepted")
    } catch {
      #expect(error.field == "axes.sae" && error.message.hasPrefix("unknown axis key; allowed:"))
      #expect(!error.message.contains("sae"))
    }
    spec = Self.small()
    spec.base.sae = SAEConfig(latents: 5, instances: 1)
    do {
      try spec.validate()
      Issue.record("a base run with an SAE was accepted")
    } catch {
      #expect(error.field == "sae")
      #expect(
        error.message == "a sweep trains and scores models only; train SAEs on a point with tms sae"
      )
    }
  }

  // MARK: - Training

  /// A point's models are the same alone, packed with others, in another shard and on other
  /// threads: the property that makes shards and resumed runs write the same lines.
  @Test func packingNeverChangesAPoint() throws {
    let spec = Self.small()
    let wide = try SweepRunner(spec: spec, threads: 2, packCapacity: 12)
    let packs = try wide.packs()
    #expect(packs.count == 1 && packs[0].count == 6)
    let together = try wide.train(packs[0])
    let alone = try SweepRunner(spec: spec, threads: 1, packCapacity: 2)
    #expect(try alone.packs().count == 6)
    for (i, point) in packs[0].enumerated() {
      let single = try alone.train([point])[0]
      #expect(single.seeds == together[i].seeds, "point \(point.index)")
      #expect(single.metrics.norms == together[i].metrics.norms)
      #expect(single.best == together[i].best)
    }
    // Different models: seeds differ from each other, points differ.
    #expect(together[0].seeds[0].evalLoss != together[0].seeds[1].evalLoss)
    #expect(together[0].seeds[0].evalLoss != together[1].seeds[0].evalLoss)
  }

  /// The best seed is the lowest finite loss (ties: the lower seed). The held-out loss and
  /// its standard error agree with the exact expected loss of the same weights (a sum over
  /// activity patterns, no sampling): the sampled loss is within 4 standard errors of it,
  /// plus the quadrature's own error, O(1/points²) ≈ 1e-4 of the loss at 128 points.
  @Test func bestOfSeedsAndErrors() throws {
    #expect(SweepPointResult.winner([3, 1, 1, .nan]) == 1)
    #expect(SweepPointResult.winner([.nan, 2, .infinity]) == 1)
    #expect(SweepPointResult.winner([.nan, .nan]) == 0)
    var spec = Self.small(seeds: 3)
    spec.evalSamples = 16_384
    spec.weights = true
    let results = try SweepRunner(spec: spec, threads: 2).train(
      try SweepRunner(spec: spec).packs()[0])
    for r in results {
      let losses = r.seeds.map(\.evalLoss)
      #expect(losses[r.best] == losses.min())
      let se = r.seeds[r.best].evalLossError
      let c = r.point.config
      let exact = PhaseSweep.expectedLoss(
        parameters: try #require(r.parameters), featureProbability: c.featureProbability[0],
        importance: c.importance[0], points: 128)
      #expect(se > 0)
      #expect(
        abs(losses[r.best] - exact) < 4 * se + 1e-4 * exact, "\(losses[r.best]) ± \(se) vs \(exact)"
      )
      let spread = r.seedLossSpread
      #expect(abs(spread.mean - losses.reduce(0, +) / 3) < 1e-15)
      #expect(spread.standardError > 0)
    }
  }

  // MARK: - Files

  /// A sweep written as a file reads back to the same sweep and id; a header too.
  @Test func specRoundTrips() throws {
    var spec = Self.small()
    spec.weights = true
    spec.axes.append(
      SweepAxis(key: "model", values: .list([.string("relu-output"), .string("linear")])))
    let text = SweepSpecFile.encode(spec)
    guard case .object(let o) = try JSONDocument.parse(text, file: "t") else {
      Issue.record("not an object")
      return
    }
    let back = try SweepSpecFile.read(o) { _ in RunConfig() }
    #expect(back == spec)
    #expect(back.id == spec.id)
    var other = spec
    other.seeds = 3
    #expect(other.id != spec.id)
  }

  /// Writes a result file of `spec` (shard `shard`) with every point of that shard.
  static func writeResults(
    _ spec: SweepSpec, shard: (index: Int, count: Int)?, to path: String
  ) throws {
    let writer = try SweepResultWriter(
      path: path, spec: spec, shard: shard, resume: false, force: true)
    try SweepRunner(spec: spec, shard: shard ?? (0, 1), threads: 2).run { try writer.append($0) }
  }

  /// A folder for one test's files.
  static func folder() -> String {
    let path = NSTemporaryDirectory() + "tms-sweep-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Result lines read back: every number as written; a torn last line is dropped, resume
  /// cuts it off and skips the finished points; a damaged line before others is an error.
  @Test func resultFileReadsBackAndDropsATornLine() throws {
    let dir = Self.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let spec = Self.small()
    let path = dir + "/r.jsonl"
    try Self.writeResults(spec, shard: nil, to: path)
    let r = try SweepResultFile.read(path)
    #expect(r.records.count == 6 && r.tornBytes == 0 && r.sweepID == spec.id)
    #expect(Set(r.records.map(\.point)) == Set(0..<6))
    let first = try #require(r.records.first { $0.point == 3 })
    let trained = try SweepRunner(spec: spec).train([try spec.point(3)])[0]
    #expect(first.evalLoss == trained.seeds[trained.best].evalLoss)
    #expect(first.seedLosses == trained.seeds.map(\.evalLoss))
    #expect(first.norms == trained.metrics.norms)
    #expect(try first.runConfig() == spec.point(3).config)
    // Tear the last line in half.
    var bytes = try SweepResultFile.readBytes(path)
    let full = bytes.count
    bytes.removeLast(r.lines.last!.count / 2)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let torn = try SweepResultFile.read(path)
    #expect(torn.records.count == 5 && torn.tornBytes > 0)
    let writer = try SweepResultWriter(
      path: path, spec: spec, shard: nil, resume: true, force: false)
    #expect(writer.done.count == 5 && writer.droppedBytes == torn.tornBytes)
    try SweepRunner(spec: spec).run(skipping: writer.done) { try writer.append($0) }
    let resumed = try SweepResultFile.read(path)
    #expect(resumed.records.count == 6 && resumed.tornBytes == 0)
    #expect(try SweepResultFile.readBytes(path).count == full)
    // Damage in the middle is not a torn append.
    var damaged = try SweepResultFile.readBytes(path)
    damaged[resumed.completeLength - resumed.lines.last!.count - 5] = UInt8(ascii: "}")
    try Data(damaged).write(to: URL(fileURLWithPath: path))
    #expect(throws: SweepFileError.self) { try SweepResultFile.read(path) }
  }

  /// Merge: shards give the whole sweep's bytes; another sweep's shard, a point twice, a
  /// point in the wrong shard and a missing shard are each refused with a reason.
  @Test func mergeChecksEveryPoint() throws {
    let dir = Self.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let spec = Self.small()
    try Self.writeResults(spec, shard: nil, to: dir + "/all.jsonl")
    for k in 0..<2 { try Self.writeResults(spec, shard: (k, 2), to: dir + "/s\(k).jsonl") }
    let all = try SweepResultFile.read(dir + "/all.jsonl")
    let s0 = try SweepResultFile.read(dir + "/s0.jsonl")
    let s1 = try SweepResultFile.read(dir + "/s1.jsonl")
    let whole = try SweepMerge.merge([all]).bytes
    #expect(try SweepMerge.merge([s1, s0]).bytes == whole)
    var other = spec
    other.seeds = 3
    try Self.writeResults(other, shard: (1, 2), to: dir + "/o1.jsonl")
    let o1 = try SweepResultFile.read(dir + "/o1.jsonl")
    func reason(_ inputs: [SweepResults]) -> String {
      do {
        _ = try SweepMerge.merge(inputs)
        return "merged"
      } catch { return error.description }
    }
    #expect(reason([s0, o1]).contains("from a different sweep"))
    #expect(reason([s0, o1]).hasSuffix("seeds differs (2 vs 3)"))
    #expect(reason([s0, s1, s1]).contains("is also in"))
    #expect(reason([s0]).contains("3 of 6 points missing: 1, 3, 5; run again: shard 1/2"))
    var wrong = s1
    wrong.shard = (0, 2)
    #expect(reason([wrong]).contains("belongs to shard 1/2"))
    #expect(try SweepMerge.merge([s0], allowMissing: true).missing == [1, 3, 5])
    #expect(SweepMerge.ranges([0, 1, 2, 5, 7, 8]) == "0–2, 5, 7–8")
  }

  /// CSV: a row per point in order, lists joined by `;`, names and objects quoted.
  @Test func csvRows() throws {
    let dir = Self.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.writeResults(Self.small(), shard: (1, 2), to: dir + "/s.jsonl")
    let csv = try SweepResultFile.read(dir + "/s.jsonl").csv()
    let rows = csv.split(separator: "\n")
    #expect(rows.count == 4)
    #expect(rows[0].hasPrefix("point,feature_probability,relative_importance,seeds,best_seed"))
    #expect(rows[1].hasPrefix("1,1.0,2,2,"))
    #expect(rows[3].hasPrefix("5,"))
    #expect(SweepResults.cell(.string("a, b")) == "\"a, b\"")
    #expect(
      SweepResults.cell(.object(JSONObject([("geometric", .number("0.7"))])))
        == "\"{\"\"geometric\"\": 0.7}\"")
    #expect(SweepResults.cell(.null) == "")
  }

  /// The results view's table: grid points at their axis positions (in the axes' order),
  /// a random sweep's range axis cut into bins whose cells average their points.
  @Test func tableArrangesPoints() throws {
    let dir = Self.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let spec = Self.small()
    try Self.writeResults(spec, shard: (0, 2), to: dir + "/g.jsonl")
    let grid = try SweepResultFile.read(dir + "/g.jsonl")
    let table = SweepTable(spec: spec, sweepID: grid.sweepID, records: grid.records)
    #expect(table.shape == [3, 2] && table.total == 6 && table.records.count == 3)
    #expect(table.axes[0].labels == ["1", "0.1", "0.01"] && table.axes[1].labels == ["0.5", "2"])
    // Shard 0 of 2 holds points 0, 2, 4: p index 0, 1, 2 at r index 0.
    for row in 0..<3 {
      #expect(table.records(at: [row, 0]).map(\.point) == [2 * row])
      #expect(table.records(at: [row, 1]).isEmpty)
    }
    let r2 = try #require(grid.records.first { $0.point == 2 })
    #expect(table.value(.loss, at: [1, 0]) == r2.evalLoss)
    #expect(table.value(.represented, at: [1, 1]) == nil)
    // Random points over a log range: 12 bins; a cell's value is the mean of its points.
    var random = Self.small(seeds: 1)
    random.randomPoints = 30
    random.axes = [SweepAxis(key: "lr", values: .log(from: 1e-3, to: 1e-1, count: 2))]
    random.base.training.steps = 50
    try Self.writeResults(random, shard: nil, to: dir + "/r.jsonl")
    let drawn = try SweepResultFile.read(dir + "/r.jsonl")
    let bins = SweepTable(spec: random, sweepID: drawn.sweepID, records: drawn.records)
    #expect(bins.shape == [SweepTable.rangeBins])
    var counted = 0
    for b in 0..<SweepTable.rangeBins {
      let here = bins.records(at: [b])
      counted += here.count
      for r in here {
        let lr = try FieldReader.number(try #require(r.axes["lr"]), "lr")
        let t = log10(lr / 1e-3) / 2 * Double(SweepTable.rangeBins)
        #expect(Int(t) == b || (b == SweepTable.rangeBins - 1 && Int(t) == b + 1))
      }
      if !here.isEmpty {
        let mean = here.map(\.evalLoss).reduce(0, +) / Double(here.count)
        #expect(abs(try #require(bins.value(.loss, at: [b])) - mean) <= 1e-15 * mean)
      }
    }
    #expect(counted == 30)
  }

  /// The Slurm script: the array, its resources, the merge after it, quoted paths.
  @Test func slurmScript() {
    let s = SlurmScript(
      executable: "/opt/tms's/tms", sweepFile: "/d/sweep.json", folder: "/d", shards: 8,
      cpusPerTask: 4, memory: "2G", time: "01:00:00", partition: "short", account: nil,
      jobName: "tms-sweep-x")
    let text = s.text
    for line in [
      "#SBATCH --array=0-7", "#SBATCH --cpus-per-task=4", "#SBATCH --mem=2G",
      "#SBATCH --time=01:00:00", "#SBATCH --partition=short",
      "#SBATCH --output=/d/logs/shard-%a.out",
      "TMS='/opt/tms'\\''s/tms'", "SHARDS=8",
    ] {
      #expect(text.contains(line + "\n"), "\(line)")
    }
    #expect(!text.contains("--account"))
    #expect(text.contains("--dependency=afterok:\"$array\""))
    #expect(text.contains("--shard \"$SLURM_ARRAY_TASK_ID/$SHARDS\""))
  }
}
