import TMSCore
import TMSRender

/// A panel and the area it draws in.
public struct PanelPlacement {
  /// The panel.
  public let panel: any Panel
  /// Where.
  public let area: Rect

  /// `panel` in `area`.
  public init(_ panel: any Panel, _ area: Rect) {
    self.panel = panel
    self.area = area
  }
}

/// Which explorer is open: the run explorer (`tms`, `tms explore`, `tms train`'s snapshot)
/// or the sweep explorer (`tms --sweep FILE`), whose results view takes the number key `0`
/// that the run explorer gives the SAE view. Every other view is reached alike in both.
public enum ExplorerMode: Sendable, Equatable {
  /// A live run, with no sweep result file open.
  case run
  /// A sweep's result file is open in the results view (and its points train live).
  case sweep
}

/// One screen of the explorer: which view it is, its number key, a few words for the help,
/// the keys only it handles, and how it lays out its panels in the body of the screen.
public struct ViewSpec: Sendable {
  /// The view.
  public let id: ExplorerView
  /// Its number key.
  public let key: Character
  /// The one explorer mode whose number key reaches it, or nil for both (a key two views
  /// share: the SAE view's and the results view's `0`).
  public let only: ExplorerMode?
  /// The keys this view handles before the global ones (true when it used the key), or nil.
  let keys: (@Sendable (Key, inout ExplorerState) -> Bool)?
  /// Its keys for the help overlay.
  let hints: [KeyHint]
  /// True when its panels draw the attack gains (computed only for such views).
  let showsAttackGains: Bool
  /// The panels and their areas for a body area.
  let layout: @Sendable (Rect, PanelContext) -> [PanelPlacement]

  init(
    _ id: ExplorerView, key: Character, only: ExplorerMode? = nil, hints: [KeyHint] = [],
    keys: (@Sendable (Key, inout ExplorerState) -> Bool)? = nil, showsAttackGains: Bool = false,
    layout: @escaping @Sendable (Rect, PanelContext) -> [PanelPlacement]
  ) {
    self.id = id
    self.key = key
    self.only = only
    self.hints = hints
    self.showsAttackGains = showsAttackGains
    self.keys = keys
    self.layout = layout
  }
}

