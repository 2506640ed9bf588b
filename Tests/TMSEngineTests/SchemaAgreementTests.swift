import Foundation
import TMSCore
import TMSFiles
import Testing

/// One schema: `tms train --json` (a ``RunReport``) and a snapshot of the same run spell
/// every key they share the same way and hold the same value under it.
@Suite struct SchemaAgreementTests {
  /// Every leaf of a JSON document by its path (`instances[0].metrics.norms[2]`).
  static func leaves(_ v: JSONValue, _ path: String = "", into out: inout [String: JSONValue]) {
    switch v {
    case .object(let o):
      for key in o.keys {
        leaves(o[key]!, path.isEmpty ? key : "\(path).\(key)", into: &out)
      }
    case .array(let items):
      for (i, item) in items.enumerated() { leaves(item, "\(path)[\(i)]", into: &out) }
    default: out[path] = v
    }
  }

  static func parse(_ bytes: [UInt8]) throws -> [String: JSONValue] {
    var out: [String: JSONValue] = [:]
    leaves(try JSONDocument.parse(bytes, file: "memory"), into: &out)
    return out
  }

  @Test(arguments: ["intro", "abs", "privileged"])
  func reportAndSnapshotAgree(_ name: String) throws {
    let config = SnapshotConfigs.named(name)
    let run = try Run(config: config, threads: 2)
    run.train(steps: 50)
    let report = RunReport.make(run: run, seconds: 1, stepsTaken: 50, evalSamples: 2048)
    let snapshot = run.snapshot(
      evalLoss: report.instances.map(\.metrics.evalLoss),
      evalLossError: report.instances.map(\.metrics.evalLossError))
    let a = try Self.parse(report.json())
    let b = try Self.parse(try snapshot.encoded())
    let shared = Set(a.keys).intersection(b.keys)
    // What both must hold: the configuration, and per instance the weights, every metric
    // and the geometry label with its groups.
    let abs = config.model == .abs
    for path in [
      "loss_convention", "config.lr", "config.feature_probability[0][0]", "config.seed",
      "instances[0].parameters.\(abs ? "W1" : "W")[0][0]", "instances[0].parameters.b[0]",
      "instances[0].metrics.eval_loss", "instances[0].metrics.eval_loss_se",
      "instances[0].metrics.eval_loss_paper", "instances[0].metrics.eval_loss_paper_se",
      "instances[0].metrics.norms[0]", "instances[0].metrics.dimensionality[0]",
      "instances[0].metrics.attack_gain_bound", "instances[0].metrics.represented",
      "instances[0].geometry.text", "instances[0].geometry.groups[0].tight_frame",
    ] {
      #expect(shared.contains(path), "\(path) is not in both documents")
    }
    if abs { #expect(shared.contains("instances[0].parameters.W2[0][0]")) }
    for path in shared.sorted() {
      #expect(a[path] == b[path], "\(path): report \(a[path]!) vs snapshot \(b[path]!)")
    }
    // Values JSON has no number for are null in both, never "nan" strings.
    #expect(!a.values.contains { if case .string(let s) = $0 { s == "nan" } else { false } })
  }
}
