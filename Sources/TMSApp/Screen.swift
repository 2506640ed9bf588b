import TMSCore
import TMSRender

/// A drawn frame and what it drew where.
public struct Frame {
  /// The cells.
  public let buffer: Buffer
  /// Clickable regions and the help overlay's scroll range, for the next update.
  public let layout: FrameLayout
}

/// The whole screen for a context: the status line, the current view's panels, the footer,
/// and over them the divergence box, an overlay and the toast. Draws only.
public struct Screen {
  /// What to draw.
  public let context: PanelContext

  /// The smallest terminal the layout supports.
  public static let minimumSize = (width: 80, height: 24)

  /// A screen drawing `context`.
  public init(context: PanelContext) { self.context = context }

  /// The frame at `width`×`height`.
  public func frame(width: Int, height: Int) -> Frame {
    var buf = Buffer(width: width, height: height)
    var layout = FrameLayout()
    let theme = context.theme
    guard width >= Self.minimumSize.width, height >= Self.minimumSize.height else {
      TooSmallScreen(
        width: width, height: height, minimumWidth: Self.minimumSize.width,
        minimumHeight: Self.minimumSize.height, depth: theme.depth
      ).render(into: &buf, area: buf.area)
      return Frame(buffer: buf, layout: layout)
    }
    let rows = buf.area.split(.vertical, [.length(1), .fill(1), .length(1)])
    _ = StatusPanel(context: context).render(into: &buf, area: rows[0])
    let body = rows[1]
    for placement in Views.spec(context.state.view).layout(body, context) {
      layout.hits.add(placement.panel.render(into: &buf, area: placement.area))
    }
    Footer(
      hints: [
        KeyHint("q", "quit"), KeyHint("space", "pause"), KeyHint(".", "step"),
        KeyHint("r", "reset"), KeyHint("tab", "focus"), KeyHint("+/-", "adjust"),
        KeyHint("s", "save"), KeyHint("p", "presets"), KeyHint(Views.keyRange, "views"),
        KeyHint("b", "best seed"), KeyHint("?", "help"),
      ], depth: theme.depth
    ).render(into: &buf, area: rows[2])
    _ = DivergencePanel(context: context).render(into: &buf, area: body)
    switch context.state.overlay {
    case .none: break
    case .help:
      let help = HelpOverlay(
        title: "tms keys (Esc closes)", entries: Self.helpEntries, depth: theme.depth,
        scroll: context.state.helpScroll)
      layout.helpMaxScroll = help.maxScroll(in: body)
      help.render(into: &buf, area: body)
    case .presets(let selection):
      _ = PresetPicker(context: context, selection: selection).render(into: &buf, area: body)
    }
    if let t = context.state.toast {
      Toast(t.text, kind: t.kind, depth: theme.depth).render(into: &buf, area: body)
    }
    return Frame(buffer: buf, layout: layout)
  }

  /// The complete key list of the help overlay: the global keys, each view's own, the
  /// views, and the sliders.
  public static let helpEntries: [KeyHint] =
    [
      KeyHint("q, Ctrl-C", "quit (the terminal is restored)"),
      KeyHint("?, F1", "this help; Esc closes overlays"),
      KeyHint("space", "pause / resume training"),
      KeyHint(".", "single step (pauses)"),
      KeyHint("r / R", "re-initialise weights (same seed / next seed)"),
      KeyHint(
        "b", "best of k seeds for the focused instance (k: \"best of\" slider; b again cancels)"),
      KeyHint("Tab, Shift-Tab", "focus: sliders → sweep strip → heatmap"),
      KeyHint("↑↓ / j k", "previous / next slider (heatmap: move cursor)"),
      KeyHint("←→ / h l", "adjust slider (sweep: instance; heatmap: cursor)"),
      KeyHint("+ -", "adjust the focused slider (heatmap: zoom)"),
      KeyHint("[ ]", "coarse adjust"),
      KeyHint("n / N", "next / previous instance"),
      KeyHint("z / Z", "zoom the heatmap in / out around the cursor"),
      KeyHint("< > { }", "rotate the 3-D geometry (yaw, pitch)"),
      KeyHint("s", "save a snapshot (a toast says where)"),
      KeyHint("p", "presets picker"),
      KeyHint(Views.keyRange, Views.helpLine),
    ] + Views.all.flatMap(\.hints)
    + [
      KeyHint("Ctrl-L", "repaint the screen"),
      KeyHint("mouse", "click to focus; drag or wheel on a slider"),
    ] + Control.allCases.map { KeyHint($0.label, $0.help) }
}
