import TMSRender

/// The panels the static figure (``SnapshotFigure``) and the animation (``HistoryAnimation``)
/// share, split into what changes with the weights (cells, vectors) and what does not
/// (outlines, axes, labels), so an animation draws the unchanging part once.
enum FigurePanels {
  /// One run of equal colour in a WᵀW row: columns `from..<to` of row `row`.
  struct Run: Equatable {
    var row: Int
    var from: Int
    var to: Int
    var color: String
  }

  /// WᵀW's rows as runs of equal (quantised) colour, the entries divided by `scale` first so
  /// ±`scale` are the ramp's ends.
  static func gramRuns(_ gram: [Float], n: Int, scale: Double = 1) -> [Run] {
    var runs: [Run] = []
    for i in 0..<n {
      var j = 0
      while j < n {
        let color = SnapshotFigure.divergingColor(Double(gram[i * n + j]) / scale)
        var e = j + 1
        while e < n && SnapshotFigure.divergingColor(Double(gram[i * n + e]) / scale) == color {
          e += 1
        }
        runs.append(Run(row: i, from: j, to: e, color: color))
        j = e
      }
    }
    return runs
  }

  /// The heatmap's outlines, its `WᵀW` and `b` titles, index ticks and axis names.
  static func gramFrame(
    _ o: inout SVGBuilder, n: Int, x0: Double, y0: Double, S: Double, biasW: Double
  ) {
    let fmt = SnapshotFigure.fmt
    let bx = x0 + S + 6
    let cell = S / Double(n)
    o.line(
      "<rect x=\"\(fmt(x0))\" y=\"\(fmt(y0))\" width=\"\(fmt(S))\" height=\"\(fmt(S))\" fill=\"none\" stroke=\"#333333\" stroke-width=\"0.8\"/>"
    )
    o.line(
      "<rect x=\"\(fmt(bx))\" y=\"\(fmt(y0))\" width=\"\(fmt(biasW))\" height=\"\(fmt(S))\" fill=\"none\" stroke=\"#333333\" stroke-width=\"0.8\"/>"
    )
    o.text("b", x: bx + biasW / 2, y: y0 - 4, size: 11, anchor: "middle", style: "italic")
    o.text("WᵀW", x: x0 + S / 2, y: y0 - 4, size: 11, anchor: "middle")
    for t in SnapshotFigure.ticks(n) {
      let pos = (Double(t) + 0.5) * cell
      o.text(String(t), x: x0 + pos, y: y0 + S + 13, size: 9, anchor: "middle", fill: "#444444")
      o.text(String(t), x: x0 - 4, y: y0 + pos + 3, size: 9, anchor: "end", fill: "#444444")
    }
    o.text("feature j", x: x0 + S / 2, y: y0 + S + 28, size: 11, anchor: "middle")
    o.text("feature i", x: x0 - 30, y: y0 + S / 2, size: 11, anchor: "middle", rotate: true)
  }

  /// The directions panel's box, the axes through the centre and the dashed unit circle,
  /// for coordinates up to ±`r`.
  static func directionAxes(_ o: inout SVGBuilder, x0: Double, y0: Double, S: Double, r: Double) {
    let fmt = SnapshotFigure.fmt
    let cx = x0 + S / 2
    let cy = y0 + S / 2
    let u = S / (2 * r)
    o.line(
      "<rect x=\"\(fmt(x0))\" y=\"\(fmt(y0))\" width=\"\(fmt(S))\" height=\"\(fmt(S))\" fill=\"none\" stroke=\"#333333\" stroke-width=\"0.8\"/>"
    )
    o.line(
      "<line x1=\"\(fmt(x0))\" y1=\"\(fmt(cy))\" x2=\"\(fmt(x0 + S))\" y2=\"\(fmt(cy))\" stroke=\"#cccccc\" stroke-width=\"0.8\"/>"
    )
    o.line(
      "<line x1=\"\(fmt(cx))\" y1=\"\(fmt(y0))\" x2=\"\(fmt(cx))\" y2=\"\(fmt(y0 + S))\" stroke=\"#cccccc\" stroke-width=\"0.8\"/>"
    )
    o.line(
      "<circle cx=\"\(fmt(cx))\" cy=\"\(fmt(cy))\" r=\"\(fmt(u))\" fill=\"none\" stroke=\"#999999\" stroke-dasharray=\"4,3\" stroke-width=\"1\"/>"
    )
  }

