import Foundation
import Testing
import TMSCore
import TMSFiles
import TMSKernels

/// Configuration validation, curves and the strict preset loader.
@Suite struct ConfigTests {
  @Test func curves() {
    let sweep = Curve.logSpaced(20, count: 10)
    #expect(sweep.first == 1)
    #expect(abs(sweep.last! - 0.05) < 1e-12)
    #expect(abs(Curve.geometric(0.9, count: 3)[2] - 0.81) < 1e-12)
    let range = Curve.logRange(from: 1, to: 0.05, count: 10)
    for (a, b) in zip(sweep, range) { #expect(abs(a - b) < 1e-12) }
  }

  @Test func introMatchesTheNotebook() {
    let c = RunConfig.intro()
    #expect(c.features == 5 && c.hidden == 2 && c.instances == 10)
    #expect(abs(c.effectiveInitStd - (2.0 / (5 * 2 + 10 * 2)).squareRoot()) < 1e-12)
    #expect(
      c.training.batchSize == 1024 && c.training.learningRate == 1e-3
        && c.training.weightDecay == 0.01)
  }

  static let invalidEdits: [String: @Sendable (inout RunConfig) -> Void] = [
    "features": { $0.features = 0 },
    "hidden": { $0.hidden = -1 },
    "feature_probability[2][1]": { $0.featureProbability[2][1] = 1.5 },
    "feature_probability[0][0]": { $0.featureProbability[0][0] = .nan },
    "lr": { $0.training.learningRate = .infinity },
    "batch_size": { $0.training.batchSize = 0 },
    "importance[0]": { $0.importance[0] = [1] },
  ]

  @Test(arguments: [
    "features", "hidden", "feature_probability[2][1]", "feature_probability[0][0]", "lr",
    "batch_size", "importance[0]",
  ])
  func invalidFieldsAreNamed(field: String) throws {
    var c = RunConfig.intro()
    let edit = try #require(Self.invalidEdits[field])
    edit(&c)
    do {
      try c.validate()
      Issue.record("expected \(field) to be rejected")
    } catch {
      #expect(error.field == field)
    }
  }

  @Test func conformShapesKeepsCurves() {
    var c = RunConfig.intro()
    c.features = 7
    c.conformShapes()
    #expect(c.importance[0].count == 7)
    #expect(abs(c.importance[0][6] - pow(0.9, 6)) < 1e-9)
    #expect(c.featureProbability[9].count == 7)
    #expect(throws: Never.self) { try c.validate() }
  }

  func parse(_ json: String) throws(PresetError) -> Preset {
    try Preset.parse(bytes: Array(json.utf8), file: "test.json", views: nil)
  }

  @Test func presetCompactForms() throws {
    let p = try parse(
      """
      {"name": "x", "description": "d", "model": "relu-hidden", "features": 4, "hidden": 2,
       "instances": 3, "importance": {"geometric": 0.5},
       "feature_probability": {"sweep": [1, 0.01]}, "lr": 0.002, "schedule": "cosine",
       "groups": [{"kind": "anticorrelated", "features": [0, 1]}]}
      """)
    #expect(p.config.model == .reluHidden)
    #expect(p.config.importance[2] == [1, 0.5, 0.25, 0.125])
    #expect(abs(p.config.featureProbability[2][0] - 0.01) < 1e-12)
    #expect(p.config.training.schedule == .cosine)
    #expect(p.config.groups == [FeatureGroup(kind: .anticorrelated, features: [0, 1])])
  }

  @Test(arguments: [
    (#"{"featurs": 5}"#, "featurs", "unknown key"),
    (#"{"features": "five"}"#, "features", #"must be an integer in 1…4096, got "five""#),
    (#"{"features": true}"#, "features", "must be an integer in 1…4096, got true"),
    (#"{"features": 2.5}"#, "features", "integer"),
    (#"{"model": "sigmoid"}"#, "model", "must be one of linear, relu-output"),
    (#"{"feature_probability": 2}"#, "feature_probability[0][0]", "[0, 1]"),
    (#"{"importance": {"cubic": 2}}"#, "importance.cubic", "unknown curve"),
    (#"{"features": 3, "importance": [1, 2]}"#, "importance", "one value per feature"),
    (
      #"{"groups": [{"kind": "paired", "features": [0, 1]}]}"#, "groups[0].kind",
      "must be one of correlated, anticorrelated; got 'paired'"
    ),
    (#"[1, 2]"#, "", "JSON object"),
    (#"{"features": 5"#, "", "not valid JSON"),
  ])
  func presetErrorsNameTheKey(json: String, path: String, fragment: String) {
    do {
      _ = try parse(json)
      Issue.record("expected an error for \(json)")
    } catch {
      #expect(error.path == path, "\(error)")
      #expect(error.message.contains(fragment), "\(error)")
      #expect(error.description.hasPrefix("test.json: "))
    }
  }

  @Test func lossHistoryStaysBounded() {
    var h = LossHistory(capacity: 8)
    for s in 0..<1000 { h.record(step: s, losses: [Double(s)]) }
    #expect(h.steps.count <= 8)
    #expect(h.steps.first == 0)
    #expect(h.steps.last! > 800)
  }
}
