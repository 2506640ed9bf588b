import TMSCore
import TMSRender

/// Per feature, in importance order: ‖W_i‖ as a bar coloured by superposition (dark =
/// orthogonal to all others, bright = shares its dimension) with the represented threshold
/// marked, and beside it the interference s_i split into the part from features pointing
/// the same way (Ŵ_i·W_j > 0, right) and the opposite way (left).
struct FeaturesPanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let theme = context.theme
    let m = context.instance.metrics
    let n = m.norms.count
    let order = (0..<n).sorted { (m.importance[$0], -$0) > (m.importance[$1], -$1) }
    let title = "‖W_i‖ · interference"
    let right = "\(m.represented)/\(n)┊\(Format.number(m.representedThreshold))"
    let inner = Block(title: title, rightTitle: right, depth: theme.depth).render(
      into: &buf, area: area)
    guard inner.height >= 1, inner.width >= 8 else { return [] }
    // When the features do not fit, the list is a window that follows the heatmap cursor's
    // row (feature i), so every bar of an n = 100 or 200 model can be reached.
    let fits = n <= inner.height
    let visible = fits ? n : max(0, inner.height - 1)
    let cursorPosition = order.firstIndex(of: context.state.cursor.row) ?? 0
    let start = fits ? 0 : min(max(0, cursorPosition - visible / 2), n - visible)
    let shown = Array(order[start..<start + visible])
    let halves = inner.split(.horizontal, [.percentage(58), .fill(1)], gap: 1)
    let maxNorm = Float(max(1.2, m.norms.max() ?? 1))
    let bars = BarChart(
      items: shown.map { i in
        BarChart.Item(
          label: "\(i)", value: Float(m.norms[i]), color: theme.superposition(m.superposition[i]),
          valueText: Format.fixed(m.norms[i], decimals: 2))
      }, maxValue: maxNorm, threshold: Float(m.representedThreshold), depth: theme.depth)
    bars.render(
      into: &buf,
      area: Rect(x: halves[0].x, y: inner.y, width: halves[0].width, height: shown.count))
    let split =
      context.derived.interferenceInstance == context.k && context.derived.interference.count == n
      ? context.derived.interference : DerivedValues.interference(context.instance)
    let maxS = Float(max(0.25, split.map { max($0.pos, $0.neg) }.max() ?? 0))
    let signed = SignedBarChart(
      items: shown.map { i in
        SignedBarChart.Item(label: "", positive: Float(split[i].pos), negative: Float(split[i].neg))
      }, maxValue: maxS, positiveColor: theme.bad, negativeColor: theme.accent, depth: theme.depth)
    signed.render(
      into: &buf,
      area: Rect(x: halves[1].x, y: inner.y, width: halves[1].width, height: shown.count))
    if !fits {
      let range = visible == 0 ? "" : "\(start + 1)–\(start + visible) of \(n)"
      buf.write(
        "\(range) by importance · the heatmap cursor scrolls", x: inner.x,
        y: inner.y + shown.count, style: Style(fg: theme.muted), maxWidth: inner.width)
    }
    return []
  }
}
