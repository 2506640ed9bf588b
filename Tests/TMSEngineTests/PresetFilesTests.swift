import Foundation
import Testing
import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles

/// The preset files the project ships (`presets/`) and the loader's fixture files
/// (`Fixtures/presets-valid`, `Fixtures/presets-invalid`), read from paths relative to this
/// source file because the test target has no resources.
@Suite struct PresetFilesTests {
  /// This file's folder, `Tests/TMSEngineTests`.
  static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  /// The repository's `presets/` folder.
  static let presetsFolder = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("presets")
  /// Fixture files that must load.
  static let validFolder = testsFolder.appendingPathComponent("Fixtures/presets-valid")
  /// Fixture files that must fail, each with a sibling `.expected` error fragment.
  static let invalidFolder = testsFolder.appendingPathComponent("Fixtures/presets-invalid")

  /// The experiments of paper-notes §6, one preset each, and the sparse autoencoders of §8
  /// (the teaching setup, an overcomplete dictionary, a λ sweep), and the basic results'
  /// two models side by side for the explorer's compare view.
  static let experiments: Set<String> = [
    "intro", "basic-relu", "basic-linear", "larger", "varying-sparsity", "phase-2-1",
    "phase-3-2", "dimensionality", "non-uniform", "correlated", "anticorrelated", "collapse",
    "privileged-basis", "computation-abs", "learning-dynamics", "adversarial", "sae-intro",
    "sae-overcomplete", "sae-l1-sweep", "linear-vs-relu",
  ]

