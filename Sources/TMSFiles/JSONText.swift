import TMSCore

/// JSON text: a strict parser into ``JSONValue`` and a writer, built for exactness and clear
/// errors. Every file tms reads (presets, snapshots) goes through this one parser, and every
/// JSON document it writes (snapshots, `tms train --json`, `tms sweep phase --json`) through
/// this one writer, so keys, numbers and `null`s are spelled the same everywhere.
///
/// Why not Foundation's `JSONSerialization`/`JSONDecoder`: numbers are kept as their source
/// text and converted only when the wanted type is known (a Float parsed straight to the
/// nearest Float, never through a Double); a key given twice is an error instead of the last
/// value silently winning; Python's `NaN`, `Infinity` and `-Infinity` tokens are read so the
/// error names the field that holds one; and a truncated file is told apart from a malformed
/// one, with line and column.
/// Why a document could not be parsed: where, and whether it simply ended too early.
struct JSONParseError: Error {
  var offset: Int
  var message: String
  var truncated: Bool
}

/// Recursive-descent parser over UTF-8 bytes (RFC 8259, plus the three Python tokens).
struct JSONParser {
  let bytes: [UInt8]
  var i = 0
  var depth = 0
  static let maxDepth = 64

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// Parses one complete document; anything but whitespace after it is an error.
  static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
    var p = JSONParser(bytes)
    p.skipSpace()
    if p.i == bytes.count {
      throw JSONParseError(offset: 0, message: "the file is empty", truncated: true)
    }
    let v = try p.value()
    p.skipSpace()
    guard p.i == bytes.count else { throw p.error("unexpected text after the end of the document") }
    return v
  }

  func error(_ message: String) -> JSONParseError {
    JSONParseError(offset: i, message: message, truncated: false)
  }

  func eof() -> JSONParseError {
    JSONParseError(
      offset: i, message: "the file ends inside the document (after \(bytes.count) bytes)",
      truncated: true)
  }

  mutating func skipSpace() {
    while i < bytes.count,
      bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09
    {
      i += 1
    }
  }

  func unexpected() -> JSONParseError {
    let b = bytes[i]
    let shown =
      b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
    return error("unexpected \(shown)")
  }

  mutating func value() throws(JSONParseError) -> JSONValue {
    skipSpace()
    guard i < bytes.count else { throw eof() }
    switch bytes[i] {
    case UInt8(ascii: "{"): return try object()
    case UInt8(ascii: "["): return try array()
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): try literal("true"); return .bool(true)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    case UInt8(ascii: "N"): try literal("NaN"); return .special(.nan)
    case UInt8(ascii: "I"): try literal("Infinity"); return .special(.infinity)
    case UInt8(ascii: "-") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "I"):
      i += 1
      try literal("Infinity")
      return .special(-.infinity)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw unexpected()
    }
  }

  mutating func literal(_ word: String) throws(JSONParseError) {
    for c in word.utf8 {
      guard i < bytes.count else { throw eof() }
      guard bytes[i] == c else { throw unexpected() }
      i += 1
    }
  }

  mutating func number() throws(JSONParseError) -> JSONValue {
    let start = i
    func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    func need() throws(JSONParseError) {
      guard i < bytes.count else { throw eof() }
    }
    if bytes[i] == UInt8(ascii: "-") { i += 1 }
    try need()
    guard digit(bytes[i]) else { throw unexpected() }
    if bytes[i] == UInt8(ascii: "0") {
      i += 1
    } else {
      while i < bytes.count, digit(bytes[i]) { i += 1 }
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      try need()
      guard digit(bytes[i]) else { throw unexpected() }
      while i < bytes.count, digit(bytes[i]) { i += 1 }
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i += 1
      try need()
      if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      try need()
      guard digit(bytes[i]) else { throw unexpected() }
      while i < bytes.count, digit(bytes[i]) { i += 1 }
    }
    return .number(String(decoding: bytes[start..<i], as: UTF8.self))
  }

  mutating func string() throws(JSONParseError) -> String {
    i += 1
    var out: [UInt8] = []
    while true {
      guard i < bytes.count else { throw eof() }
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        i += 1
        break
      }
      if b < 0x20 { throw error("control character in a string") }
      if b != UInt8(ascii: "\\") {
        out.append(b)
        i += 1
        continue
      }
      i += 1
      guard i < bytes.count else { throw eof() }
      let e = bytes[i]
      i += 1
      switch e {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code) {
          guard i + 1 < bytes.count else { throw eof() }
          guard bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
            throw error("unpaired surrogate in a string")
          }
          i += 2
          let low = try hex4()
          guard (0xDC00..<0xE000).contains(low) else {
            throw error("unpaired surrogate in a string")
          }
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
      default:
        i -= 1
        throw unexpected()
      }
    }
    guard let s = String(validating: out, as: UTF8.self) else {
      throw error("a string is not valid UTF-8")
    }
    return s
  }

  mutating func hex4() throws(JSONParseError) -> UInt32 {
    var v: UInt32 = 0
    for _ in 0..<4 {
      guard i < bytes.count else { throw eof() }
      let b = bytes[i]
      let d: UInt32
      switch b {
      case 0x30...0x39: d = UInt32(b - 0x30)
      case 0x41...0x46: d = UInt32(b - 0x41 + 10)
      case 0x61...0x66: d = UInt32(b - 0x61 + 10)
      default: throw unexpected()
      }
      v = v << 4 | d
      i += 1
    }
    return v
  }

  mutating func array() throws(JSONParseError) -> JSONValue {
    depth += 1
    guard depth <= Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
    defer { depth -= 1 }
    i += 1
    var items: [JSONValue] = []
    skipSpace()
    guard i < bytes.count else { throw eof() }
    if bytes[i] == UInt8(ascii: "]") {
      i += 1
      return .array(items)
    }
    while true {
      items.append(try value())
      skipSpace()
      guard i < bytes.count else { throw eof() }
      if bytes[i] == UInt8(ascii: ",") {
        i += 1
      } else if bytes[i] == UInt8(ascii: "]") {
        i += 1
        return .array(items)
      } else {
        throw unexpected()
      }
    }
  }

  mutating func object() throws(JSONParseError) -> JSONValue {
    depth += 1
    guard depth <= Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
    defer { depth -= 1 }
    i += 1
    var object = JSONObject()
    skipSpace()
    guard i < bytes.count else { throw eof() }
    if bytes[i] == UInt8(ascii: "}") {
      i += 1
      return .object(object)
    }
    while true {
      skipSpace()
      guard i < bytes.count else { throw eof() }
      guard bytes[i] == UInt8(ascii: "\"") else { throw unexpected() }
      let keyStart = i
      let key = try string()
      guard object[key] == nil else {
        i = keyStart
        throw error("the key \"\(key)\" appears twice in one object")
      }
      skipSpace()
      guard i < bytes.count else { throw eof() }
      guard bytes[i] == UInt8(ascii: ":") else { throw unexpected() }
      i += 1
      object[key] = try value()
      skipSpace()
      guard i < bytes.count else { throw eof() }
      if bytes[i] == UInt8(ascii: ",") {
        i += 1
      } else if bytes[i] == UInt8(ascii: "}") {
        i += 1
        return .object(object)
      } else {
        throw unexpected()
      }
    }
  }

  /// 1-based line and column of a byte offset, for messages.
  static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    for b in bytes[..<min(offset, bytes.count)] {
      if b == 0x0A {
        line += 1
        column = 1
      } else if b & 0xC0 != 0x80 {
        column += 1
      }
    }
    return (line, column)
  }
}

