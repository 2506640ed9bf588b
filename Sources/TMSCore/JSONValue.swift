/// A JSON document as a tree: what the configuration tables read and write.
///
/// The text format (parsing with line and column in errors, writing floats in their shortest
/// round-trip form) lives in TMSFiles; this is only the data model, so the engine can declare
/// how a field reads and writes itself without knowing about bytes.
///
/// Numbers keep their source text and are converted only when the wanted type is known: a
/// Float is parsed straight to the nearest Float (never through a Double, which could round
/// twice), and an integer that does not fit is told apart from a fraction.
public indirect enum JSONValue: Sendable, Equatable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number token, as written (`0.1`, `-3`, `1e-05`).
  case number(String)
  /// `NaN`, `Infinity` or `-Infinity`: not JSON, but what Python's `json` module writes, read
  /// so that the error can name the field that holds one.
  case special(Double)
  /// A string.
  case string(String)
  /// A list.
  case array([JSONValue])
  /// An object, its keys in source order.
  case object(JSONObject)

  /// What the value is, for error messages ("a string", "null", …).
  public var kind: String {
    switch self {
    case .null: "null"
    case .bool(let b): b ? "true" : "false"
    case .number, .special: "a number"
    case .string: "a string"
    case .array: "a list"
    case .object: "an object"
    }
  }

  /// The value as a reader sees it in a message: numbers and strings as written (strings cut
  /// to 40 characters), anything else by kind.
  public var shown: String {
    switch self {
    case .number(let t): t
    case .special(let d): d.isNaN ? "NaN" : d > 0 ? "Infinity" : "-Infinity"
    case .string(let s): "\"" + (s.count > 40 ? String(s.prefix(40)) + "…" : s) + "\""
    default: kind
    }
  }

  /// A Double written as a number token (shortest round-trip form), or `null` when it is NaN
  /// or infinite: JSON has no number for those, and `null` is what every reader understands
  /// as "no value".
  public static func double(_ x: Double) -> JSONValue {
    x.isFinite ? .number(x.description) : .null
  }

  /// A Float as a number token (shortest round-trip form), `null` when not finite.
  public static func float(_ x: Float) -> JSONValue {
    x.isFinite ? .number(x.description) : .null
  }

  /// An integer as a number token.
  public static func int<T: BinaryInteger>(_ x: T) -> JSONValue { .number(String(x)) }

  /// A list of Doubles (non-finite ones as `null`).
  public static func doubles(_ xs: [Double]) -> JSONValue { .array(xs.map(double)) }
}

/// A JSON object: members by key, and the keys in their order (source order when parsed,
/// declaration order when built).
public struct JSONObject: Sendable, Equatable {
  /// The members.
  public private(set) var members: [String: JSONValue]
  /// The keys, in order.
  public private(set) var keys: [String]

  /// An empty object.
  public init() {
    members = [:]
    keys = []
  }

  /// An object with these members in this order (a later duplicate key replaces the value).
  public init(_ pairs: [(String, JSONValue)]) {
    self.init()
    for (k, v) in pairs { self[k] = v }
  }

  /// The member named `key`; setting appends a new key at the end.
  public subscript(key: String) -> JSONValue? {
    get { members[key] }
    set {
      if let newValue {
        if members.updateValue(newValue, forKey: key) == nil { keys.append(key) }
      } else if members.removeValue(forKey: key) != nil {
        keys.removeAll { $0 == key }
      }
    }
  }
}
