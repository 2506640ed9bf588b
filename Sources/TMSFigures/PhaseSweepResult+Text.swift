import Foundation
import TMSCore

/// The phase diagram as text: CSV for spreadsheets and a terminal figure.
extension PhaseSweepResult {
  /// One CSV line per finished cell, row-major, after a header:
  /// `row,column,feature_probability,relative_importance,norm,superposition,loss,label,
  /// winning_seed,seed_losses,analytic_label,analytic_loss,analytic_boundary,trained_label,
  /// trained_loss,prototype,floor_loss` (seed losses joined by `;`, one per seed trained;
  /// `prototype` empty unless a prototype decided the cell; losses notebook convention).
  public func csv() -> String {
    var lines = [
      "row,column,feature_probability,relative_importance,norm,superposition,loss,label,"
        + "winning_seed,seed_losses,analytic_label,analytic_loss,analytic_boundary,"
        + "trained_label,trained_loss,prototype,floor_loss"
    ]
    func g(_ x: Double) -> String { String(format: "%.9g", x) }
    for row in cells {
      for case let c? in row {
        let boundary = analyticBoundary.map { g($0[c.column]) } ?? ""
        let fields: [String] = [
          "\(c.row)", "\(c.column)", g(c.featureProbability), g(c.relativeImportance),
          g(c.norm), g(c.superposition), g(c.loss), c.label.rawValue, "\(c.winningSeed)",
          c.seedLosses.map(g).joined(separator: ";"), c.analyticLabel?.rawValue ?? "",
          c.analyticLoss.map(g) ?? "", boundary, c.trainedLabel.rawValue, g(c.trainedLoss),
          c.prototype?.rawValue ?? "", c.floorLoss.map(g) ?? "",
        ]
        lines.append(fields.joined(separator: ","))
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A text figure: the labels (· not learned, D dedicated, S superposition, space = not
  /// finished; a `*` after a label decided by a prototype solution) with p down and r across,
  /// and the analytic labels beside them; rows labelled with p, columns marked at r = 0.1,
  /// 1, 10 where they fall.
  public func textFigure() -> String {
    let g = config.grid
    var lines: [String] = []
    let n = config.features
    let seeds =
      config.seedCap > config.seeds
      ? "\(config.seeds)–\(config.seedCap) seeds (more where seeds disagree or a prototype "
        + "beats them)" : "\(config.seeds) seed\(config.seeds == 1 ? "" : "s")"
    lines.append(
      "\(n)→\(n - 1) phase diagram of the extra feature, \(g)×\(g) cells, best of \(seeds), "
        + "\(config.training.steps) steps each")
    lines.append("  · not learned   D dedicated dimension   S superposition")
    if !prototypeCells.isEmpty {
      lines.append("  * a prototype solution beats every trained seed: its label is shown")
    }
    var header = "   p     diagram (r →)"
    header = header.padding(toLength: 10 + 2 * g, withPad: " ", startingAt: 0) + "analytic"
    lines.append(header)
    for (ri, row) in cells.enumerated() {
      var line = String(format: "%6.3f  ", featureProbability[ri])
      line += row.map { c in
        guard let c else { return "  " }
        return String(c.label.symbol) + (c.prototype != nil ? "*" : " ")
      }.joined()
      line += "  "
      line += relativeImportance.map { r in
        String(
          PhaseSweep.analyticLabel(
            features: n, probability: featureProbability[ri], relativeImportance: r
          ).symbol)
      }.joined(separator: " ")
      lines.append(line)
    }
    var axis = [Character](repeating: " ", count: 2 * g)
    for (mark, text) in [(0.1, "0.1"), (1.0, "1"), (10.0, "10")] {
      guard
        let c = relativeImportance.indices.min(by: {
          abs(log(relativeImportance[$0] / mark)) < abs(log(relativeImportance[$1] / mark))
        }), abs(log(relativeImportance[c] / mark)) < 0.2
      else { continue }
      for (k, ch) in text.enumerated() where 2 * c + k < axis.count { axis[2 * c + k] = ch }
    }
    let axisText = String(axis)
    lines.append("   r:   " + axisText + "  " + axisText)
    return lines.joined(separator: "\n")
  }
}
