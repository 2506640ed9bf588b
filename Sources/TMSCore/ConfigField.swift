/// One configuration field, declared once.
///
/// Everything the program knows about a field comes from its declaration in a table
/// (``RunConfig/fields``, ``TrainingSettings/fields``, ``PhaseSweepConfig/fields``): the key in
/// preset files, snapshots and JSON output; the command-line flags and their help; the range
/// check; whether a new value can act on a running model or re-initialises it; and the value
/// a document written before the field existed gets. Adding a field is its stored property,
/// its line in the table and, when it has a flag, the flag's property in the CLI.
public struct ConfigField<Root: Sendable>: Sendable {
  /// The key in files and JSON output (snake_case).
  public let key: String
  /// What the field is and its allowed range, one line (used by `--help` and errors).
  public let help: String
  /// The command-line flags that set the field (most fields have one, some none, a curve
  /// has several shorthands, at most one of which may be given).
  public let flags: [ConfigFlag<Root>]
  /// True when a new value acts on the running model at its next step; false when a change
  /// re-initialises the weights (shapes, model, seed, initial scale).
  public let live: Bool
  /// The snapshot version that first wrote the field. A snapshot of an older version has no
  /// such key and gets the field's default; a newer one without it is damaged.
  public let since: Int
  /// True when the field may be absent from any document (an unset optional value).
  public let optional: Bool

  let read: @Sendable (JSONValue, String, inout Root) throws(ConfigError) -> Void
  let write: @Sendable (Root) -> JSONValue?
  let check: @Sendable (Root) throws(ConfigError) -> Void
  let same: @Sendable (Root, Root) -> Bool
  let fillDefault: @Sendable (inout Root) -> Void

  /// Declares a field from its parts; the typed constructors below are the usual way.
  public init(
    key: String, help: String, flags: [ConfigFlag<Root>] = [], live: Bool, since: Int = 1,
    optional: Bool = false,
    read: @escaping @Sendable (JSONValue, String, inout Root) throws(ConfigError) -> Void,
    write: @escaping @Sendable (Root) -> JSONValue?,
    check: @escaping @Sendable (Root) throws(ConfigError) -> Void,
    same: @escaping @Sendable (Root, Root) -> Bool,
    fillDefault: @escaping @Sendable (inout Root) -> Void = { _ in }
  ) {
    self.key = key
    self.help = help
    self.flags = flags
    self.live = live
    self.since = since
    self.optional = optional
    self.read = read
    self.write = write
    self.check = check
    self.same = same
    self.fillDefault = fillDefault
  }

  /// The same field on a value nested in `Outer` (the training settings inside a run or a
  /// sweep configuration).
  public func lifted<Outer: Sendable>(_ path: WritableKeyPath<Outer, Root> & Sendable)
    -> ConfigField<Outer>
  {
    let read = self.read
    let write = self.write
    let check = self.check
    let same = self.same
    let fill = self.fillDefault
    return ConfigField<Outer>(
      key: key, help: help, flags: flags.map { $0.lifted(path) }, live: live, since: since,
      optional: optional,
      read: { v, p, outer throws(ConfigError) in try read(v, p, &outer[keyPath: path]) },
      write: { write($0[keyPath: path]) },
      check: { outer throws(ConfigError) in try check(outer[keyPath: path]) },
      same: { same($0[keyPath: path], $1[keyPath: path]) },
      fillDefault: { fill(&$0[keyPath: path]) })
  }
}

/// A command-line flag that sets (part of) a field.
public struct ConfigFlag<Root: Sendable>: Sendable {
  /// The long name without dashes (`weight-decay`).
  public let name: String
  /// Help text for `--help`.
  public let help: String
  /// The Swift type of the parsed value the flag takes (`Int`, `Double`, `[Double]`, a model
  /// kind, `Bool` for a switch): the command line declares an option of exactly this type.
  public let valueType: Any.Type
  let apply: @Sendable (Any, inout Root) throws(ConfigError) -> Void

  /// A flag taking a `T`, applied by `apply`.
  public init<T>(
    _ name: String, help: String, _: T.Type,
    apply: @escaping @Sendable (T, inout Root) throws(ConfigError) -> Void
  ) {
    self.name = name
    self.help = help
    valueType = T.self
    self.apply = { any, root throws(ConfigError) in
      guard let value = any as? T else {
        throw ConfigError(field: "--" + name, "expected a value of type \(T.self), got \(any)")
      }
      try apply(value, &root)
    }
  }

