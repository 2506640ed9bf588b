import ArgumentParser
import TMSCore
import Testing

@testable import tms

/// The command line's configuration flags are the field tables' flags, one option each, of
/// the type the table declares, and every one of them reaches its field.
@Suite struct FieldOptionsTests {
  /// The options a `FieldOptions` struct declares, by flag name, with their value types.
  static func declared(_ options: some FieldOptions) -> [String: Any.Type] {
    var out: [String: Any.Type] = [:]
    for child in Mirror(reflecting: options).children {
      guard let label = child.label, label.hasPrefix("_") else { continue }
      if let group = child.value as? any NestedDeclaredOptions {
        out.merge(group.declaredTypes) { a, _ in a }
      } else if let option = child.value as? any DeclaredType {
        out[FieldFlags.flagName(property: String(label.dropFirst()))] = option.valueType
      }
    }
    return out
  }

  /// Every flag of a run's fields has exactly one option in `tms train`, of the table's type.
  @Test func runFlagsAreDeclaredOnce() throws {
    let options = try ConfigOptions.parse([])
    var declared = Self.declared(options)
    #expect(declared.removeValue(forKey: "preset") != nil)
    let table = RunConfig.fields.flatMap(\.flags)
    #expect(Set(declared.keys) == Set(table.map(\.name)))
    for flag in table {
      #expect(declared[flag.name].map { $0 == flag.valueType } == true, "\(flag.name)")
    }
  }

  /// The same for `tms sweep phase`.
  @Test func sweepFlagsAreDeclaredOnce() throws {
    let options = try SweepPhase.GridOptions.parse([])
    let declared = Self.declared(options)
    let table = PhaseSweepConfig.fields.flatMap(\.flags)
    #expect(Set(declared.keys) == Set(table.map(\.name)))
    for flag in table {
      #expect(declared[flag.name].map { $0 == flag.valueType } == true, "\(flag.name)")
    }
  }

  /// The same for the sweep's own fields in `tms sweep run` and `tms sweep slurm`, and the
  /// flags given land in the sweep (the base run's flags in its base).
  @Test func anySweepFlagsAreDeclaredOnce() throws {
    let declared = Self.declared(try SweepSpecOptions.Fields.parse([]))
    let table = SweepSpec.fields.flatMap(\.flags)
    #expect(Set(declared.keys) == Set(table.map(\.name)))
    for flag in table {
      #expect(declared[flag.name].map { $0 == flag.valueType } == true, "\(flag.name)")
    }
    let options = try SweepSpecOptions.parse([
      "--seeds", "4", "--random", "7", "--random-seed", "3", "--eval-samples", "999", "--weights",
      "--axis", "lr=log:1e-4:1e-2:3", "--features", "3", "--hidden", "2", "--steps", "50",
    ])
    let spec = try options.makeSpec()
    #expect(spec.seeds == 4 && spec.randomPoints == 7 && spec.randomSeed == 3)
    #expect(spec.evalSamples == 999 && spec.weights)
    #expect(spec.base.features == 3 && spec.base.hidden == 2 && spec.base.training.steps == 50)
    #expect(spec.base.instances == 1 && spec.axes.map(\.key) == ["lr"])
    do {
      _ = try SweepSpecOptions.parse(["--axis", "lr=1", "--seeds", "0"]).makeSpec()
      Issue.record("--seeds 0 was accepted")
    } catch let error as CLIError {
      #expect(error.description == "--seeds: must be an integer in 1…64, got 0")
    }
    // A point is one model: instance counts and curves over instances are refused.
    for args in [["--instances", "4"], ["--probability-sweep", "1", "0.1"]] {
      do {
        _ = try SweepSpecOptions.parse(["--axis", "lr=1"] + args).makeSpec()
        Issue.record("\(args) was accepted")
      } catch let error as CLIError {
        #expect(error.description.hasPrefix(args[0] + ": "), "\(error)")
      }
    }
  }

  /// The same for `tms sae`'s SAE flags (``SAEConfig/fields``).
  @Test func saeFlagsAreDeclaredOnce() throws {
    let declared = Self.declared(try SAEOptions.parse([]))
    let table = SAEConfig.fields.flatMap(\.flags)
    #expect(Set(declared.keys) == Set(table.map(\.name)))
    for flag in table {
      #expect(declared[flag.name].map { $0 == flag.valueType } == true, "\(flag.name)")
    }
  }

