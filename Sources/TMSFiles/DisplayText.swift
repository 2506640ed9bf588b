/// Text that came from a file, made safe to print on a terminal.
///
/// A preset or snapshot can hold any string: an escape sequence in a preset's name (OSC 52
/// writes the user's clipboard, others retitle the window or move the cursor) would reach the
/// terminal when a message echoes it, and a 50 MB value would become a 50 MB line. Every
/// string from a file is shown through ``escaped(_:limit:)``: C0 controls and DEL in caret
/// notation (`ESC` is `^[`, a newline `^J`, DEL `^?`), C1 controls as `\x9b`, and the result
/// cut to `limit` columns with a final `…`. Printable text, including any Unicode, is
/// unchanged, so ordinary names and messages read exactly as before.
public enum DisplayText {
  /// The default cut for one value from a file (a name, a description, a key).
  public static let limit = 200

  /// `text` with every control character escaped, cut to at most `limit` Unicode scalars
  /// (ending in `…` when something was cut). Reads only as much of `text` as it shows, so a
  /// huge value costs no more than a short one.
  public static func escaped(_ text: String, limit: Int = DisplayText.limit) -> String {
    guard limit > 0 else { return "" }
    var out = String.UnicodeScalarView()
    var count = 0
    var iterator = text.unicodeScalars.makeIterator()
    while let scalar = iterator.next() {
      let piece = shown(scalar)
      if count + piece.count > limit - 1 {
        // Room for the rest only if this is the last scalar and it fits exactly.
        var rest = iterator
        if rest.next() == nil, count + piece.count <= limit {
          out.append(contentsOf: piece)
        } else {
          out.append("…")
        }
        return String(out)
      }
      out.append(contentsOf: piece)
      count += piece.count
    }
    return String(out)
  }

  /// True when `scalar` is a C0 or C1 control character or DEL: what a terminal may act on
  /// instead of showing.
  public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }

  /// How one scalar is shown: itself, or its escape.
  static func shown(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
    let v = scalar.value
    if v < 0x20 { return ["^", Unicode.Scalar(UInt8(v + 0x40))] }
    if v == 0x7F { return ["^", "?"] }
    if (0x80...0x9F).contains(v) {
      let hex = Array(String(v, radix: 16).unicodeScalars)
      return ["\\", "x"] + hex
    }
    return [scalar]
  }
}
