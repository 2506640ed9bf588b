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
    let blocks = events.map { Self.lines(of: $0, width: inner.width - 2) }
    let rows = inner.height
    let anchor = current ?? 0
    var first = anchor
    var used = blocks[anchor].count
    while first > 0, used + blocks[first - 1].count <= rows / 2 + blocks[anchor].count {
      first -= 1
      used += blocks[first].count
    }
    var total = blocks[first...].reduce(0) { $0 + $1.count }
    while first > 0, total + blocks[first - 1].count <= rows {
      first -= 1
      total += blocks[first].count
    }
    var y = inner.y
    for i in first..<events.count {
      guard y < inner.y + rows else { break }
      let marked = i == current
      let style =
        marked
        ? Style(fg: theme.title, bold: true)
        : events[i].step > shown ? dim : Style(fg: theme.accent)
      buf.write(marked ? "▶ " : "  ", x: inner.x, y: y, style: style, clip: inner)
      for line in blocks[i] where y < inner.y + rows {
        buf.write(line, x: inner.x + 2, y: y, style: style, clip: inner)
        y += 1
      }
    }
    return []
  }

  /// An event as the panel shows it: `step 879: 5 features in a near-pentagon →` and the
  /// rest indented under it, word-wrapped to `width` columns (the instance is in the title).
  static func lines(of event: HistoryEvent, width: Int) -> [String] {
    let wrapped = "step \(event.step.grouped): \(event.change)".wrapped(
      width: max(8, width))
    guard let head = wrapped.first else { return [] }
    let rest = wrapped.dropFirst().joined(separator: " ").wrapped(width: max(8, width - 2))
    return [head] + rest.map { "  " + $0 }
  }
}