  private init(
    name: String, help: String, valueType: Any.Type,
    apply: @escaping @Sendable (Any, inout Root) throws(ConfigError) -> Void
  ) {
    self.name = name
    self.help = help
    self.valueType = valueType
    self.apply = apply
  }

  /// Applies a parsed value (of ``valueType``) to `root`.
  public func set(_ value: Any, in root: inout Root) throws(ConfigError) {
    try apply(value, &root)
  }

  func lifted<Outer>(_ path: WritableKeyPath<Outer, Root> & Sendable) -> ConfigFlag<Outer> {
    let apply = self.apply
    return ConfigFlag<Outer>(
      name: name, help: help, valueType: valueType,
      apply: { v, outer throws(ConfigError) in try apply(v, &outer[keyPath: path]) })
  }
}

/// A rule a number must follow, with the words that say so in an error.
public struct NumberRule: Sendable {
  /// "a finite number > 0", "in [0, 1)": completes "must be …".
  public let text: String
  let test: @Sendable (Double) -> Bool

  /// A rule from its description and test.
  public init(_ text: String, _ test: @escaping @Sendable (Double) -> Bool) {
    self.text = text
    self.test = test
  }

  /// x > 0 and finite.
  public static let positive = NumberRule("a finite number > 0") { $0.isFinite && $0 > 0 }
  /// x ≥ 0 and finite.
  public static let nonNegative = NumberRule("a finite number ≥ 0") { $0.isFinite && $0 >= 0 }
  /// 0 ≤ x < 1.
  public static let unitHalfOpen = NumberRule("in [0, 1)") { $0 >= 0 && $0 < 1 }
  /// 0 ≤ x ≤ 1.
  public static let unitClosed = NumberRule("in [0, 1]") { $0 >= 0 && $0 <= 1 }

  /// Checks `x`, throwing `field: must be …, got x`.
  public func check(_ x: Double, _ field: @autoclosure () -> String) throws(ConfigError) {
    guard test(x) else { throw ConfigError(field: field(), "must be \(text), got \(x)") }
  }
}

// MARK: - Reading values

/// Conversions from document values, each naming the field and what was expected.
public enum FieldReader {
  /// A number (an integer token is one too).
  public static func number(_ v: JSONValue, _ path: String) throws(ConfigError) -> Double {
    switch v {
    case .number(let t):
      guard let x = Double(t) else { throw ConfigError(field: path, "is not a number: \(t)") }
      return x
    case .special(let d):
      throw ConfigError(
        field: path, "is \(d.isNaN ? "NaN" : "infinite"); must be a finite number")
    default: throw ConfigError(field: path, "must be a number, got \(v.shown)")
    }
  }

  /// An integer in `range`: an integer token, or a number with no fractional part (`3.0`,
  /// `1e3`) within the range.
  public static func integer<T: FixedWidthInteger>(
    _ v: JSONValue, _ path: String, in range: ClosedRange<T>
  ) throws(ConfigError) -> T {
    let bad = ConfigError(
      field: path, "must be an integer in \(range.lowerBound)…\(range.upperBound), got \(v.shown)")
    guard case .number(let t) = v else {
      if case .special = v { throw bad }
      throw ConfigError(
        field: path,
        "must be an integer in \(range.lowerBound)…\(range.upperBound), got \(v.shown)")
    }
    if let exact = T(t) {
      guard range.contains(exact) else { throw bad }
      return exact
    }
    guard let d = Double(t), d.isFinite, d.rounded() == d,
      d >= Double(range.lowerBound), d <= Double(range.upperBound),
      let x = T(exactly: d)
    else { throw bad }
    return x
  }

  /// A string.
  public static func string(_ v: JSONValue, _ path: String) throws(ConfigError) -> String {
    guard case .string(let s) = v else {
      throw ConfigError(field: path, "must be a string, got \(v.shown)")
    }
    return s
  }

  /// `true` or `false`.
  public static func bool(_ v: JSONValue, _ path: String) throws(ConfigError) -> Bool {
    guard case .bool(let b) = v else {
      throw ConfigError(field: path, "must be true or false, got \(v.shown)")
    }
    return b
  }

  /// A list.
  public static func list(_ v: JSONValue, _ path: String) throws(ConfigError) -> [JSONValue] {
    guard case .array(let a) = v else {
      throw ConfigError(field: path, "must be a list, got \(v.shown)")
    }
    return a
  }

