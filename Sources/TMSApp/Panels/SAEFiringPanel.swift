import TMSCore
import TMSRender

/// How often each latent of the focused SAE instance fires: per latent, the fraction of
/// inputs on which z_j > 0 (a moving average over about the last hundred steps), as a bar;
/// a dead latent (silent for `dead_steps` steps) is red and says `dead`. For comparison the
/// title gives the inputs' own rate: a feature is active on a fraction p_i of them.
struct SAEFiringPanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let ctx = context
    let theme = ctx.theme
    let inst = ctx.saeFocused
    let p = inst.map { ctx.snapshot.config.featureProbability[$0.metrics.modelInstance] } ?? []
    let meanP = p.isEmpty ? Double.nan : p.reduce(0, +) / Double(p.count)
    let inner = Block(
      title: "firing per latent",
      rightTitle: meanP.isFinite ? "p \(Format.percent(meanP))" : "",
      depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.height >= 1, inner.width >= 8 else { return [] }
    guard let inst else {
      buf.write(
        "dead latents are marked here", x: inner.x, y: inner.y, style: Style(fg: theme.muted),
        maxWidth: inner.width)
      return []
    }
    let m = inst.metrics
    let items = m.firing.enumerated().map { j, f in
      BarChart.Item(
        label: LatentName.of(j), value: Float(f), color: m.dead[j] ? theme.bad : theme.accent,
        valueText: m.dead[j] ? "dead" : Format.percent(f))
    }
    let rows = max(1, inner.height - 1)
    BarChart(items: items, showValues: true, depth: theme.depth)
      .render(into: &buf, area: Rect(x: inner.x, y: inner.y, width: inner.width, height: rows))
    if inner.height >= 2 {
      let more = items.count > rows ? "\(rows) of \(items.count) shown · " : ""
      let text = more + "\(m.deadCount) dead · resampled \(m.resamples)×"
      buf.write(
        text, x: inner.x, y: inner.bottom - 1,
        style: Style(fg: m.deadCount > 0 ? theme.bad : theme.muted, bold: m.deadCount > 0),
        maxWidth: inner.width)
    }
    return []
  }
}