  /// Names of the files in `folder` ending in `suffix`, sorted.
  static func files(in folder: URL, ending suffix: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(suffix) }.sorted()
  }

  static let shipped = files(in: presetsFolder, ending: ".json")
  static let valid = files(in: validFolder, ending: ".json")
  static let invalid = files(in: invalidFolder, ending: ".json")

  // MARK: - Shipped presets

  /// Every experiment of the paper has a preset file and there are no strays, so the
  /// parameterised tests below cannot pass by finding no files.
  @Test func everyExperimentHasAPreset() {
    let names = Set(Self.shipped.map { String($0.dropLast(5)) })
    #expect(names == Self.experiments, "presets/ holds \(names.sorted())")
  }

  /// A shipped preset loads and validates, is named after its file (`tms presets` lists
  /// the name), and says in one line what it is and what the paper found.
  @Test(arguments: shipped)
  func shippedPresetLoads(file: String) throws {
    let path = Self.presetsFolder.appendingPathComponent(file).path
    let preset = try Preset.load(path: path, views: nil)
    try preset.config.validate()
    #expect(preset.config.name == String(file.dropLast(5)))
    #expect(!preset.description.trimmingCharacters(in: .whitespaces).isEmpty)
    #expect(!preset.description.contains("\n"), "description must be one line")
    #expect(!preset.expect.trimmingCharacters(in: .whitespaces).isEmpty)
    #expect(preset.source == path)
  }

  /// A shipped preset runs at least the notebook's 10,000 steps.
  @Test(arguments: shipped)
  func shippedPresetTrainsLongEnough(file: String) throws {
    let preset = try Preset.load(
      path: Self.presetsFolder.appendingPathComponent(file).path, views: nil)
    #expect(
      preset.config.training.steps >= 10_000, "\(file): \(preset.config.training.steps) steps")
  }

  /// A shipped preset trains a few steps without diverging and gives a finite, non-negative
  /// held-out loss for every instance (large configurations with a smaller batch, for speed).
  @Test(arguments: shipped)
  func shippedPresetTrains(file: String) throws {
    var config = try Preset.load(
      path: Self.presetsFolder.appendingPathComponent(file).path, views: nil
    ).config
    if config.features * config.hidden * config.instances > 2_000 {
      config.training.batchSize = min(config.training.batchSize, 64)
    }
    let run = try Run(config: config, threads: 2)
    #expect(run.train(steps: 5), "\(file) diverged: \(String(describing: run.divergence))")
    #expect(run.step == 5)
    let losses = run.evaluate(samples: 256)
    #expect(losses.count == config.instances)
    for (k, loss) in losses.enumerated() {
      #expect(loss.isFinite && loss >= 0, "\(file) instance \(k): loss \(loss)")
    }
  }

  // MARK: - Valid fixtures

  /// There are valid fixtures to check.
  @Test func validFixturesExist() {
    #expect(Self.valid.count >= 5, "found \(Self.valid)")
  }

  /// A valid fixture loads, validates and builds a run.
  @Test(arguments: valid)
  func validFixtureLoads(file: String) throws {
    let preset = try Preset.load(
      path: Self.validFolder.appendingPathComponent(file).path, views: nil)
    try preset.config.validate()
    _ = try Run(config: preset.config)
  }

  /// Every key the loader knows reaches the configuration, each set away from its default.
  @Test func everyFieldIsRead() throws {
    let p = try Preset.load(
      path: Self.validFolder.appendingPathComponent("every-field.json").path, views: nil)
    let c = p.config
    #expect(
      c.name == "every-field" && p.view == "neurons" && p.expect == "loads with each value kept")
    #expect(c.model == .reluHidden && c.features == 4 && c.hidden == 3 && c.instances == 2)
    #expect(c.importance == [[1, 0.5, 0.25, 0.125], [1, 0.5, 0.25, 0.125]])
    #expect(c.featureProbability == [[0.5, 0.5, 0.5, 0.5], [0.25, 0.25, 0.25, 0.25]])
    #expect(c.groups == [FeatureGroup(kind: .anticorrelated, features: [2, 3])])
    #expect(
      c.training.batchSize == 64 && c.training.learningRate == 0.002 && c.training.beta1 == 0.8
        && c.training.beta2 == 0.99)
    #expect(
      c.training.epsilon == 1e-7 && c.training.weightDecay == 0 && c.training.schedule == .cosine)
    #expect(c.training.steps == 123 && c.training.seed == 7 && c.training.initStd == 0.1)
  }

  /// Lists of lists give each instance its own curve, row by row.
  @Test func kListsArePerInstance() throws {
    let c = try Preset.load(
      path: Self.validFolder.appendingPathComponent("k-lists.json").path, views: nil
    )
    .config
    #expect(c.importance == [[1, 0.5, 0.25], [1, 1, 1]])
    #expect(c.featureProbability == [[1, 0.5, 0.1], [0.05, 0.05, 0.5]])
  }

  /// `log_spaced` runs from 1 to 1/a across features; `sweep` from high to low across
  /// instances, evenly in log space.
  @Test func compactCurvesExpand() throws {
    let c = try Preset.load(
      path: Self.validFolder.appendingPathComponent("compact-curves.json").path, views: nil
    ).config
    let expectedImportance = [1, pow(100, -1.0 / 3), pow(100, -2.0 / 3), 0.01]
    for (a, b) in zip(c.importance[2], expectedImportance) { #expect(abs(a - b) < 1e-12) }
    let expectedP = [1, 0.1, 0.01]
    for k in 0..<3 {
      #expect(c.featureProbability[k].allSatisfy { abs($0 - expectedP[k]) < 1e-12 }, "row \(k)")
    }
  }

  /// The `phase` object becomes the grid, with the preset's optimiser, steps and seed.
  @Test func phaseGridIsRead() throws {
    let p = try Preset.load(
      path: Self.validFolder.appendingPathComponent("phase-grid.json").path, views: nil)
    let g = try #require(p.phase)
    #expect(g.features == 3 && g.grid == 5 && g.seeds == 2)
    #expect(g.probabilityMax == 0.5 && g.probabilityMin == 0.05)
    #expect(g.importanceMin == 0.2 && g.importanceMax == 5)
    #expect(g.training.steps == 500 && g.training.seed == 4 && g.training.learningRate == 0.002)
  }

  /// The shipped phase presets stand for the paper's grids (20×20 over r = 0.1…10 and
  /// p = 1…0.01, best of 3 seeds) and open the phase view; no other preset has a grid.
  @Test(arguments: shipped)
  func phasePresetsHaveTheirGrid(file: String) throws {
    let p = try Preset.load(path: Self.presetsFolder.appendingPathComponent(file).path, views: nil)
    guard file.hasPrefix("phase-") else {
      #expect(p.phase == nil)
      return
    }
    let g = try #require(p.phase, "\(file) has no phase grid")
    #expect(p.view == "phase")
    #expect(g.features == p.config.features && g.grid == 20 && g.seeds == 3)
    #expect(g.probabilityMax == 1 && g.probabilityMin == 0.01)
    #expect(g.importanceMin == 0.1 && g.importanceMax == 10)
    #expect(g.training.steps == p.config.training.steps)
  }

  /// The paper's first comparison opens two runs: its own (relu-output, the basic results'
  /// configuration) and, beside it, the same run with the linear model; only the model
  /// differs. No other shipped preset has a second run.
  @Test(arguments: shipped)
  func comparePresetsHaveTheirSecondRun(file: String) throws {
    let p = try Preset.load(path: Self.presetsFolder.appendingPathComponent(file).path, views: nil)
    guard file == "linear-vs-relu.json" else {
      #expect(p.compare == nil)
      return
    }
    let basic = try Preset.load(
      path: Self.presetsFolder.appendingPathComponent("basic-relu.json").path, views: nil)
    let second = try #require(try p.compareConfig(for: p.config))
    #expect(p.view == "compare")
    #expect(p.config.model == .reluOutput && second.model == .linear)
    #expect(second.differingFields(from: p.config) == ["model"])
    var first = p.config
    first.name = basic.config.name
    #expect(first == basic.config, "the first run is basic-relu's")
  }

  // MARK: - Invalid fixtures

  /// There are enough invalid fixtures, and every one has its `.expected` file (and every
  /// `.expected` file its fixture).
  @Test func invalidFixturesArePaired() {
    #expect(Self.invalid.count >= 8, "found \(Self.invalid)")
    let stems = Set(Self.invalid.map { String($0.dropLast(5)) })
    let expected = Set(
      Self.files(in: Self.invalidFolder, ending: ".expected").map {
        String($0.dropLast(9))
      })
    let unpaired = stems.symmetricDifference(expected).sorted()
    #expect(
      unpaired.isEmpty, "fixtures without .expected or .expected without fixture: \(unpaired)")
  }

  /// An invalid fixture is rejected with an error that starts with the file and contains the
  /// key path and message from its `.expected` file.
  @Test(arguments: invalid)
  func invalidFixtureIsRejected(file: String) throws {
    let path = Self.invalidFolder.appendingPathComponent(file).path
    let expectedPath = String(path.dropLast(5)) + ".expected"
    let fragment = try String(contentsOfFile: expectedPath, encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try #require(!fragment.isEmpty, "\(expectedPath) is empty")
    do {
      let preset = try Preset.load(path: path, views: nil)
      Issue.record("\(file) loaded but should fail with '\(fragment)': \(preset.config)")
    } catch {
      #expect(error.file == path)
      #expect(error.description.hasPrefix(path + ": "), "\(error)")
      #expect(error.description.contains(fragment), "\(error) does not contain '\(fragment)'")
      #expect(!error.description.contains("\n"), "errors are one line: \(error)")
    }
  }

  /// A missing file is an error naming the file, not a crash.
  @Test func missingFileIsAnError() {
    let path = Self.invalidFolder.appendingPathComponent("does-not-exist.json").path
    #expect(throws: PresetError(file: path, path: "", message: "no such file")) {
      try Preset.load(path: path, views: nil)
    }
  }

  // MARK: - Group indexes

  /// Group feature indexes must be whole numbers: 0.5 is not silently read as feature 0, nor
  /// 1e30 as garbage; the error names the element.
  @Test(arguments: [#"[0.5, 1]"#, #"[1e30, 1]"#, #"[-1, 1]"#])
  func nonIntegerGroupIndexIsRejected(indexes: String) {
    let json =
      #"{"features": 4, "groups": [{"kind": "correlated", "features": "#
      + indexes + "}]}"
    do throws(PresetError) {
      let p = try Preset.parse(bytes: Array(json.utf8), file: "test.json", views: nil)
      Issue.record("accepted \(indexes) as \(p.config.groups)")
    } catch {
      #expect(error.path == "groups[0].features[0]", "\(error)")
      #expect(error.message.contains("must be an integer"), "\(error)")
      #expect(!error.message.contains("-9223372036854775808"), "\(error)")
    }
  }

  /// The copies compiled into the binary are the shipped files, byte for byte (regenerate
  /// them with scripts/embed-presets.py), and each parses to the same preset.
  @Test func builtinCopiesMatchTheFiles() throws {
    #expect(PresetLibrary.builtinNames == Self.shipped.map { String($0.dropLast(5)) })
    for file in Self.shipped {
      let name = String(file.dropLast(5))
      let text = try String(
        contentsOf: Self.presetsFolder.appendingPathComponent(file), encoding: .utf8)
      #expect(PresetLibrary.builtinText(named: name) == text, "\(file) differs from its copy")
      let builtin = try #require(try PresetLibrary(views: nil).builtin(named: name))
      let loaded = try Preset.load(
        path: Self.presetsFolder.appendingPathComponent(file).path, views: nil)
      #expect(builtin.config == loaded.config && builtin.view == loaded.view)
    }
  }
}
