import Foundation
import TMSCore
import TMSFigures
import TMSRender

extension SectionResult {
  /// The section's figures as (file name, SVG text), drawn as the paper draws them.
  public func figures() -> [(file: String, svg: String)] {
    switch experiment.name {
    case "intro": return data.run("relu-output").map { [("intro.svg", Self.polygonRow($0))] } ?? []
    case "basic":
      guard let l = data.run("linear"), let r = data.run("relu-output") else { return [] }
      return [
        ("basic-ratios.svg", Self.basicRatios(linear: l, relu: r)),
        ("basic-gram.svg", Self.gramRow(r)),
      ]
    case "phase-2-1", "phase-3-2":
      return data.phase.map { [("\(experiment.name).svg", $0.svg())] } ?? []
    case "dimensionality":
      return data.run("relu-output").map { [("dimensionality.svg", Self.dimensionality($0))] } ?? []
    case "neurons":
      return data.runs.map { ("neurons-\($0.role).svg", Self.neuronBars($0.run)) }
    case "arrangements":
      return data.runs.map { ("arrangements-\($0.role).svg", Self.polygonRow($0.run)) }
    case "learning-dynamics":
      return data.history.map { [("learning-dynamics.svg", Self.learningDynamics($0))] } ?? []
    case "adversarial":
      guard let l = data.run("linear"), let r = data.run("relu-output") else { return [] }
      return [("adversarial.svg", Self.adversarial(linear: l, relu: r))]
    default: return []
    }
  }

  /// One circle per instance with the feature directions W_i (m = 2), p and the label below.
  static func polygonRow(_ run: TrainedRun) -> String {
    let K = run.config.instances
    let side = 130.0
    var c = SVGCanvas(width: 20 + Double(K) * (side + 10), height: side + 130)
    c.text(
      "\(run.config.name): \(run.config.features)→\(run.config.hidden), directions W_i (dashed: unit circle), best of \(run.seeds) seeds",
      c.width / 2, 22, size: 13, anchor: "middle", bold: true)
    let importance = run.config.importance
    for k in 0..<K {
      let cx = 20 + Double(k) * (side + 10) + side / 2
      let cy = 40 + side / 2
      let W = run.parameters[k].W
      let reach = max(1.2, (run.metrics[k].norms.max() ?? 1) * 1.1)
      let u = side / 2 / reach
      c.rect(cx - side / 2, cy - side / 2, side, side, fill: "none", stroke: "#cccccc")
      c.raw(
        "<circle cx=\"\(SVGCanvas.f(cx))\" cy=\"\(SVGCanvas.f(cy))\" r=\"\(SVGCanvas.f(u))\" fill=\"none\" stroke=\"#999999\" stroke-dasharray=\"3,3\"/>"
      )
      let top = importance[k].max() ?? 1
      for i in W.indices where W[i].count >= 2 {
        let x = cx + Double(W[i][0]) * u
        let y = cy - Double(W[i][1]) * u
        let color = Palette.importance.color(at: top > 0 ? importance[k][i] / top : 1).hex
        c.line(cx, cy, x, y, stroke: color, width: 2)
        c.circle(x, y, r: 2.5, fill: color)
        if W.count <= 8 && run.metrics[k].norms[i] > 0.2 {
          c.text(
            String(i), x + (W[i][0] >= 0 ? 4 : -4), y + (W[i][1] >= 0 ? -3 : 10), size: 9,
            anchor: W[i][0] >= 0 ? "start" : "end")
        }
      }
      let p = run.config.featureProbability[k]
      let pText =
        Set(p).count == 1 ? "p = \(ClaimRule.number(p[0]))" : "p₀ = \(ClaimRule.number(p[0]))"
      c.text(pText, cx, cy + side / 2 + 16, size: 10, anchor: "middle")
      for (line, text) in run.metrics[k].geometry.text.wrapped(width: 26).prefix(4)
        .enumerated()
      {
        c.text(
          text, cx, cy + side / 2 + 30 + Double(line) * 12, size: 9, anchor: "middle",
          fill: "#555555")
      }
    }
    return c.svg
  }