  /// A list of numbers.
  public static func numbers(_ v: JSONValue, _ path: String) throws(ConfigError) -> [Double] {
    guard case .array(let a) = v else {
      throw ConfigError(field: path, "must be a list of numbers, got \(v.shown)")
    }
    var out: [Double] = []
    out.reserveCapacity(a.count)
    for (i, x) in a.enumerated() { out.append(try number(x, "\(path)[\(i)]")) }
    return out
  }

  /// An object.
  public static func object(_ v: JSONValue, _ path: String) throws(ConfigError) -> JSONObject {
    guard case .object(let o) = v else {
      throw ConfigError(field: path, "must be an object, got \(v.shown)")
    }
    return o
  }

  /// One of a string enumeration's names, or an error listing them.
  public static func choice<E: CaseIterable & RawRepresentable>(
    _ v: JSONValue, _ path: String, _: E.Type
  ) throws(ConfigError) -> E where E.RawValue == String {
    let s = try string(v, path)
    guard let e = E(rawValue: s) else {
      throw ConfigError(field: path, "must be one of \(E.allowedNames); got '\(s)'")
    }
    return e
  }
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
  /// Every name, comma-separated, for messages.
  public static var allowedNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

// MARK: - Typed declarations

extension ConfigField {
  /// An integer field in `range`. Its flag takes an `Int` (what a user types), checked
  /// against the range before it is stored.
  public static func integer<T: FixedWidthInteger & Sendable>(
    _ key: String, _ path: WritableKeyPath<Root, T> & Sendable, in range: ClosedRange<T>,
    flag: String? = nil, help: String, live: Bool, since: Int = 1
  ) -> ConfigField {
    let rangeText = "\(range.lowerBound)…\(range.upperBound)"
    return ConfigField(
      key: key, help: help,
      flags: flag.map { name in
        [
          ConfigFlag(name, help: "\(help) (\(rangeText))", Int.self) {
            x, root throws(ConfigError) in
            guard let value = T(exactly: x), range.contains(value) else {
              throw ConfigError(
                field: "--" + name, "must be an integer in \(rangeText), got \(x)")
            }
            root[keyPath: path] = value
          }
        ]
      } ?? [], live: live, since: since,
      read: { v, p, root throws(ConfigError) in
        root[keyPath: path] = try FieldReader.integer(v, p, in: range)
      },
      write: { .int($0[keyPath: path]) },
      check: { root throws(ConfigError) in
        let x = root[keyPath: path]
        guard range.contains(x) else {
          throw ConfigError(field: key, "must be an integer in \(rangeText), got \(x)")
        }
      },
      same: { $0[keyPath: path] == $1[keyPath: path] })
  }

  /// A real-valued field following `rule`.
  public static func number(
    _ key: String, _ path: WritableKeyPath<Root, Double> & Sendable, _ rule: NumberRule,
    flag: String? = nil, help: String, live: Bool, since: Int = 1
  ) -> ConfigField {
    ConfigField(
      key: key, help: help,
      flags: flag.map {
        [ConfigFlag($0, help: "\(help) (\(rule.text))", Double.self) { $1[keyPath: path] = $0 }]
      } ?? [], live: live, since: since,
      read: { v, p, root throws(ConfigError) in root[keyPath: path] = try FieldReader.number(v, p)
      },
      write: { .double($0[keyPath: path]) },
      check: { root throws(ConfigError) in try rule.check(root[keyPath: path], key) },
      same: { $0[keyPath: path] == $1[keyPath: path] })
  }

  /// A real-valued field that may be absent (`nil`, written as no key at all).
  public static func optionalNumber(
    _ key: String, _ path: WritableKeyPath<Root, Double?> & Sendable, _ rule: NumberRule,
    flag: String? = nil, help: String, live: Bool, since: Int = 1
  ) -> ConfigField {
    ConfigField(
      key: key, help: help,
      flags: flag.map {
        [ConfigFlag($0, help: "\(help) (\(rule.text))", Double.self) { $1[keyPath: path] = $0 }]
      } ?? [], live: live, since: since, optional: true,
      read: { v, p, root throws(ConfigError) in
        root[keyPath: path] = v == .null ? nil : try FieldReader.number(v, p)
      },
      write: { root in root[keyPath: path].map { .double($0) } },
      check: { root throws(ConfigError) in
        if let x = root[keyPath: path] { try rule.check(x, key) }
      },
      same: { $0[keyPath: path] == $1[keyPath: path] })
  }

