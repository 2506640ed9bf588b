import TMSCore
import TMSRender

extension ExplorerView {
  /// A table of every feature of the focused instance.
  public static let features = ExplorerView("features")
}

/// Every feature of the focused instance as a row: importance I_i, probability p_i, norm
/// ‖W_i‖, superposition s_i, dimensionality D_i and bias b_i, sorted by any column (`o`
/// picks the column, `O` reverses), the row of the feature cursor (↑↓, shared with the
/// heatmap) highlighted and kept in view.
struct FeatureTablePanel: Panel {
  let context: PanelContext

  /// A column: its heading and the value it shows for feature i.
  struct Column: Sendable {
    let title: String
    let value: @Sendable (InstanceSnapshot, Int) -> Double
    let text: @Sendable (Double) -> String
  }

  static let columns: [Column] = [
    Column(title: "i", value: { _, i in Double(i) }, text: { String(Int($0)) }),
    Column(
      title: "I_i", value: { s, i in s.metrics.importance[i] },
      text: { Format.number($0, significant: 3) }),
    Column(
      title: "p_i", value: { s, i in s.metrics.featureProbability[i] },
      text: { Format.number($0, significant: 3) }),
    Column(
      title: "‖W_i‖", value: { s, i in s.metrics.norms[i] },
      text: { Format.fixed($0, decimals: 3) }),
    Column(
      title: "s_i", value: { s, i in s.metrics.superposition[i] },
      text: { Format.fixed($0, decimals: 3) }),
    Column(
      title: "D_i", value: { s, i in s.metrics.dimensionality[i] },
      text: { Format.fixed($0, decimals: 3) }),
    Column(
      title: "b_i", value: { s, i in Double(s.parameters.b[i]) },
      text: { Format.signed($0, significant: 3) }),
  ]

  /// The panel's own settings in ``ExplorerState/panelSettings``.
  static let sortKey = "features.sort"
  static let descendingKey = "features.descending"

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let theme = context.theme
    let inst = context.instance
    let n = inst.metrics.norms.count
    let settings = context.state.panelSettings
    let sort = min(max(0, settings[Self.sortKey] ?? 0), Self.columns.count - 1)
    let descending = (settings[Self.descendingKey] ?? 0) != 0
    let column = Self.columns[sort]
    let order = (0..<n).sorted { a, b in
      let (va, vb) = (column.value(inst, a), column.value(inst, b))
      if va == vb { return a < b }
      return descending ? va > vb : va < vb
    }
    let inner = Block(
      title: "features of #\(context.k) by \(column.title) \(descending ? "↓" : "↑")",
      rightTitle: "o: sort  O: reverse  ↑↓: feature", depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.height >= 2, inner.width >= 20 else { return [] }
    let width = max(6, inner.width / Self.columns.count)
    for (c, col) in Self.columns.enumerated() {
      let style = Style(fg: c == sort ? theme.accent : theme.title, bold: true)
      buf.write(col.title, x: inner.x + c * width, y: inner.y, style: style, maxWidth: width - 1)
    }
    let rows = inner.height - 1
    let cursor = order.firstIndex(of: min(context.state.cursor.row, n - 1)) ?? 0
    let start = n <= rows ? 0 : min(max(0, cursor - rows / 2), n - rows)
    for (r, i) in order[start..<min(n, start + rows)].enumerated() {
      let selected = i == context.state.cursor.row
      let y = inner.y + 1 + r
      let represented = inst.metrics.norms[i] > inst.metrics.representedThreshold
      let style = Style(
        fg: represented ? .terminalDefault : theme.muted, bold: selected, reverse: selected)
      for (c, col) in Self.columns.enumerated() {
        buf.write(
          col.text(col.value(inst, i)), x: inner.x + c * width, y: y, style: style,
          maxWidth: width - 1)
      }
    }
    return []
  }

  /// The features view's keys: `o` next sort column, `O` reverse, ↑↓ / j k the feature.
  static func handle(_ key: Key, _ state: inout ExplorerState) -> Bool {
    switch key {
    case .char("o"):
      state.panelSettings[sortKey] = ((state.panelSettings[sortKey] ?? 0) + 1) % columns.count
    case .char("O"):
      state.panelSettings[descendingKey] = (state.panelSettings[descendingKey] ?? 0) == 0 ? 1 : 0
    case .up, .char("k"): state.cursor.row = max(0, state.cursor.row - 1)
    case .down, .char("j"):
      state.cursor.row = min(state.desired.features - 1, state.cursor.row + 1)
    default: return false
    }
    return true
  }

  /// The keys for the help overlay.
  static let hints = [
    KeyHint("o / O", "features view: sort by the next column / reverse the order"),
    KeyHint("↑↓ / j k", "features view: move the feature cursor"),
  ]
}