  /// The ReLU model's loss ÷ the linear model's at each p, the paper's ratios beside tms's.
  static func basicRatios(linear: TrainedRun, relu: TrainedRun) -> String {
    var c = SVGCanvas(width: 560, height: 380)
    let frame = ChartFrame(
      x0: 70, y0: 40, w: 440, h: 280, xRange: 0.0008...1.2, yRange: 0...1.1, logX: true)
    frame.draw(
      &c, xLabel: "feature probability p = 1 − S", yLabel: "ReLU loss ÷ linear loss",
      title: "Basic results 20→5: superposition lowers the loss as features get sparser")
    let ps = (0..<relu.config.instances).map(relu.probability)
    let ours = ps.indices.map { relu.loss[$0] / linear.loss[$0] }
    c.polyline(
      zip(ps, Experiment.basicRatios).map { (frame.px($0.0), frame.py($0.1)) }, stroke: "#999999",
      width: 1)
    for (p, r) in zip(ps, Experiment.basicRatios) {
      c.circle(frame.px(p), frame.py(r), r: 4, fill: "#ffffff", stroke: "#555555")
    }
    c.polyline(
      zip(ps, ours).map { (frame.px($0.0), frame.py($0.1)) }, stroke: "#d62728", width: 1.5)
    for (p, r) in zip(ps, ours) { c.circle(frame.px(p), frame.py(r), r: 3.5, fill: "#d62728") }
    c.circle(90, 60, r: 4, fill: "#ffffff", stroke: "#555555")
    c.text("paper", 100, 64, size: 11)
    c.circle(150, 60, r: 3.5, fill: "#d62728")
    c.text("tms (best of \(relu.seeds) seeds)", 160, 64, size: 11)
    return c.svg
  }

  /// WᵀW (diverging) and b for each instance, with the norms ‖W_i‖ as bars beneath.
  static func gramRow(_ run: TrainedRun) -> String {
    let K = run.config.instances
    let n = run.config.features
    let side = 120.0
    var c = SVGCanvas(width: 30 + Double(K) * (side + 30), height: side * 2 + 90)
    c.text(
      "\(run.config.name): WᵀW with b (−1 blue, +1 red) and ‖W_i‖ by importance", c.width / 2, 20,
      size: 13, anchor: "middle", bold: true)
    let cell = side / Double(n)
    for k in 0..<K {
      let x0 = 20 + Double(k) * (side + 30)
      let y0 = 40.0
      let g =
        run.metrics[k].gram.isEmpty
        ? InstanceMetrics.gram(run.parameters[k].W, hidden: run.config.hidden) : run.metrics[k].gram
      c.raw("<g shape-rendering=\"crispEdges\">")
      for i in 0..<n {
        for j in 0..<n {
          c.rect(
            x0 + Double(j) * cell, y0 + Double(i) * cell, cell, cell,
            fill: SVGCanvas.diverging(Double(g[i * n + j])))
        }
        c.rect(
          x0 + side + 3, y0 + Double(i) * cell, 6, cell,
          fill: SVGCanvas.diverging(Double(run.parameters[k].b[i])))
      }
      c.raw("</g>")
      c.rect(x0, y0, side, side, fill: "none", stroke: "#333333")
      let by = y0 + side + 10
      let scale = side / 1.3
      for i in 0..<n {
        let norm = run.metrics[k].norms[i]
        let s = run.metrics[k].superposition[i]
        c.rect(
          x0, by + Double(i) * cell + cell * 0.1, min(side, norm * scale), cell * 0.8,
          fill: Palette.sequential.color(at: min(1, max(0, s.squareRoot()))).hex)
      }
      c.line(x0 + 0.5 * scale, by, x0 + 0.5 * scale, by + side, stroke: "#888888", dash: "3,3")
      c.text(
        "p = \(ClaimRule.number(run.probability(k)))", x0 + side / 2, by + side + 16, size: 10,
        anchor: "middle")
      c.text(
        "\(run.metrics[k].represented) represented", x0 + side / 2, by + side + 29, size: 9,
        anchor: "middle", fill: "#555555")
    }
    return c.svg
  }