/// The explorer's views, in number-key order: the one list the number keys, the footer, the
/// help overlay and the presets' `view` field read. A new view is one entry here; a new
/// panel is its own file plus its place in an entry.
public enum Views {
  /// Every view, in number-key order.
  public static let all: [ViewSpec] = [
    ViewSpec(.overview, key: "1") { body, ctx in
      let controlsHeight = (Control.modelControls.count + 1) / 2 + 2
      let stripHeight = max(6, (body.height - controlsHeight) / 3)
      let parts = body.split(.vertical, [.fill(1), .length(stripHeight), .length(controlsHeight)])
      let top = parts[0].split(.horizontal, [.percentage(30), .percentage(36), .fill(1)])
      var out = [
        PanelPlacement(HeatmapPanel(context: ctx), top[0]),
        PanelPlacement(FeaturesPanel(context: ctx), top[1]),
        PanelPlacement(GeometryPanel(context: ctx), top[2]),
      ]
      if ctx.snapshot.instances.count > 1 {
        let mid = parts[1].split(.horizontal, [.percentage(64), .fill(1)])
        out.append(PanelPlacement(SweepStripPanel(context: ctx), mid[0]))
        out.append(PanelPlacement(TimelinePanel(context: ctx), mid[1]))
      } else {
        out.append(PanelPlacement(TimelinePanel(context: ctx), parts[1]))
      }
      out.append(PanelPlacement(ControlsPanel(context: ctx), parts[2]))
      return out
    },
    ViewSpec(.focus, key: "2") { body, ctx in
      let cols = body.split(.horizontal, [.percentage(50), .fill(1)])
      let right = cols[1].split(.vertical, [.percentage(55), .fill(1)])
      return [
        PanelPlacement(HeatmapPanel(context: ctx), cols[0]),
        PanelPlacement(GeometryPanel(context: ctx), right[0]),
        PanelPlacement(FeaturesPanel(context: ctx), right[1]),
      ]
    },
    ViewSpec(.sweep, key: "3") { body, ctx in
      let parts = body.split(.vertical, [.fill(1), .length(1)])
      return [
        PanelPlacement(
          SweepStripPanel(context: ctx, minWidth: 18, rows: max(1, parts[0].height / 10)),
          parts[0]),
        PanelPlacement(InstanceLabelPanel(context: ctx), parts[1]),
      ]
    },
    ViewSpec(.loss, key: "4") { body, ctx in
      let rows = body.split(.vertical, [.fill(1), .length(min(7, max(4, body.height / 4)))])
      let cols = rows[0].split(.horizontal, [.percentage(62), .fill(1)])
      let parts = cols[0].split(.vertical, [.fill(1), .fill(1)])
      return [
        PanelPlacement(LossPanel(context: ctx, all: true, aligned: true), parts[0]),
        PanelPlacement(DimensionalityHistoryPanel(context: ctx), parts[1]),
        PanelPlacement(EventsPanel(context: ctx), cols[1]),
        PanelPlacement(TimelinePanel(context: ctx), rows[1]),
      ]
    },
    ViewSpec(.controls, key: "5") { body, ctx in
      let parts = body.split(.vertical, [.length(Control.modelControls.count + 2), .fill(1)])
      return [
        PanelPlacement(ControlsPanel(context: ctx, columns: 1, withHelp: true), parts[0]),
        PanelPlacement(LossPanel(context: ctx), parts[1]),
      ]
    },
    ViewSpec(.dimensionality, key: "6", showsAttackGains: true) { body, ctx in
      let parts = body.split(.vertical, [.fill(3), .fill(2), .fill(1)])
      return [
        PanelPlacement(DimensionalityPanel(context: ctx), parts[0]),
        PanelPlacement(AttackGainPanel(context: ctx), parts[1]),
        PanelPlacement(SweepStripPanel(context: ctx), parts[2]),
      ]
    },
    ViewSpec(.neurons, key: "7") { body, ctx in
      let parts = body.split(.vertical, [.fill(3), .fill(1)])
      return [
        PanelPlacement(NeuronsPanel(context: ctx), parts[0]),
        PanelPlacement(SweepStripPanel(context: ctx), parts[1]),
      ]
    },
    ViewSpec(
      .phase, key: "8", hints: [KeyHint("←↑↓→ / h j k l", "phase view: move the cell cursor")],
      keys: PhasePanel.handle
    ) { body, ctx in [PanelPlacement(PhasePanel(context: ctx), body)] },
    ViewSpec(.features, key: "9", hints: FeatureTablePanel.hints, keys: FeatureTablePanel.handle) {
      body, ctx in
      let parts = body.split(.vertical, [.fill(3), .fill(1)])
      return [
        PanelPlacement(FeatureTablePanel(context: ctx), parts[0]),
        PanelPlacement(SweepStripPanel(context: ctx), parts[1]),
      ]
    },
    ViewSpec(
      .sae, key: "0", only: .run, hints: SAESummaryPanel.hints, keys: SAESummaryPanel.handle
    ) {
      body, ctx in
      let parts = body.split(
        .vertical, [.fill(3), .fill(2), .length(Control.saeControls.count + 2)])
      let top = parts[0].split(.horizontal, [.percentage(36), .percentage(34), .fill(1)])
      let bottom = parts[1].split(.horizontal, [.percentage(50), .fill(1)])
      return [
        PanelPlacement(SAEGeometryPanel(context: ctx), top[0]),
        PanelPlacement(SAECosinePanel(context: ctx), top[1]),
        PanelPlacement(SAEFiringPanel(context: ctx), top[2]),
        PanelPlacement(SAESummaryPanel(context: ctx), bottom[0]),
        PanelPlacement(SAETradeoffPanel(context: ctx), bottom[1]),
        PanelPlacement(
          ControlsPanel(
            context: ctx, columns: 1, controls: Control.saeControls, title: "SAE controls"),
          parts[2]),
      ]
    },
    ViewSpec(
      .results, key: "0", only: .sweep, hints: SweepResultsPanel.hints,
      keys: SweepResultsPanel.handle
    ) { body, ctx in [PanelPlacement(SweepResultsPanel(context: ctx), body)]
    },
    ViewSpec(.compare, key: "c", hints: CompareView.hints, layout: CompareView.layout),
  ]

  /// The entry of `view` (the overview for a view no entry has).
  static func spec(_ view: ExplorerView) -> ViewSpec {
    all.first { $0.id == view } ?? all[0]
  }

  /// The view behind number key `key` in an explorer in `mode`, if any (a key two views
  /// share reaches the one of the mode).
  static func view(forKey key: Character, in mode: ExplorerMode) -> ExplorerView? {
    all.first { $0.key == key && ($0.only ?? mode) == mode }?.id
  }

  /// The help overlay's list of views, in key order: those of the run explorer's number
  /// keys, what a shared key means with `--sweep FILE`, then the views on letter keys.
  static var helpLine: String {
    let run = all.filter { $0.only != .sweep && $0.key.isNumber }.map(\.id.name)
    let sweep = all.filter { $0.only == .sweep }.map { "\($0.key) is \($0.id.name)" }
    let letters = all.filter { !$0.key.isNumber }.map { "\($0.key) is \($0.id.name)" }
    return "views: " + run.joined(separator: ", ")
      + (sweep.isEmpty ? "" : "; with --sweep FILE " + sweep.joined(separator: ", "))
      + letters.map { "; " + $0 }.joined()
  }

  /// `0-9` (or `1-9`) for the footer: the lowest and highest number key (a view on a letter
  /// key, the compare view's `c`, has its own hint).
  static var keyRange: String {
    let keys = all.map(\.key).filter(\.isNumber).sorted()
    guard let first = keys.first, let last = keys.last else { return "" }
    return "\(first)-\(last)"
  }
}