  /// Each feature's direction as a line from the centre ending in a dot, coloured by
  /// importance (the most important drawn last, on top), numbered when there are few and the
  /// direction is long enough to label. `points[i]` is W_i in the panel's coordinates.
  static func directionVectors(
    _ o: inout SVGBuilder, points: [(x: Double, y: Double)], norms: [Double],
    importance: [Double], x0: Double, y0: Double, S: Double, r: Double
  ) {
    let fmt = SnapshotFigure.fmt
    let cx = x0 + S / 2
    let cy = y0 + S / 2
    let u = S / (2 * r)
    let top = importance.max() ?? 1
    let order = importance.indices.sorted { importance[$0] < importance[$1] }
    for i in order where points.indices.contains(i) {
      let (wx, wy) = points[i]
      let x = cx + wx * u
      let y = cy - wy * u
      let color = Palette.importance.color(at: top > 0 ? importance[i] / top : 1).hex
      o.line(
        "<line x1=\"\(fmt(cx))\" y1=\"\(fmt(cy))\" x2=\"\(fmt(x))\" y2=\"\(fmt(y))\" stroke=\"\(color)\" stroke-width=\"2\" stroke-linecap=\"round\"/>"
      )
      o.line("<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"3\" fill=\"\(color)\"/>")
      if importance.count <= 24 && norms[i] > 0.15 {
        let lx = cx + wx * u + (wx >= 0 ? 5 : -5)
        let ly = cy - wy * u + (wy >= 0 ? -5 : 12)
        o.text(
          String(i), x: lx, y: ly, size: 10, anchor: wx >= 0 ? "start" : "end", fill: "#222222")
      }
    }
  }

  /// The directions panel's axis names, its ±`r` range and its title.
  static func directionLabels(
    _ o: inout SVGBuilder, x0: Double, y0: Double, S: Double, r: Double,
    axes: (String, String) = ("h₁", "h₂"), title: String = "directions W_i (dashed: unit circle)"
  ) {
    let short = { SnapshotFigure.short($0) }
    o.text(axes.0, x: x0 + S / 2, y: y0 + S + 28, size: 11, anchor: "middle", style: "italic")
    o.text(
      axes.1, x: x0 - 14, y: y0 + S / 2, size: 11, anchor: "middle", style: "italic", rotate: true)
    o.text("−\(short(r))", x: x0, y: y0 + S + 13, size: 9, anchor: "start", fill: "#444444")
    o.text(short(r), x: x0 + S, y: y0 + S + 13, size: 9, anchor: "end", fill: "#444444")
    o.text(title, x: x0 + S / 2, y: y0 - 4, size: 11, anchor: "middle")
  }

  /// A horizontal colour bar `w` wide with its label above and tick texts below (`ticks` at
  /// positions 0…1 along the bar).
  static func colorBar(
    _ o: inout SVGBuilder, x: Double, y: Double, w: Double, label: String,
    ticks: [(Double, String)], color: (Double) -> String
  ) {
    let fmt = SnapshotFigure.fmt
    let steps = 64
    o.line("<g shape-rendering=\"crispEdges\">")
    for i in 0..<steps {
      let t = (Double(i) + 0.5) / Double(steps)
      o.rect(
        x: x + Double(i) * w / Double(steps), y: y, w: w / Double(steps) + 0.3, h: 12,
        fill: color(t))
    }
    o.line("</g>")
    o.line(
      "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(w))\" height=\"12\" fill=\"none\" stroke=\"#333333\" stroke-width=\"0.6\"/>"
    )
    for (t, text) in ticks {
      o.text(text, x: x + t * w, y: y + 26, size: 10, anchor: "middle", fill: "#333333")
    }
    o.text(label, x: x + w / 2, y: y - 6, size: 11, anchor: "middle")
  }
}