  /// A field holding one name of a string enumeration (its flag takes the enumeration).
  public static func choice<E: CaseIterable & RawRepresentable & Sendable & Equatable>(
    _ key: String, _ path: WritableKeyPath<Root, E> & Sendable, flag: String? = nil,
    help: String, live: Bool, since: Int = 1
  ) -> ConfigField where E.RawValue == String {
    ConfigField(
      key: key, help: help,
      flags: flag.map {
        [ConfigFlag($0, help: help, E.self) { $1[keyPath: path] = $0 }]
      } ?? [], live: live, since: since,
      read: { v, p, root throws(ConfigError) in
        root[keyPath: path] = try FieldReader.choice(v, p, E.self)
      },
      write: { .string($0[keyPath: path].rawValue) },
      check: { _ in },
      same: { $0[keyPath: path] == $1[keyPath: path] })
  }

  /// A free-text field.
  public static func text(
    _ key: String, _ path: WritableKeyPath<Root, String> & Sendable, help: String,
    live: Bool, since: Int = 1
  ) -> ConfigField {
    ConfigField(
      key: key, help: help, live: live, since: since,
      read: { v, p, root throws(ConfigError) in root[keyPath: path] = try FieldReader.string(v, p)
      },
      write: { .string($0[keyPath: path]) },
      check: { _ in },
      same: { $0[keyPath: path] == $1[keyPath: path] })
  }

  /// A true/false field.
  public static func boolean(
    _ key: String, _ path: WritableKeyPath<Root, Bool> & Sendable, flags: [ConfigFlag<Root>] = [],
    help: String, live: Bool, since: Int = 1
  ) -> ConfigField {
    ConfigField(
      key: key, help: help, flags: flags, live: live, since: since,
      read: { v, p, root throws(ConfigError) in root[keyPath: path] = try FieldReader.bool(v, p) },
      write: { .bool($0[keyPath: path]) },
      check: { _ in },
      same: { $0[keyPath: path] == $1[keyPath: path] })
  }
}

// MARK: - Tables

/// What reading a table of fields from a document needs to know.
public struct FieldReading: Sendable {
  /// Where the object sits in its document (`config`, `phase`), prefixed to key paths in
  /// errors; empty at the top.
  public var path: String
  /// The snapshot version being read, or nil for a preset (where every field is optional).
  public var version: Int?
  /// Keys the caller reads itself (a preset's `description`), not unknown.
  public var otherKeys: [String]

  /// Reading settings.
  public init(path: String = "", version: Int? = nil, otherKeys: [String] = []) {
    self.path = path
    self.version = version
    self.otherKeys = otherKeys
  }

  func join(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

extension Array {
  /// Reads the fields of this table from `object` into `root`, in table order (so a curve
  /// reads after the shapes it needs). Unknown keys are errors that list the allowed ones; a
  /// missing key keeps `root`'s value, unless a snapshot of a version that already wrote the
  /// field lacks it (then the file is damaged).
  public func read<Root>(
    _ object: JSONObject, into root: inout Root, _ reading: FieldReading = FieldReading()
  ) throws(ConfigError) where Element == ConfigField<Root> {
    let known = Set(map(\.key) + reading.otherKeys)
    for key in object.keys where !known.contains(key) {
      throw ConfigError(
        field: reading.join(key), "unknown key; allowed: \(known.sorted().joined(separator: ", "))")
    }
    for field in self {
      if let v = object[field.key] {
        try field.read(v, reading.join(field.key), &root)
      } else if let version = reading.version, version >= field.since, !field.optional {
        throw ConfigError(field: reading.join(field.key), "is missing")
      } else {
        field.fillDefault(&root)
      }
    }
  }

  /// The fields of `root` as an object, in table order (absent optional fields left out).
  public func written<Root>(_ root: Root) -> JSONObject where Element == ConfigField<Root> {
    var o = JSONObject()
    for field in self {
      if let v = field.write(root) { o[field.key] = v }
    }
    return o
  }

  /// Checks every field of `root` in table order, throwing the first problem.
  public func check<Root>(_ root: Root) throws(ConfigError) where Element == ConfigField<Root> {
    for field in self { try field.check(root) }
  }

  /// The field with this key.
  public func field<Root>(_ key: String) -> ConfigField<Root>? where Element == ConfigField<Root> {
    first { $0.key == key }
  }

  /// The field whose key starts a reported path (`feature_probability[2][0]`,
  /// `phase.grid`), for mapping an error to the flag that sets the field.
  public func field<Root>(forPath path: String) -> ConfigField<Root>?
  where Element == ConfigField<Root> {
    let head = path.split(whereSeparator: { $0 == "[" }).first.map(String.init) ?? path
    return first { $0.key == head } ?? first { head.hasSuffix("." + $0.key) }
  }
}
