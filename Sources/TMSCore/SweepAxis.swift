import TMSKernels

/// One axis of a sweep: a configuration field and the values it takes.
///
/// `key` is any key of ``RunConfig/fields`` (`feature_probability`, `importance`, `features`,
/// `hidden`, `model`, `lr`, `weight_decay`, `batch_size`, `steps`, `seed`, …; a value is what
/// a preset may write for that key, so `importance` takes `{"geometric": 0.7}` as well as a
/// number) or one of the shorthands in ``SweepAxis/derivedKeys``: `importance_decay` (r sets
/// I_i = rⁱ) and `relative_importance` (r sets I = (1, …, 1, r), the phase diagram's extra
/// feature). Values come as a list, or as a range that a grid splits into `count` points,
/// log-spaced (`log`) or evenly (`linear`); random points draw from the range instead
/// (log-uniformly or uniformly) or, for a list, one of its values.
public struct SweepAxis: Sendable, Equatable {
  /// How the values are given.
  public enum Values: Sendable, Equatable {
    /// These values, in this order.
    case list([JSONValue])
    /// `count` values log-spaced from `from` to `to` (both > 0).
    case log(from: Double, to: Double, count: Int)
    /// `count` values evenly spaced from `from` to `to`.
    case linear(from: Double, to: Double, count: Int)
  }

  /// The field the axis sets.
  public var key: String
  /// Its values.
  public var values: Values

  /// An axis over `key`.
  public init(key: String, values: Values) {
    self.key = key
    self.values = values
  }

  /// Shorthand keys that set a curve from one number (not fields of their own).
  public static let derivedKeys = ["importance_decay", "relative_importance"]

  /// Run fields an axis may not name: free text, the instance count (a point is one model;
  /// its seeds are ``SweepSpec/seeds``) and the SAE (a sweep trains and scores the models
  /// only; ``SweepSpec/validate(points:)`` refuses one in the base run too).
  public static let excludedKeys = ["name", "instances", "sae"]

  /// Every key an axis may name, in table order, then the shorthands.
  public static var allowedKeys: [String] {
    RunConfig.fields.map(\.key).filter { !excludedKeys.contains($0) } + derivedKeys
  }

  /// The grid values: the list, or the range split into `count` points (the ends exact).
  public var gridValues: [JSONValue] {
    switch values {
    case .list(let v): return v
    case .log(let a, let b, let n):
      return Curve.logRange(from: a, to: b, count: n).map(JSONValue.double)
    case .linear(let a, let b, let n):
      return (0..<n).map { i in
        .double(n == 1 ? a : i == n - 1 ? b : a + (b - a) * Double(i) / Double(n - 1))
      }
    }
  }

  /// A random value: a list entry chosen uniformly, or a draw from the range, log-uniform
  /// for `log`, uniform for `linear`.
  func randomValue(_ rng: inout SplitMix64) -> JSONValue {
    let u = rng.nextUnit()
    switch values {
    case .list(let v): return v[min(v.count - 1, Int(u * Double(v.count)))]
    case .log(let a, let b, _): return .double(libExp(libLog(a) + u * (libLog(b) - libLog(a))))
    case .linear(let a, let b, _): return .double(a + u * (b - a))
    }
  }

  /// Checks the key and the values' shape (each value itself is checked when a point's
  /// configuration is built), naming the axis in the error.
  public func validate() throws(ConfigError) {
    let field = "axes.\(key)"
    guard Self.allowedKeys.contains(key) else {
      throw ConfigError(
        field: field,
        "unknown axis key; allowed: \(Self.allowedKeys.joined(separator: ", "))")
    }
    switch values {
    case .list(let v):
      guard !v.isEmpty else { throw ConfigError(field: field, "needs at least one value") }
      guard v.count <= SweepSpec.maxAxisValues else {
        throw ConfigError(
          field: field, "has \(v.count) values; at most \(SweepSpec.maxAxisValues)")
      }
    case .log(let a, let b, let n), .linear(let a, let b, let n):
      guard a.isFinite, b.isFinite else {
        throw ConfigError(field: field, "range ends must be finite, got \(a) and \(b)")
      }
      if case .log = values, !(a > 0 && b > 0) {
        throw ConfigError(field: field, "a log range needs both ends > 0, got \(a) and \(b)")
      }
      guard n >= 1 && n <= SweepSpec.maxAxisValues else {
        throw ConfigError(
          field: field, "count must be an integer in 1…\(SweepSpec.maxAxisValues), got \(n)")
      }
    }
  }

