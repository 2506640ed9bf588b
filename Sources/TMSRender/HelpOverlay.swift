/// The `?` overlay: a centred bordered box listing every key and what it does.
///
/// The box is sized to its content (key column as wide as the longest key, two spaces, the
/// actions; one column of padding inside the border) and clipped to the area. Everything under
/// it is cleared first, so it reads cleanly over the running UI. When the rows do not fit, the
/// list scrolls (`scroll` rows down) and the last row says what is hidden and how to scroll
/// (`↓ 3 more · ↑↓ scroll`), so every key stays reachable on an 80×24 terminal.
public struct HelpOverlay: Sendable {
  /// Title in the top border.
  public var title: String
  /// The rows, in display order.
  public var entries: [KeyHint]
  /// Colours available.
  public var depth: ColorDepth
  /// Rows scrolled past at the top (clamped to what can scroll).
  public var scroll: Int

  /// Creates a help overlay.
  public init(
    title: String = "Help", entries: [KeyHint], depth: ColorDepth = .xterm256, scroll: Int = 0
  ) {
    self.title = title
    self.entries = entries
    self.depth = depth
    self.scroll = scroll
  }

  /// The largest useful ``scroll`` in `area`: 0 when every row fits.
  public func maxScroll(in area: Rect) -> Int {
    let rows = rect(in: area).intersection(area).height - 2
    guard rows >= 2, entries.count > rows else { return 0 }
    return entries.count - (rows - 1)
  }

  /// Width of the key column.
  private var keyWidth: Int { entries.map(\.key.columns).max() ?? 0 }

  /// Where the box goes inside `area`.
  public func rect(in area: Rect) -> Rect {
    var content = keyWidth + 2 + (entries.map(\.action.columns).max() ?? 0)
    if entries.count + 2 > area.height {
      content = max(content, Self.marker(below: entries.count, above: entries.count).columns)
    }
    let width = max(content + 4, title.columns + 6)
    return area.centered(width: width, height: entries.count + 2)
  }

  /// The last row of an overflowing list: what is hidden on each side, and the scroll keys.
  static func marker(below: Int, above: Int) -> String {
    let hidden =
      below > 0 ? "↓ \(below) more" + (above > 0 ? ", \(above) above" : "") : "↑ \(above) above"
    return hidden + " · ↑↓ scroll"
  }

  /// Clears the box's cells and draws the border, title and rows.
  public func render(into buffer: inout Buffer, area: Rect) {
    let box = rect(in: area)
    guard !box.isEmpty else { return }
    buffer.fill(box.intersection(area), with: .blank)
    let inner = Block(title: title, focused: true, depth: depth).render(into: &buffer, area: box)
    guard !inner.isEmpty else { return }
    let text =
      inner.width >= 3
      ? Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height) : inner
    let keyStyle = Style(fg: Palette.accent(depth), bold: true).adapted(to: depth)
    let fits = entries.count <= text.height
    let shown = fits ? entries.count : text.height - 1
    let first = fits ? 0 : min(max(0, scroll), entries.count - shown)
    for (i, entry) in entries[first..<first + shown].enumerated() {
      let key = entry.key.padded(right: min(keyWidth, text.width))
      let x = buffer.write(key, x: text.x, y: text.y + i, style: keyStyle, clip: text)
      let room = text.right - x - 2
      if room > 0 {
        buffer.write(entry.action.truncated(to: room), x: x + 2, y: text.y + i, clip: text)
      }
    }
    if !fits {
      let more = Self.marker(below: entries.count - first - shown, above: first)
        .truncated(to: text.width)
      let muted = Style(fg: Palette.muted(depth), dim: depth == .monochrome).adapted(to: depth)
      buffer.write(more, x: text.x, y: text.y + shown, style: muted, clip: text)
    }
  }
}