  /// Each SAE flag lands in its field; `--l1` and `--l1-sweep` are one field; the range
  /// checks name the flag.
  @Test func saeFlagsReachTheirFields() throws {
    let options = try SAEOptions.parse([
      "--latents", "9", "--sae-instances", "3", "--l1-sweep", "0.1", "10", "--model-instance", "1",
      "--sae-lr", "0.002", "--sae-batch", "256", "--sae-steps", "77", "--free-decoder",
      "--no-resample", "--dead-steps", "40", "--sae-seed", "6",
    ])
    var s = SAEConfig()
    try s.apply(flags: options.givenFlags)
    #expect(s.latents == 9 && s.instances == 3 && s.modelInstance == 1)
    #expect(s.l1Coefficient.count == 3 && s.l1Coefficient[0] == 0.1 && s.l1Coefficient[2] == 10)
    #expect(abs(s.l1Coefficient[1] - 1) < 1e-12)
    #expect(s.learningRate == 0.002 && s.batchSize == 256 && s.steps == 77)
    #expect(!s.unitNormDecoder && !s.resample && s.deadSteps == 40 && s.seed == 6)
    var both = SAEConfig()
    let twice = try SAEOptions.parse(["--l1", "0.3", "--l1-sweep", "0.1", "1"])
    #expect(throws: ConfigError.self) { try both.apply(flags: twice.givenFlags) }
    let negative = try SAEOptions.parse(["--l1", "-1"])
    do {
      try both.apply(flags: negative.givenFlags)
      Issue.record("--l1 -1 was accepted")
    } catch {
      #expect(error.description == "--l1: must be in [0, 1e6], got -1.0")
    }
  }

  /// Each flag given on a command line lands in its field, negative numbers included (they
  /// reach the range check, whose message names the flag).
  @Test func flagsReachTheirFields() throws {
    let options = try ConfigOptions.parse([
      "--model", "relu-hidden", "--features", "7", "--hidden", "3", "--instances", "2",
      "--importance-decay", "0.5", "--probability", "0.25", "--batch", "64", "--lr", "0.002",
      "--beta1", "0.8", "--beta2", "0.99", "--eps", "1e-6", "--weight-decay", "0.05",
      "--schedule", "cosine", "--steps", "123", "--seed", "9", "--init-std", "0.3",
    ])
    let c = try options.makeConfig()
    #expect(c.model == .reluHidden && c.features == 7 && c.hidden == 3 && c.instances == 2)
    #expect(c.importance[1] == [1, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625])
    #expect(c.featureProbability[0].allSatisfy { $0 == 0.25 })
    let t = c.training
    #expect(t.batchSize == 64 && t.learningRate == 0.002 && t.beta1 == 0.8 && t.beta2 == 0.99)
    #expect(t.epsilon == 1e-6 && t.weightDecay == 0.05 && t.schedule == .cosine)
    #expect(t.steps == 123 && t.seed == 9 && t.initStd == 0.3)
    #expect(c.name == "custom")
    let negative = try ConfigOptions.parse(["--features", "-3"])
    #expect(throws: CLIError.self) { try negative.makeConfig() }
    do {
      _ = try negative.makeConfig()
    } catch let error as CLIError {
      #expect(error.description == "--features: must be an integer in 1…4096, got -3")
    }
  }
}

/// A property wrapper's value type, for the declaration check.
protocol DeclaredType { var valueType: Any.Type { get } }
extension Option: DeclaredType {
  var valueType: Any.Type { Self.unwrapped(Value.self) }
}
extension Flag: DeclaredType {
  var valueType: Any.Type { Value.self }
}
extension DeclaredType {
  /// `Int` for `Int?`; other types as they are.
  static func unwrapped(_ type: Any.Type) -> Any.Type {
    (type as? any OptionalType.Type)?.wrappedType ?? type
  }
}
protocol OptionalType { static var wrappedType: Any.Type { get } }
extension Optional: OptionalType { static var wrappedType: Any.Type { Wrapped.self } }

protocol NestedDeclaredOptions { var declaredTypes: [String: Any.Type] { get } }
extension OptionGroup: NestedDeclaredOptions where Value: FieldOptions {
  var declaredTypes: [String: Any.Type] { FieldOptionsTests.declared(wrappedValue) }
}