/// Appends JSON text to a byte buffer. Floats and Doubles use Swift's shortest round-trip
/// descriptions (`0.1`, `1e-05`), which parse back to the identical value.
struct JSONWriter {
  var bytes: [UInt8] = []

  mutating func raw(_ s: String) {
    var s = s
    s.withUTF8 { bytes.append(contentsOf: $0) }
  }

  mutating func raw(_ b: UInt8) { bytes.append(b) }

  mutating func newline(_ indent: Int) {
    bytes.append(0x0A)
    for _ in 0..<indent { bytes.append(0x20) }
  }

  /// A finite Float; callers check finiteness first (snapshots never hold others).
  mutating func float(_ x: Float) { raw(x.description) }

  /// A Double, or `null` when it is NaN or infinite.
  mutating func double(_ x: Double) {
    if x.isFinite { raw(x.description) } else { raw("null") }
  }

  mutating func int<T: BinaryInteger>(_ x: T) { raw(String(x)) }

  mutating func string(_ s: String) {
    bytes.append(UInt8(ascii: "\""))
    for u in s.unicodeScalars {
      switch u {
      case "\"": raw("\\\"")
      case "\\": raw("\\\\")
      case "\n": raw("\\n")
      case "\r": raw("\\r")
      case "\t": raw("\\t")
      default:
        // C0 controls must be escaped; DEL and the C1 controls are too, so that JSON
        // printed on a terminal can never carry a control sequence.
        if u.value < 0x20 || (0x7F...0x9F).contains(u.value) {
          let h = String(u.value, radix: 16)
          raw("\\u" + String(repeating: "0", count: 4 - h.count) + h)
        } else {
          bytes.append(contentsOf: Array(String(Character(u)).utf8))
        }
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  /// `[a, b, c]` on one line.
  mutating func list<T>(_ items: [T], _ element: (inout JSONWriter, T) -> Void) {
    bytes.append(UInt8(ascii: "["))
    for (j, x) in items.enumerated() {
      if j > 0 { raw(", ") }
      element(&self, x)
    }
    bytes.append(UInt8(ascii: "]"))
  }

  mutating func floats(_ v: [Float]) { list(v) { $0.float($1) } }
  mutating func doubles(_ v: [Double]) { list(v) { $0.double($1) } }

  /// Rows one per line at `indent` + 2, the closing bracket at `indent`.
  mutating func matrix<T>(_ rows: [T], indent: Int, _ row: (inout JSONWriter, T) -> Void) {
    guard !rows.isEmpty else {
      raw("[]")
      return
    }
    bytes.append(UInt8(ascii: "["))
    for (i, r) in rows.enumerated() {
      if i > 0 { raw(",") }
      newline(indent + 2)
      row(&self, r)
    }
    newline(indent)
    bytes.append(UInt8(ascii: "]"))
  }

  /// Re-emits a parsed value readably: objects one member per line, lists of scalars on one
  /// line, lists of lists one inner list per line. Number tokens are copied verbatim.
  mutating func value(_ v: JSONValue, indent: Int) {
    switch v {
    case .null: raw("null")
    case .bool(let b): raw(b ? "true" : "false")
    case .number(let t): raw(t)
    case .special(let d): raw(d.isNaN ? "NaN" : d > 0 ? "Infinity" : "-Infinity")
    case .string(let s): string(s)
    case .array(let items):
      let nested = items.contains {
        if case .array = $0 { return true }
        if case .object = $0 { return true }
        return false
      }
      if nested {
        matrix(items, indent: indent) { $0.value($1, indent: indent + 2) }
      } else {
        list(items) { $0.value($1, indent: indent) }
      }
    case .object(let o):
      guard !o.keys.isEmpty else {
        raw("{}")
        return
      }
      raw("{")
      for (j, key) in o.keys.enumerated() {
        if j > 0 { raw(",") }
        newline(indent + 2)
        string(key)
        raw(": ")
        if let member = o[key] { value(member, indent: indent + 2) }
      }
      newline(indent)
      raw("}")
    }
  }
}

/// A JSON document that could not be read: the file, where, and why, in one line.
public struct JSONTextError: Error, CustomStringConvertible, Sendable {
  /// The file (or a description of the source).
  public var file: String
  /// Why, with the line and column.
  public var message: String

  /// `file: message`.
  public var description: String { "\(file): \(message)" }
}

/// tms's one JSON reader, for tools and tests that want a document as a tree.
public enum JSONDocument {
  /// `value` as indented UTF-8 JSON text ending in a newline (non-finite numbers as bare
  /// NaN, Infinity, -Infinity, as in every tms file; Python's json reads them).
  public static func text(_ value: JSONValue) -> [UInt8] {
    var w = JSONWriter()
    w.value(value, indent: 0)
    w.raw(0x0A)
    return w.bytes
  }

  /// Parses a complete document, or throws a one-line error naming `file`, the line and
  /// the column (or that the text ends too early).
  public static func parse(_ bytes: [UInt8], file: String) throws(JSONTextError) -> JSONValue {
    do {
      return try JSONParser.parse(bytes)
    } catch {
      if error.truncated { throw JSONTextError(file: file, message: "truncated: \(error.message)") }
      let (line, col) = JSONParser.position(of: error.offset, in: bytes)
      throw JSONTextError(
        file: file, message: "not valid JSON at line \(line), column \(col): \(error.message)")
    }
  }
}
