import TMSCore
import TMSRender

/// The sliders, in `columns` columns, optionally with each control's description beside it;
/// every slider is a click and drag region.
struct ControlsPanel: Panel {
  let context: PanelContext
  var columns = 2
  var withHelp = false
  /// The sliders shown: the model's, or the SAE's.
  var controls = Control.modelControls
  /// The block's title.
  var title = "controls"

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let state = context.state
    let theme = context.theme
    let focusedControl: Control? = if case .control(let c) = state.focus { c } else { nil }
    let shown = focusedControl.flatMap { controls.contains($0) ? $0 : nil }
    let right =
      shown.map {
        $0.reinitialises
          ? "re-initialises"
          : $0.restartsSAE ? "restarts the SAE" : $0 == .bestOf ? "b trains them" : "live"
      } ?? "Tab: focus"
    let inner = Block(
      title: title, rightTitle: right, focused: shown != nil, depth: theme.depth
    ).render(into: &buf, area: area)
    guard !inner.isEmpty else { return [] }
    var hits: [HitRegion] = []
    let all = controls
    let perColumn = (all.count + columns - 1) / columns
    let cols = inner.split(.horizontal, Array(repeating: .fill(1), count: columns), gap: 2)
    for (i, c) in all.enumerated() {
      let col = i / perColumn
      let row = i % perColumn
      guard col < cols.count, row < inner.height else { continue }
      let value = state.value(of: c)
      var rowArea = Rect(x: cols[col].x, y: inner.y + row, width: cols[col].width, height: 1)
      if withHelp {
        let parts = rowArea.split(.horizontal, [.percentage(55), .fill(1)], gap: 2)
        rowArea = parts[0]
        buf.write(
          c.help, x: parts[1].x, y: parts[1].y, style: Style(fg: theme.muted),
          maxWidth: parts[1].width)
      }
      let slider = Slider(
        label: c.label, fraction: c.fraction(of: value), valueText: c.text(value),
        focused: focusedControl == c, labelWidth: 8, valueWidth: 11, depth: theme.depth)
      slider.render(into: &buf, area: rowArea)
      hits.append(HitRegion(rowArea, .slider(c, slider, rowArea)))
    }
    return hits
  }
}
