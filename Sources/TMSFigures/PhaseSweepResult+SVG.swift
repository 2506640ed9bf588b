import Foundation
import TMSCore
import TMSRender

/// The phase diagram as the paper draws it, in SVG: one square per cell, p down and r across
/// (log axes), coloured from the extra feature as in the paper and the phase view
/// (``Palette/phase(norm:superposition:)``: white not learned, blue dedicated, red
/// superposition, blends between), with the analytic prototype boundary over the cells.
///
/// The boundary is a staircase under the last row with p ≥ p*(r) in each column
/// (superposition below it; in 3→2 it runs along the bottom for r > 1, where the extra
/// feature is never in superposition) and a dashed line at r = 1 where the label changes
/// across it (2→1: above p*(1) = 4/7; 3→2: at every p). Dotted lines bound the band around
/// r = 1 the agreement leaves out; `*` marks a cell that shows a prototype solution because it
/// beats every trained seed. A legend states the agreement as
/// ``PhaseSweepResult/analyticAgreement(probabilityFactor:importanceFactor:)`` counts it.
extension PhaseSweepResult {
  /// The SVG text of the diagram; the band and the agreement use the two factors.
  public func svg(probabilityFactor: Double = 1.5, importanceFactor: Double = 1.5) -> String {
    let g = config.grid
    let n = config.features
    let cs = max(8, min(24, 480 / Double(g)))
    let left = 78.0
    let top = 58.0
    let side = cs * Double(g)
    let width = left + side + 270
    let height = top + side + 64
    func f(_ x: Double) -> String { String(format: "%.1f", x) }
    func x(_ column: Int) -> Double { left + Double(column) * cs }
    func y(_ row: Int) -> Double { top + Double(row) * cs }
    var s = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" \
      viewBox="0 0 \(f(width)) \(f(height))" font-family="sans-serif" font-size="12">
      <rect width="100%" height="100%" fill="#ffffff"/>

      """
    let seeds =
      config.seedCap > config.seeds ? "\(config.seeds)–\(config.seedCap)" : "\(config.seeds)"
    let importance = n == 3 ? "(1, 1, r)" : "(1, r)"
    s += "<text x=\"\(f(left))\" y=\"22\" font-size=\"15\" font-weight=\"bold\">\(n)→\(n - 1) "
    s += "phase diagram of the extra feature, importance \(importance)</text>\n"
    s += "<text x=\"\(f(left))\" y=\"40\" fill=\"#555\">best of \(seeds) seeds per cell, "
    s += "\(config.training.steps) steps each; \(completed)/\(total) cells</text>\n"
    // Cells.
    for (row, cells) in cells.enumerated() {
      for (column, cell) in cells.enumerated() {
        let fill = cell.map { Palette.phase(norm: $0.norm, superposition: $0.superposition).hex }
        s +=
          "<rect x=\"\(f(x(column)))\" y=\"\(f(y(row)))\" width=\"\(f(cs))\" height=\"\(f(cs))\" "
        s += "fill=\"\(fill ?? "#eeeeee")\" stroke=\"#ffffff\" stroke-width=\"0.5\"/>\n"
        if cell?.prototype != nil {
          s += "<text x=\"\(f(x(column) + cs / 2))\" y=\"\(f(y(row) + cs * 0.8))\" "
          s += "text-anchor=\"middle\" font-size=\"\(f(cs * 0.8))\" fill=\"#000\">*</text>\n"
        }
      }
    }
    s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(side))\" height=\"\(f(side))\" "
    s += "fill=\"none\" stroke=\"#888\"/>\n"
    // The band around r = 1 that the agreement leaves out.
    let r = relativeImportance
    let inBand = r.indices.filter { r[$0] < importanceFactor && r[$0] * importanceFactor > 1 }
    if let first = inBand.first, let last = inBand.last {
      for edge in [first, last + 1] {
        s += "<line x1=\"\(f(x(edge)))\" y1=\"\(f(top))\" x2=\"\(f(x(edge)))\" "
        s +=
          "y2=\"\(f(top + side))\" stroke=\"#000\" stroke-width=\"1.2\" stroke-dasharray=\"2 3\"/>\n"
      }
    }
    // The analytic boundary: a staircase under the last row with p ≥ p*(r).
    if let boundary = analyticBoundary {
      var points: [String] = []
      for column in 0..<g {
        let k = featureProbability.lastIndex { $0 >= boundary[column] } ?? -1
        let yb = y(k + 1)
        points.append("\(f(x(column))),\(f(yb))")
        points.append("\(f(x(column + 1))),\(f(yb))")
      }
      s += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#000\" "
      s += "stroke-width=\"2\"/>\n"
      // r = 1: not learned | dedicated above p*(1) (2→1), and every p in 3→2.
      if let j = r.indices.first(where: { $0 > 0 && r[$0 - 1] < 1 && r[$0] >= 1 }) {
        let dense = PhaseSweep.analyticBoundary(features: n, relativeImportance: 1)
        let k = n == 3 ? g - 1 : (featureProbability.lastIndex { $0 > dense } ?? -1)
        if k >= 0 {
          s += "<line x1=\"\(f(x(j)))\" y1=\"\(f(top))\" x2=\"\(f(x(j)))\" y2=\"\(f(y(k + 1)))\" "
          s += "stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n"
        }
      }
    }
    // Axes: p down, r across, at the first and last cells and 0.1, 1, 10 where they fall.
    for row in Set([0, g / 4, g / 2, 3 * g / 4, g - 1]).sorted() {
      s += "<text x=\"\(f(left - 6))\" y=\"\(f(y(row) + cs * 0.7))\" text-anchor=\"end\">"
      s += "\(SnapshotFigure.short(featureProbability[row], digits: 2))</text>\n"
    }
    var marked = Set<Int>()
    // r = 1 sits on the line between the last column below 1 and the first at or above it.
    if let j = r.indices.first(where: { $0 > 0 && r[$0 - 1] < 1 && r[$0] >= 1 }) {
      s += "<text x=\"\(f(x(j)))\" y=\"\(f(top + side + 16))\" text-anchor=\"middle\">1</text>\n"
      marked.formUnion([j - 1, j])
    }
    for mark in [r.first ?? 0.1, 0.1, 1, 10, r.last ?? 10] {
      guard mark > 0,
        let j = r.indices.min(by: { abs(log(r[$0] / mark)) < abs(log(r[$1] / mark)) }),
        !marked.contains(j)
      else { continue }
      marked.insert(j)
      s += "<text x=\"\(f(x(j) + cs / 2))\" y=\"\(f(top + side + 16))\" text-anchor=\"middle\">"
      s += "\(SnapshotFigure.short(r[j], digits: 2))</text>\n"
    }
    s += "<text x=\"\(f(left + side / 2))\" y=\"\(f(top + side + 38))\" text-anchor=\"middle\">"
    s += "relative importance r of the extra feature (log)</text>\n"
    s +=
      "<text transform=\"translate(22 \(f(top + side / 2))) rotate(-90)\" text-anchor=\"middle\">"
    s += "feature probability p = 1 − S (log)</text>\n"
    // Legend.
    let lx = left + side + 18
    var ly = top + 4
    for (rgb, text) in [
      (Palette.notLearned, "not learned"), (Palette.dedicated, "dedicated dimension"),
      (Palette.superposition, "superposition"),
    ] {
      s += "<rect x=\"\(f(lx))\" y=\"\(f(ly))\" width=\"14\" height=\"14\" fill=\"\(rgb.hex)\" "
      s += "stroke=\"#888\"/>\n<text x=\"\(f(lx + 20))\" y=\"\(f(ly + 11))\">\(text)</text>\n"
      ly += 20
    }
    s += "<line x1=\"\(f(lx))\" y1=\"\(f(ly + 7))\" x2=\"\(f(lx + 14))\" y2=\"\(f(ly + 7))\" "
    s += "stroke=\"#000\" stroke-width=\"2\"/>\n<text x=\"\(f(lx + 20))\" y=\"\(f(ly + 11))\">"
    s += "analytic boundary</text>\n"
    ly += 20
    s += "<line x1=\"\(f(lx + 7))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 7))\" y2=\"\(f(ly + 14))\" "
    s +=
      "stroke=\"#000\" stroke-width=\"1.2\" stroke-dasharray=\"2 3\"/>\n<text x=\"\(f(lx + 20))\" y=\"\(f(ly + 11))\">"
    s += "band not counted</text>\n"
    ly += 20
    if !prototypeCells.isEmpty {
      s += "<text x=\"\(f(lx + 7))\" y=\"\(f(ly + 13))\" text-anchor=\"middle\" font-size=\"16\">*"
      s += "</text>\n<text x=\"\(f(lx + 20))\" y=\"\(f(ly + 11))\">prototype beats every seed"
      s += "</text>\n"
      ly += 20
    }
    if let a = analyticAgreement(
      probabilityFactor: probabilityFactor, importanceFactor: importanceFactor)
    {
      ly += 10
      let lines = [
        "agreement with the analytic",
        "prototypes: \(a.agreeing)/\(a.counted) = "
          + String(format: "%.1f%%", 100 * a.fraction),
        "trained seeds alone: \(a.trainedAgreeing)/\(a.counted)",
        "counted: p ≥ \(SnapshotFigure.short(probabilityFactor))× or ≤ 1/"
          + "\(SnapshotFigure.short(probabilityFactor))× p*(r),",
        "r ≥ \(SnapshotFigure.short(importanceFactor)) or ≤ 1/"
          + "\(SnapshotFigure.short(importanceFactor))",
        "all cells: \(a.finishedAgreeing)/\(a.finished)",
      ]
      for line in lines {
        s += "<text x=\"\(f(lx))\" y=\"\(f(ly + 11))\" fill=\"#333\">"
        s += "\(SnapshotFigure.escape(line))</text>\n"
        ly += 17
      }
    }
    s += "</svg>\n"
    return s
  }
}
