import TMSCore
import TMSFiles
import TMSRender

/// The presets picker: the list with the selection, and the selected preset's "what to look
/// for" in full below it.
struct PresetPicker: Panel {
  let context: PanelContext
  let selection: Int

  func render(into buf: inout Buffer, area body: Rect) -> [HitRegion] {
    let theme = context.theme
    let list = context.state.presets
    let width = min(body.width - 4, 96)
    let selected = list.isEmpty ? nil : list[min(selection, list.count - 1)]
    let detail = selected.map {
      "\($0.config.model.rawValue) \($0.config.features)→\($0.config.hidden)×\($0.config.instances): "
        + $0.expect
    }
    // The selected preset's "what to look for" in full below the list, as long as the list
    // keeps at least six rows (then it is cut to what fits).
    let wrapped = detail.map { $0.wrapped(width: max(1, width - 2)) } ?? []
    let height = min(body.height - 2, list.count + 1 + wrapped.count + 2)
    let box = body.centered(width: width, height: height)
    buf.fill(box)
    let inner = Block(
      title: context.state.presetTarget == .second
        ? "second run: presets (↑↓ Enter, Esc)" : "presets (↑↓ Enter, Esc)",
      rightTitle: "\(list.count)", focused: true,
      depth: theme.depth
    ).render(into: &buf, area: box)
    guard !inner.isEmpty else { return [] }
    if list.isEmpty {
      buf.write("no preset files found", x: inner.x, y: inner.y, style: Style(fg: theme.bad))
      return []
    }
    let detailRows = min(wrapped.count, max(2, inner.height - 1 - min(list.count, 6)))
    let listRows = max(1, inner.height - 1 - detailRows)
    let first = min(max(0, selection - listRows / 2), max(0, list.count - listRows))
    let nameWidth = min(22, (list.map(\.config.name.count).max() ?? 10) + 1)
    for row in 0..<min(listRows, list.count - first) {
      let i = first + row
      let p = list[i]
      let style = i == selection ? Style(fg: theme.accent, bold: true, reverse: true) : Style()
      let name = p.config.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
      buf.write(
        name + " " + p.description, x: inner.x, y: inner.y + row, style: style,
        maxWidth: inner.width)
    }
    var y = inner.bottom - detailRows
    for chunk in wrapped.prefix(detailRows) {
      buf.write(chunk, x: inner.x, y: y, style: Style(fg: theme.muted), maxWidth: inner.width)
      y += 1
    }
    return []
  }
}
