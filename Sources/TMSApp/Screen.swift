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
      hints: context.state.timeline == nil ? Self.liveHints : Self.historyHints, depth: theme.depth
    )
    .render(into: &buf, area: rows[2])
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

  /// The footer of the live run, most important first.
  static let liveHints = [
    KeyHint("q", "quit"), KeyHint("space", "pause"), KeyHint(".", "step"),
    KeyHint("r", "reset"), KeyHint("tab", "focus"), KeyHint("+/-", "adjust"),
    KeyHint("s", "save"), KeyHint("p", "presets"), KeyHint(Views.keyRange, "views"),
    KeyHint("b", "best seed"), KeyHint("t", "rewind"), KeyHint("?", "help"),
  ]

  /// The footer while a recorded frame is shown: the timeline's keys.
  static let historyHints = [
    KeyHint("t", "live"), KeyHint("←→", "frame"), KeyHint("[ ]", "event"),
    KeyHint("Home/End", "first/last"), KeyHint("P", "replay"), KeyHint("+/-", "pace"),
    KeyHint("a", "stop at events"), KeyHint("S", "save with history"), KeyHint("space", "pause"),
    KeyHint("q", "quit"), KeyHint("?", "help"),
  ]

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
      KeyHint(
        "S", "save a snapshot with the recorded history (for replay and tms export --animate)"),
      KeyHint(
        "t", "history: show the recorded frame under a cursor (training goes on); t again: live"),
      KeyHint("T", "replay the recorded history from the start"),
      KeyHint("←→ / h l", "history: previous / next recorded frame"),
      KeyHint("↑↓ / [ ]", "history: previous / next event of the focused instance"),
      KeyHint("Home End, g G", "history: first / last recorded frame"),
      KeyHint("P", "history: play / pause the replay (from the start at the end)"),
      KeyHint("+ -", "history: replay pace, the whole run in 2 … 120 s (default 10)"),
      KeyHint("a", "history: the replay stops at each event of the focused instance"),
      KeyHint("Esc", "history: back to live"),
    ] + Control.allCases.map { KeyHint($0.label, $0.help) }
}
