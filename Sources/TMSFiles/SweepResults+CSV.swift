import TMSCore

/// A sweep's results as CSV, for spreadsheets and `pandas.read_csv`.
///
/// One header row, then one row per point in point order:
/// `point, <one column per axis key>, seeds, best_seed, eval_loss, eval_loss_se,
/// eval_loss_paper, seed_loss_mean, seed_loss_se, dimensions_per_feature, represented,
/// geometry, seed_losses, norms, superposition`. Lists are joined by `;`; a value that is not
/// finite is empty (pandas reads NaN); an axis value that is not a number (a model's name, a
/// curve object) is its JSON text, quoted as CSV requires. It lives beside the JSON writer
/// because those axis values are written as JSON.
extension SweepResults {
  /// The CSV text.
  public func csv() -> String {
    let axisKeys = spec.axes.map(\.key)
    var rows: [String] = [
      (["point"] + axisKeys + [
        "seeds", "best_seed", "eval_loss", "eval_loss_se", "eval_loss_paper", "seed_loss_mean",
        "seed_loss_se", "dimensions_per_feature", "represented", "geometry", "seed_losses",
        "norms", "superposition",
      ]).map(Self.field).joined(separator: ",")
    ]
    for r in records.sorted(by: { $0.point < $1.point }) {
      var cells = ["\(r.point)"]
      for key in axisKeys { cells.append(Self.cell(r.axes[key] ?? .null)) }
      let o = r.object
      for key in [
        "seeds", "best_seed", "eval_loss", "eval_loss_se", "eval_loss_paper", "seed_loss_mean",
        "seed_loss_se", "dimensions_per_feature", "represented", "geometry",
      ] {
        cells.append(Self.cell(o[key] ?? .null))
      }
      for key in ["seed_losses", "norms", "superposition"] {
        if case .array(let items)? = o[key] {
          cells.append(items.map(Self.cell).joined(separator: ";"))
        } else {
          cells.append("")
        }
      }
      rows.append(cells.joined(separator: ","))
    }
    return rows.joined(separator: "\n") + "\n"
  }

  /// A value as a CSV cell: a number as written, `null` empty, text quoted when needed, and
  /// anything else as quoted JSON.
  static func cell(_ v: JSONValue) -> String {
    switch v {
    case .null: return ""
    case .number(let t): return t
    case .bool(let b): return b ? "true" : "false"
    case .string(let s): return field(s)
    default:
      var w = JSONWriter()
      w.compact(v)
      return field(String(decoding: w.bytes, as: UTF8.self))
    }
  }

  /// Text quoted as CSV requires (RFC 4180): in double quotes, doubled inside, when it holds
  /// a comma, a quote, a semicolon or a line break.
  static func field(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == ";" }) else {
      return s
    }
    return "\""
      + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
  }
}
