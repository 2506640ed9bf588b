import TMSCore
import TMSRender

/// The focused instance's events in step order (`#9 step 1,556: … → 5 features in a
/// pentagon`): the last one at or before the step shown is marked, the ones after it (not
/// yet happened at a recorded frame) dim; the list scrolls to keep the mark in view.
struct EventsPanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let theme = context.theme
    let rec = context.state.recorded
    let k = context.k
    let events = rec.events(of: k)
    let inner = Block(
      title: "events #\(k) · \(events.count) of \(rec.events.count)",
      depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.height >= 1, inner.width >= 8 else { return [] }
    let dim = Style(fg: theme.muted)
    guard rec.isRecording else {
      buf.write("not recording (--no-history)", x: inner.x, y: inner.y, style: dim, clip: inner)
      return []
    }
    guard !events.isEmpty else {
      buf.write(
        "none yet: the label and the D_i levels have held", x: inner.x, y: inner.y, style: dim,
        clip: inner)
      return []
    }
    let shown = context.state.timeline?.step ?? Int.max
    let current = events.lastIndex { $0.step <= shown }
    let rows = inner.height
    let anchor = current ?? 0
    let first = max(0, min(anchor - rows / 2, events.count - rows))
    for (row, i) in (first..<min(events.count, first + rows)).enumerated() {
      let e = events[i]
      let y = inner.y + row
      let marked = i == current
      let style =
        marked
        ? Style(fg: theme.title, bold: true) : e.step > shown ? dim : Style(fg: theme.accent)
      buf.write(marked ? "▶ " : "  ", x: inner.x, y: y, style: style, clip: inner)
      buf.write(e.text, x: inner.x + 2, y: y, style: style, clip: inner)
    }
    return []
  }
}
