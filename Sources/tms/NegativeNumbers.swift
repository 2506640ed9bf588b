/// Command-line rewriting so that negative numbers reach validation.
///
/// swift-argument-parser reads `--features -3` as the option `--features` missing its value
/// followed by an unknown option `-3`, so a user who typed a negative number was told the
/// value was missing instead of the allowed range. `--features=-3` parses, so the value is
/// attached to its option here; then the field's own check names the range.
enum NegativeNumbers {
  /// Options that take a list of values (`--probability-sweep MAX MIN`), which `=` cannot
  /// carry; a negative value among them is reported here.
  static let listOptions: [String: (count: Int, rule: String)] = [
    "--probability-sweep": (2, "MAX MIN, each in (0, 1]"),
    "--probability-range": (2, "MAX MIN, each in (0, 1]"),
    "--importance-range": (2, "MIN MAX, each > 0"),
  ]

  /// `arguments` (without the program name) with each `--option -number` joined into
  /// `--option=-number`; throws the field's one-line error for a negative value in a list.
  static func attach(_ arguments: [String]) throws -> [String] {
    var out: [String] = []
    var i = 0
    while i < arguments.count {
      let a = arguments[i]
      if a == "--" {
        out += arguments[i...]
        break
      }
      if let (count, rule) = listOptions[a] {
        let values = arguments[(i + 1)..<min(arguments.count, i + 1 + count)]
        if values.contains(where: looksNegative) {
          throw CLIError(
            "\(a): needs \(count) values \(rule), got " + values.joined(separator: " "))
        }
      } else if a.hasPrefix("--"), !a.contains("="), i + 1 < arguments.count,
        looksNegative(arguments[i + 1])
      {
        out.append(a + "=" + arguments[i + 1])
        i += 2
        continue
      }
      out.append(a)
      i += 1
    }
    return out
  }

  /// True for `-3`, `-0.5`, `-.5`, `-1e6`, `-inf`, `-nan`: things a user means as a number.
  static func looksNegative(_ s: String) -> Bool {
    guard s.hasPrefix("-"), s.count > 1 else { return false }
    let rest = s.dropFirst()
    if rest.lowercased() == "inf" || rest.lowercased() == "nan" { return true }
    guard let first = rest.first, first.isNumber || first == "." else { return false }
    return Double(rest) != nil || Int(rest) != nil
  }
}
