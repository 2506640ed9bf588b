import ArgumentParser
import TMSCore

/// Command-line options that set configuration fields. Each option is declared as a
/// property whose name is its flag in lower camel case (`weightDecay` for `--weight-decay`),
/// with the name and help the field table gives (``FieldFlags``); the values given are
/// collected by reflection and applied by the table, so no list of flags is kept here.
protocol FieldOptions: ParsableArguments {}

extension FieldOptions {
  /// The options given on the command line, as (flag name, parsed value) pairs, including
  /// those of nested option groups.
  var givenFlags: [(flag: String, value: Any)] {
    var out: [(flag: String, value: Any)] = []
    for child in Mirror(reflecting: self).children {
      guard let label = child.label, label.hasPrefix("_") else { continue }
      if let group = child.value as? any NestedFieldOptions {
        out += group.nestedGivenFlags
      } else if let option = child.value as? any GivenValue, let value = option.given {
        out.append((FieldFlags.flagName(property: String(label.dropFirst())), value))
      }
    }
    return out
  }
}

/// Names and help for field options, looked up in the field tables.
enum FieldFlags {
  /// `--weight-decay` for the property `weightDecay`.
  static func flagName(property: String) -> String {
    var out = ""
    for c in property {
      if c.isUppercase {
        out += "-" + c.lowercased()
      } else {
        out.append(c)
      }
    }
    return out
  }

  /// The option name of a field flag.
  static func name(_ flag: String) -> NameSpecification { .customLong(flag) }

  /// The help of a field flag of a run (``RunConfig/fields``), a sweep
  /// (``PhaseSweepConfig/fields``) or an SAE (``SAEConfig/fields``).
  static func help(_ flag: String) -> ArgumentHelp {
    let flags =
      RunConfig.fields.flatMap(\.flags).map { ($0.name, $0.help) }
      + PhaseSweepConfig.fields.flatMap(\.flags).map { ($0.name, $0.help) }
      + SAEConfig.fields.flatMap(\.flags).map { ($0.name, $0.help) }
    return ArgumentHelp(flags.first { $0.0 == flag }?.1 ?? "")
  }
}

/// A property wrapper of an option whose value counts as given.
protocol GivenValue {
  /// The parsed value, or nil when the option was not given (an empty list, a `false`
  /// switch and a missing optional are not given).
  var given: Any? { get }
}

extension Option: GivenValue {
  var given: Any? { Self.unwrap(wrappedValue) }
}

extension Flag: GivenValue {
  var given: Any? { Self.unwrap(wrappedValue) }
}

extension GivenValue {
  static func unwrap(_ value: Any) -> Any? {
    if let optional = value as? any OptionalValue { return optional.wrappedAny }
    if let list = value as? [Any], list.isEmpty { return nil }
    if let flag = value as? Bool, !flag { return nil }
    return value
  }
}

/// `Optional` seen without knowing its wrapped type.
protocol OptionalValue {
  var wrappedAny: Any? { get }
}

extension Optional: OptionalValue {
  var wrappedAny: Any? { self.map { $0 as Any } }
}

/// An option group whose options are field options too.
protocol NestedFieldOptions {
  var nestedGivenFlags: [(flag: String, value: Any)] { get }
}

extension OptionGroup: NestedFieldOptions where Value: FieldOptions {
  var nestedGivenFlags: [(flag: String, value: Any)] { wrappedValue.givenFlags }
}

extension FieldFlags {
  /// The help of a sweep's own flag (``SweepSpec/fields``), which may share a name with a
  /// phase sweep's (`--seeds`).
  static func sweepHelp(_ flag: String) -> ArgumentHelp {
    ArgumentHelp(SweepSpec.fields.flatMap(\.flags).first { $0.name == flag }?.help ?? "")
  }
}