  /// D* against 1/(1−S) (log x), every D_i as a dot, and the tight-frame fractions as lines.
  static func dimensionality(_ run: TrainedRun) -> String {
    var c = SVGCanvas(width: 640, height: 440)
    let frame = ChartFrame(
      x0: 70, y0: 40, w: 460, h: 320, xRange: 0.9...25, yRange: 0...1.1, logX: true)
    frame.draw(
      &c, xLabel: "1/(1−S), log scale", yLabel: "dimensions per feature",
      title: "\(run.config.features)→\(run.config.hidden): D* and every D_i")
    frame.drawFractions(&c)
    let K = run.config.instances
    for k in 0..<K {
      let x = frame.px(1 / run.probability(k))
      for (i, d) in run.metrics[k].dimensionality.enumerated() where run.metrics[k].norms[i] > 0.1 {
        c.circle(x + Double(i % 7 - 3) * 0.8, frame.py(d), r: 1.3, fill: "#1f77b4")
      }
    }
    c.polyline(
      (0..<K).map {
        (frame.px(1 / run.probability($0)), frame.py(run.metrics[$0].dimensionsPerFeature))
      }, stroke: "#000000", width: 2)
    c.text("— D* = m/‖W‖_F²     • D_i (features with ‖W_i‖ > 0.1)", frame.x0, 425, size: 11)
    return c.svg
  }

  /// Per instance, one stacked bar per neuron: its weights' squares by feature (coloured by
  /// feature importance rank), the paper's neuron figure.
  static func neuronBars(_ run: TrainedRun) -> String {
    let K = run.config.instances
    let m = run.config.hidden
    let n = run.config.features
    let barW = max(3.0, min(12, 600 / Double(m)))
    let panelW = Double(m) * barW + 20
    let perRow = max(1, Int(1200 / panelW))
    let rows = (K + perRow - 1) / perRow
    var c = SVGCanvas(
      width: 40 + Double(min(K, perRow)) * (panelW + 20), height: 60 + Double(rows) * 200)
    c.text(
      "\(run.config.name) (\(run.config.model.rawValue) \(n)→\(m)): per neuron, W_kf² stacked by feature (purple = most important … yellow = least represented); ■ monosemantic",
      c.width / 2, 22, size: 13, anchor: "middle", bold: true)
    for k in 0..<K {
      let x0 = 30 + Double(k % perRow) * (panelW + 20)
      let y0 = 50 + Double(k / perRow) * 200
      let h = 140.0
      var columns: [[Double]] = []
      for j in 0..<m {
        columns.append(
          (0..<n).map { Double(run.parameters[k].W[$0][j] * run.parameters[k].W[$0][j]) })
      }
      let top = max(1e-9, columns.map { $0.reduce(0, +) }.max() ?? 1)
      // The ramp spans the represented features (the rest share its yellow end).
      let shown = max(1, run.metrics[k].represented)
      for (j, col) in columns.enumerated() {
        var y = y0 + h
        let order = col.indices.sorted { col[$0] > col[$1] }
        for i in order where col[i] > 1e-4 * top {
          let hh = col[i] / top * h
          y -= hh
          c.rect(
            x0 + Double(j) * barW, y, barW - 1, hh,
            fill: Palette.sequential.color(at: min(1, Double(i) / Double(shown))).hex)
        }
        if j < run.metrics[k].monosemanticity.count
          && run.metrics[k].monosemanticity[j] > Experiment.monosemanticAbove
        {
          c.rect(x0 + Double(j) * barW, y0 + h + 3, barW - 1, 4, fill: "#222222")
        }
      }
      let mono = run.metrics[k].monosemanticity.filter { $0 > Experiment.monosemanticAbove }.count
      c.text(
        "p = \(ClaimRule.number(run.probability(k))): \(mono)/\(m) monosemantic", x0, y0 + h + 22,
        size: 10)
    }
    return c.svg
  }

