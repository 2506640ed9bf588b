import TMSCore
import TMSRender

/// A red box over the panels while training is stopped on a non-finite value: what
/// happened, what the engine kept, and what to do.
struct DivergencePanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area body: Rect) -> [HitRegion] {
    let theme = context.theme
    guard case .diverged(let k, let reason) = context.snapshot.status else { return [] }
    // The engine's reason is "what happened; what it kept" (see InstanceEngine.rollBack).
    let parts = reason.split(separator: "; ").map(String.init)
    let lines =
      ["instance \(k): \(parts.first ?? reason)"]
      + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() + "." }
      + (reason.hasPrefix("SAE ")
        ? [
          "Lower the SAE lr (view 0, Tab, j to SAE lr, -) and press space to continue,",
          "or r to re-initialise the weights.",
        ]
        : [
          "Lower lr (Tab to the sliders, j to lr, -) and press space to continue,",
          "or r to re-initialise the weights.",
        ])
    let width = min(body.width - 2, (lines.map(\.count).max() ?? 40) + 4)
    let box = body.centered(width: width, height: lines.count + 2)
    buf.fill(box)
    let inner = Block(
      title: "training diverged", focused: true, borderColor: theme.bad, depth: theme.depth
    )
    .render(into: &buf, area: box)
    for (i, line) in lines.enumerated() where i < inner.height {
      buf.write(
        line, x: inner.x + 1, y: inner.y + i, style: Style(fg: i == 0 ? theme.bad : theme.title),
        maxWidth: inner.width - 1)
    }
    return []
  }
}
