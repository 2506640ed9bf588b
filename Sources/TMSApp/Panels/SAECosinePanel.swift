import TMSCore
import TMSRender

/// The latents × features cosine matrix of the focused SAE instance, cos_{j,i} = d̂_j·Ŵ_i
/// (diverging: −1 blue, 0 neutral, +1 red), one row per latent. When it fits, each row reads
/// `A ✗ ██ ██ ██ ██ ██  → 3 0.99`: the latent's letter, `✗` when it is dead, a swatch per
/// feature, and (when there is room) the feature it points along with that cosine; a
/// feature's best latent is bold. In a narrow panel a swatch is one column wide; larger
/// dictionaries are drawn as a scaled heatmap.
struct SAECosinePanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let ctx = context
    let theme = ctx.theme
    let inner = Block(
      title: "cos(latent, feature)",
      rightTitle: ctx.saeFocused.map { "\($0.metrics.deadCount) dead" } ?? "", depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.height >= 2, inner.width >= 8 else { return [] }
    guard let inst = ctx.saeFocused else {
      buf.write(
        ctx.saeWaiting, x: inner.x, y: inner.y, style: Style(fg: theme.muted),
        maxWidth: inner.width)
      return []
    }
    let m = inst.metrics
    let d = m.dead.count
    let n = m.featureRecovery.count
    let colormap = DivergingColormap(scale: 1, depth: theme.depth)
    let cellWidth = 4 + n * 3 <= inner.width ? 3 : 2
    let suffix = 4 + n * cellWidth + 9 <= inner.width
    let fits = d + 2 <= inner.height && 4 + n * cellWidth <= inner.width
    if fits {
      var header = "    "
      for i in 0..<n {
        header += String(i).padding(toLength: cellWidth, withPad: " ", startingAt: 0)
      }
      buf.write(
        header, x: inner.x, y: inner.y, style: Style(fg: theme.muted), maxWidth: inner.width)
      for j in 0..<d {
        let y = inner.y + 1 + j
        let dead = m.dead[j]
        buf.write(
          LatentName.of(j), x: inner.x, y: y,
          style: Style(fg: dead ? theme.bad : theme.accent, bold: true))
        if dead { buf.write("✗", x: inner.x + 2, y: y, style: Style(fg: theme.bad, bold: true)) }
        for i in 0..<n {
          let c = m.cosine[j * n + i]
          var cell = colormap.swatch(for: c).cell
          if m.featureLatent[i] == j { cell.style.bold = true }
          for dx in 0..<max(1, cellWidth - 1) {
            buf.set(inner.x + 4 + i * cellWidth + dx, y, cell, clip: inner)
          }
        }
        let best = m.latentFeature[j]
        if best >= 0 && suffix {
          let text = "→\(best) \(Format.fixed(Double(m.cosine[j * n + best]), decimals: 2))"
          buf.write(
            text, x: inner.x + 4 + n * cellWidth, y: y, style: Style(fg: theme.muted),
            maxWidth: inner.right - (inner.x + 4 + n * cellWidth))
        }
      }
    } else {
      let map = Heatmap(rows: d, cols: n, values: m.cosine, colormap: colormap, magnify: true)
      let mapArea = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - 1)
      map.render(into: &buf, area: mapArea)
    }
    let legendArea = Rect(x: inner.x, y: inner.bottom - 1, width: min(inner.width, 24), height: 1)
    ColorLegend(colormap: colormap).render(into: &buf, area: legendArea)
    return []
  }
}