  /// The loss and every D_i over training, log steps, with the tight-frame fractions.
  static func learningDynamics(_ h: TrainingHistory) -> String {
    var c = SVGCanvas(width: 680, height: 560)
    let last = Double(h.steps.last ?? 100)
    let lossFrame = ChartFrame(
      x0: 70, y0: 40, w: 520, h: 150, xRange: 90...last * 1.05,
      yRange: max(1e-6, (h.loss.min() ?? 1e-3) * 0.8)...max(1e-5, (h.loss.max() ?? 1) * 1.2),
      logX: true, logY: true)
    lossFrame.draw(&c, xLabel: "", yLabel: "loss", title: "Learning dynamics 100→10, p = 0.45")
    c.polyline(
      zip(h.steps, h.loss).map { (lossFrame.px(Double($0.0)), lossFrame.py($0.1)) },
      stroke: "#000000", width: 1.5)
    let dFrame = ChartFrame(
      x0: 70, y0: 240, w: 520, h: 270, xRange: 90...last * 1.05, yRange: 0...1.1, logX: true)
    dFrame.draw(&c, xLabel: "step (log scale)", yLabel: "D_i", title: "")
    dFrame.drawFractions(&c)
    let n = h.dimensionality.first?.count ?? 0
    for i in 0..<n {
      c.polyline(
        h.steps.indices.map {
          (dFrame.px(Double(h.steps[$0])), dFrame.py(h.dimensionality[$0][i]))
        },
        stroke: SVGCanvas.series[i % SVGCanvas.series.count], width: 0.8)
    }
    return c.svg
  }

  /// Vulnerability, the measured attack gain and features per dimension against 1/(1−S).
  static func adversarial(linear: TrainedRun, relu: TrainedRun) -> String {
    let v = Experiment.vulnerability(linear: linear, relu: relu)
    let xs = (0..<relu.config.instances).map { 1 / relu.probability($0) }
    let attacks = (0..<relu.config.instances).map { k in
      AttackResult.measure(relu.parameters[k], config: relu.config, instance: k).worstGain
    }
    let values = v.map(\.vulnerability) + v.map(\.featuresPerDimension) + attacks
    let top = max(1.1, values.filter(\.isFinite).max() ?? 1) * 1.05
    var c = SVGCanvas(width: 640, height: 450)
    let frame = ChartFrame(x0: 70, y0: 40, w: 460, h: 290, xRange: 1...10, yRange: 0...top)
    frame.draw(
      &c, xLabel: "1/(1−S)", yLabel: "",
      title: "Adversarial vulnerability tracks features per dimension (20→5)")
    let series: [(values: [Double], color: String, width: Double, label: String)] = [
      (
        v.map(\.vulnerability), "#d62728", 2,
        "vulnerability (ReLU ÷ linear loss increase, worst feature)"
      ),
      (v.map(\.featuresPerDimension), "#1f77b4", 2, "features per dimension ‖W‖_F²/m"),
      (
        attacks, "#2ca02c", 1.5,
        "measured attack gain: worst ‖y(x+δ) − y(x)‖/ε (projected gradient, ε = 0.1)"
      ),
    ]
    for (i, s) in series.enumerated() {
      c.polyline(
        zip(xs, s.values).map { (frame.px($0.0), frame.py($0.1)) }, stroke: s.color, width: s.width)
      let y = 392 + Double(i) * 20
      c.line(90, y, 110, y, stroke: s.color, width: s.width)
      c.text(s.label, 116, y + 4, size: 11)
    }
    return c.svg
  }
}