  /// The axis as its sweep-file object: `{"key": k, "values": […]}`, or `{"key": k, "log":
  /// [from, to], "count": n}` (`"linear"` likewise).
  public var written: JSONValue {
    var o = JSONObject([("key", .string(key))])
    switch values {
    case .list(let v): o["values"] = .array(v)
    case .log(let a, let b, let n):
      o["log"] = .doubles([a, b])
      o["count"] = .int(n)
    case .linear(let a, let b, let n):
      o["linear"] = .doubles([a, b])
      o["count"] = .int(n)
    }
    return .object(o)
  }

  /// Reads an axis object of a sweep file (strict: unknown keys and wrong types are errors
  /// naming `path`).
  public static func read(_ v: JSONValue, _ path: String) throws(ConfigError) -> SweepAxis {
    let o = try FieldReader.object(v, path)
    let known = ["key", "values", "log", "linear", "count"]
    for k in o.keys where !known.contains(k) {
      throw ConfigError(
        field: "\(path).\(k)", "unknown key; allowed: \(known.joined(separator: ", "))")
    }
    guard let keyValue = o["key"] else { throw ConfigError(field: "\(path).key", "is required") }
    let key = try FieldReader.string(keyValue, "\(path).key")
    let given = ["values", "log", "linear"].filter { o[$0] != nil }
    guard given.count == 1 else {
      throw ConfigError(field: path, "needs exactly one of values, log, linear")
    }
    let values: Values
    switch given[0] {
    case "values":
      guard o["count"] == nil else {
        throw ConfigError(field: "\(path).count", "goes with log or linear, not values")
      }
      values = .list(try FieldReader.list(o["values"] ?? .null, "\(path).values").map(normalised))
    default:
      let name = given[0]
      let pair = try FieldReader.numbers(o[name] ?? .null, "\(path).\(name)")
      guard pair.count == 2 else {
        throw ConfigError(field: "\(path).\(name)", "must be [from, to], got \(pair.count) values")
      }
      guard let count = o["count"] else {
        throw ConfigError(field: "\(path).count", "is required with \(name)")
      }
      let n = try FieldReader.integer(count, "\(path).count", in: 1...SweepSpec.maxAxisValues)
      values =
        name == "log"
        ? .log(from: pair[0], to: pair[1], count: n)
        : .linear(from: pair[0], to: pair[1], count: n)
    }
    let axis = SweepAxis(key: key, values: values)
    do {
      try axis.validate()
    } catch {
      throw ConfigError(field: path, error.message)
    }
    return axis
  }

  /// Parses the command line's `KEY=VALUES`: `lr=1e-3,3e-3` (a list; numbers, `true`/`false`
  /// and names such as `linear`), `lr=log:1e-4:1e-2:5` or `lr=lin:0:0.1:5`.
  public static func parse(_ text: String) throws(ConfigError) -> SweepAxis {
    let field = "--axis"
    guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
      throw ConfigError(
        field: field, "must be KEY=VALUES (e.g. lr=1e-3,3e-3 or lr=log:1e-4:1e-2:5), got '\(text)'")
    }
    let key = String(text[..<eq])
    let rest = String(text[text.index(after: eq)...])
    let values: Values
    if rest.hasPrefix("log:") || rest.hasPrefix("lin:") {
      let parts = rest.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      guard parts.count == 4, let a = Double(parts[1]), let b = Double(parts[2]),
        let n = Int(parts[3])
      else {
        throw ConfigError(
          field: field, "\(key): a range is \(parts[0]):FROM:TO:COUNT, got '\(rest)'")
      }
      values =
        parts[0] == "log" ? .log(from: a, to: b, count: n) : .linear(from: a, to: b, count: n)
    } else {
      let items = rest.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard !items.contains(where: \.isEmpty) else {
        throw ConfigError(field: field, "\(key): empty value in '\(rest)'")
      }
      values = .list(items.map(Self.token))
    }
    let axis = SweepAxis(key: key, values: values)
    do {
      try axis.validate()
    } catch {
      throw ConfigError(field: field, "\(key): \(error.message)")
    }
    return axis
  }

  /// A number token in its one spelling (an integer as written without a sign or zeros of its
  /// own, else the shortest round-trip form), so that `1e-3` and `0.001` make the same sweep.
  static func normalised(_ v: JSONValue) -> JSONValue {
    guard case .number(let t) = v else { return v }
    if let i = Int(t) { return .int(i) }
    if let x = Double(t), x.isFinite {
      if x.rounded() == x, abs(x) < 1e15 { return .int(Int(x)) }
      return .double(x)
    }
    return v
  }

  /// A command-line value as a document value: a number token when it reads as a finite
  /// number, `true`/`false`, else a string (a model's or schedule's name).
  static func token(_ s: String) -> JSONValue {
    if s == "true" { return .bool(true) }
    if s == "false" { return .bool(false) }
    if let x = Double(s), x.isFinite, s.first.map({ $0.isNumber || $0 == "-" || $0 == "." }) == true
    {
      return normalised(.number(s))
    }
    return .string(s)
  }
}
