import Foundation
import Testing
import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles

/// Bit-for-bit comparison of snapshots (NaN-aware: NaN losses before the first step must
/// come back as NaN with the same bits).
enum SnapshotCompare {
  static func bits(_ a: [[Float]]?) -> [[UInt32]]? { a.map { $0.map { $0.map(\.bitPattern) } } }
  static func bits(_ a: [Float]) -> [UInt32] { a.map(\.bitPattern) }
  static func bits(_ a: [Double]) -> [UInt64] { a.map(\.bitPattern) }

  /// Every field that defines the state, compared as bit patterns; `metrics` too, as they
  /// must be recomputed identically.
  static func expectIdentical(
    _ a: Snapshot, _ b: Snapshot, created: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(a.config == b.config, "config", sourceLocation: sourceLocation)
    #expect(a.step == b.step, "step", sourceLocation: sourceLocation)
    if created { #expect(a.created == b.created, sourceLocation: sourceLocation) }
    #expect(a.instances.count == b.instances.count, sourceLocation: sourceLocation)
    for (k, (x, y)) in zip(a.instances, b.instances).enumerated() {
      expectIdentical(x, y, instance: k, sourceLocation: sourceLocation)
    }
    #expect(a.lossHistory.steps == b.lossHistory.steps, sourceLocation: sourceLocation)
    #expect(
      a.lossHistory.loss.map(bits) == b.lossHistory.loss.map(bits), "loss history",
      sourceLocation: sourceLocation)
    #expect(a.lossHistory.capacity == b.lossHistory.capacity, sourceLocation: sourceLocation)
    #expect(a.lossHistory.stride == b.lossHistory.stride, sourceLocation: sourceLocation)
  }

  static func expectIdentical(
    _ x: Snapshot.InstanceState, _ y: Snapshot.InstanceState, instance k: Int,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(
      bits(x.parameters.W) == bits(y.parameters.W), "W of \(k)", sourceLocation: sourceLocation)
    #expect(
      bits(x.parameters.W2) == bits(y.parameters.W2), "W2 of \(k)", sourceLocation: sourceLocation)
    #expect(
      bits(x.parameters.b) == bits(y.parameters.b), "b of \(k)", sourceLocation: sourceLocation)
    let (o, p) = (x.optimizer, y.optimizer)
    #expect(o.step == p.step, "adam step of \(k)", sourceLocation: sourceLocation)
    #expect(
      bits(o.mW) == bits(p.mW) && bits(o.vW) == bits(p.vW), "moments of \(k)",
      sourceLocation: sourceLocation)
    #expect(
      bits(o.mW2) == bits(p.mW2) && bits(o.vW2) == bits(p.vW2), "W2 moments of \(k)",
      sourceLocation: sourceLocation)
    #expect(
      bits(o.mb) == bits(p.mb) && bits(o.vb) == bits(p.vb), "b moments of \(k)",
      sourceLocation: sourceLocation)
    #expect(x.random == y.random, "random streams of \(k)", sourceLocation: sourceLocation)
    #expect(
      x.trainLossEMA.bitPattern == y.trainLossEMA.bitPattern, "loss EMA of \(k)",
      sourceLocation: sourceLocation)
    #expect(
      x.lastTrainLoss.bitPattern == y.lastTrainLoss.bitPattern, "last loss of \(k)",
      sourceLocation: sourceLocation)
    #expect(x.divergence == y.divergence, sourceLocation: sourceLocation)
    let (m, n) = (x.metrics, y.metrics)
    #expect(bits(m.gram) == bits(n.gram), "gram of \(k)", sourceLocation: sourceLocation)
    #expect(
      bits(m.norms) == bits(n.norms) && bits(m.superposition) == bits(n.superposition),
      sourceLocation: sourceLocation)
    #expect(bits(m.dimensionality) == bits(n.dimensionality), sourceLocation: sourceLocation)
    #expect(
      m.evalLoss.bitPattern == n.evalLoss.bitPattern, "eval loss of \(k)",
      sourceLocation: sourceLocation)
    #expect(
      m.evalLossError.bitPattern == n.evalLossError.bitPattern, "eval loss error of \(k)",
      sourceLocation: sourceLocation)
    #expect(m.geometry == n.geometry, sourceLocation: sourceLocation)
  }

  /// A fixed creation date so encodings can be compared byte for byte.
  static let date = Date(timeIntervalSince1970: 1_700_000_000)
}

/// The configurations the snapshot tests cover: every model, groups, both kernels, a
/// schedule with a horizon.
enum SnapshotConfigs {
  /// The names, as test arguments (short in test output).
  static let names = ["intro", "linear", "privileged", "abs", "correlated", "large"]

  static func named(_ name: String) -> RunConfig { all().first { $0.name == name }! }

  static func all() -> [RunConfig] {
    var intro = RunConfig.intro()
    intro.instances = 4
    intro.conformShapes()
    intro.training.schedule = .cosine
    intro.training.steps = 400
    var linear = RunConfig(name: "linear", model: .linear, features: 6, hidden: 3, instances: 2)
    linear.setImportanceDecay(0.8)
    var hidden = RunConfig(
      name: "privileged", model: .reluHidden, features: 10, hidden: 5, instances: 2,
      training: TrainingSettings(seed: 7))
    hidden.setProbabilitySweep(from: 0.75, to: 0.1)
    var abs = RunConfig(
      name: "abs", model: .abs, features: 12, hidden: 6, instances: 2,
      training: TrainingSettings(seed: 3))
    abs.setUniformProbability(0.3)
    var groups = RunConfig(
      name: "correlated", features: 6, hidden: 2, instances: 2, training: TrainingSettings(seed: 11)
    )
    groups.setUniformProbability(0.1)
    groups.groups = FeatureGroup.consecutive(.correlated, count: 2, size: 2)
    var large = RunConfig(
      name: "large", features: 40, hidden: 10, instances: 3,
      training: TrainingSettings(batchSize: 100))
    large.setProbabilitySweep(from: 1, to: 0.05)
    large.groups = [FeatureGroup(kind: .anticorrelated, features: [0, 1, 2])]
    return [intro, linear, hidden, abs, groups, large]
  }
}

/// A scratch folder removed at the end of the test.
final class TemporaryFolder {
  let path: String
  init() {
    path = NSTemporaryDirectory() + "tms-snap-\(getpid())-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }
  func file(_ name: String) -> String { path + "/" + name }
  var contents: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
  }
}
