import TMSCore
import TMSFiles
import TMSRender

extension Explorer {
  /// Draws the whole screen for `snapshot` at `width`×`height` with the given colour depth.
  public func render(
    _ snapshot: TrainingSnapshot, width: Int, height: Int, depth: ColorDepth
  ) -> Buffer {
    var buf = Buffer(width: width, height: height)
    hits = HitMap()
    let theme = Theme(depth: depth)
    guard width >= Self.minimumSize.width, height >= Self.minimumSize.height else {
      TooSmallScreen(
        width: width, height: height, minimumWidth: Self.minimumSize.width,
        minimumHeight: Self.minimumSize.height, depth: depth
      ).render(into: &buf, area: buf.area)
      return buf
    }
    let rows = buf.area.split(.vertical, [.length(1), .fill(1), .length(1)])
    drawStatus(&buf, rows[0], snapshot, theme)
    let body = rows[1]
    switch state.view {
    case .overview: drawOverview(&buf, body, snapshot, theme)
    case .focus: drawFocusView(&buf, body, snapshot, theme)
    case .sweep:
      let parts = body.split(.vertical, [.fill(1), .length(1)])
      let rowsOf = max(1, parts[0].height / 10)
      drawSweep(&buf, parts[0], snapshot, theme, minWidth: 18, rowsOf: rowsOf)
      buf.write(
        "#\(state.instance): "
          + snapshot.instances[min(state.instance, snapshot.instances.count - 1)].metrics.geometry
          .text,
        x: parts[1].x, y: parts[1].y, style: Style(fg: theme.title, bold: true),
        maxWidth: parts[1].width)
    case .loss:
      let parts = body.split(.vertical, [.fill(1), .fill(1)])
      drawLoss(&buf, parts[0], snapshot, theme, all: true, aligned: true)
      drawDimensionalityHistory(&buf, parts[1], snapshot, theme)
    case .controls:
      let parts = body.split(.vertical, [.length(Control.allCases.count + 2), .fill(1)])
      drawControls(&buf, parts[0], snapshot, theme, columns: 1, withHelp: true)
      drawLoss(&buf, parts[1], snapshot, theme, all: false)
    case .dimensionality:
      let parts = body.split(.vertical, [.fill(3), .fill(2), .fill(1)])
      drawDimensionality(&buf, parts[0], snapshot, theme)
      drawAttackGain(&buf, parts[1], snapshot, theme)
      drawSweep(&buf, parts[2], snapshot, theme)
    case .neurons:
      let parts = body.split(.vertical, [.fill(3), .fill(1)])
      drawNeurons(&buf, parts[0], snapshot, theme)
      drawSweep(&buf, parts[1], snapshot, theme)
    case .phase: drawPhase(&buf, body, theme)
    }
    drawFooter(&buf, rows[2], theme)
    drawDivergence(&buf, body, snapshot, theme)
    switch state.overlay {
    case .none: break
    case .help:
      let help = HelpOverlay(
        title: "tms keys (Esc closes)", entries: Self.helpEntries, depth: depth,
        scroll: state.helpScroll)
      helpMaxScroll = help.maxScroll(in: body)
      help.render(into: &buf, area: body)
    case .presets(let sel): drawPresetPicker(&buf, body, selection: sel, theme)
    }
    if let t = state.toast {
      Toast(t.text, kind: t.kind, depth: depth).render(into: &buf, area: body)
    }
    return buf
  }

  /// Overview: WᵀW | features | geometry on top, sweep strip and loss, then the sliders.
  func drawOverview(_ buf: inout Buffer, _ body: Rect, _ snap: TrainingSnapshot, _ theme: Theme) {
    let controlsHeight = 7
    let stripHeight = max(6, (body.height - controlsHeight) / 3)
    let parts = body.split(.vertical, [.fill(1), .length(stripHeight), .length(controlsHeight)])
    let top = parts[0].split(.horizontal, [.percentage(30), .percentage(36), .fill(1)])
    drawHeatmap(&buf, top[0], snap, theme)
    drawFeatures(&buf, top[1], snap, theme)
    drawGeometry(&buf, top[2], snap, theme)
    if snap.instances.count > 1 {
      let mid = parts[1].split(.horizontal, [.percentage(64), .fill(1)])
      drawSweep(&buf, mid[0], snap, theme)
      drawLoss(&buf, mid[1], snap, theme, all: false)
    } else {
      drawLoss(&buf, parts[1], snap, theme, all: false)
    }
    drawControls(&buf, parts[2], snap, theme, columns: 2)
  }

  /// Focus: a big heatmap and geometry for the focused instance, features below.
  func drawFocusView(_ buf: inout Buffer, _ body: Rect, _ snap: TrainingSnapshot, _ theme: Theme) {
    let cols = body.split(.horizontal, [.percentage(50), .fill(1)])
    drawHeatmap(&buf, cols[0], snap, theme)
    let right = cols[1].split(.vertical, [.percentage(55), .fill(1)])
    drawGeometry(&buf, right[0], snap, theme)
    drawFeatures(&buf, right[1], snap, theme)
  }

  func drawStatus(_ buf: inout Buffer, _ area: Rect, _ snap: TrainingSnapshot, _ theme: Theme) {
    let c = snap.config
    let k = min(state.instance, snap.instances.count - 1)
    let m = snap.instances[k].metrics
    let statusStyle: Style =
      switch snap.status {
      case .running: Style(fg: theme.good, bold: true)
      case .paused: Style(fg: theme.warn, bold: true)
      case .diverged: Style(fg: theme.bad, bold: true)
      }
    let speed = snap.throttle.map { " (≤\(Format.number($0, significant: 2)))" } ?? ""
    let accent = Style(fg: theme.accent, bold: true)
    let shape = "\(c.features)→\(c.hidden)×\(c.instances)"
    let loss = m.trainLoss.isNaN ? "–" : Format.number(m.trainLoss)
    let p = Format.number(meanProbability(snap, k), significant: 2)
    let status = Span(snap.status.word, style: statusStyle)
    let step = Span("step \(Self.grouped(snap.step))")
    let rate = Span(Format.rate(snap.stepsPerSecond, unit: "steps") + speed)
    let geometry = Span(m.geometry.text, style: Style(fg: theme.title, bold: true))
    // Most detailed first; a narrow terminal gets the first that fits, so the loss and the
    // geometry label survive at 80 columns and frames/s and the model's name go first.
    let layouts: [[Span]] = [
      [
        status, Span("\(c.name) \(c.model.rawValue) \(shape)", style: accent), step, rate,
        Span("\(Int(state.framesPerSecond.rounded())) fps"), Span("#\(k) 1−S \(p) loss \(loss)"),
        geometry,
      ],
      [
        status, Span("\(c.name) \(shape)", style: accent), step, rate,
        Span("#\(k) 1−S \(p) loss \(loss)"), geometry,
      ],
      [
        status, Span("\(c.name) \(shape)", style: accent), step, rate, Span("#\(k) loss \(loss)"),
        geometry,
      ],
      [status, Span(c.name, style: accent), step, rate, Span("#\(k) loss \(loss)"), geometry],
      [status, step, rate, Span("#\(k) loss \(loss)"), geometry],
      [status, step, Span("#\(k) loss \(loss)"), geometry],
    ]
    let chosen = StatusLine.firstFitting(layouts, width: area.width, lastMinimum: 24)
    StatusLine(segments: chosen, depth: theme.depth)
      .render(into: &buf, area: area)
  }

  func drawFooter(_ buf: inout Buffer, _ area: Rect, _ theme: Theme) {
    Footer(
      hints: [
        KeyHint("q", "quit"), KeyHint("space", "pause"), KeyHint(".", "step"),
        KeyHint("r", "reset"), KeyHint("tab", "focus"), KeyHint("+/-", "adjust"),
        KeyHint("s", "save"), KeyHint("p", "presets"), KeyHint("1-8", "views"),
        KeyHint("?", "help"),
      ], depth: theme.depth
    ).render(into: &buf, area: area)
  }

  /// A red box over the panels while training is stopped on a non-finite value.
  func drawDivergence(_ buf: inout Buffer, _ body: Rect, _ snap: TrainingSnapshot, _ theme: Theme) {
    guard case .diverged(let k, let reason) = snap.status else { return }
    // The engine's reason is "what happened; what it kept" (see InstanceEngine.rollBack).
    let parts = reason.split(separator: "; ").map(String.init)
    let lines =
      ["instance \(k): \(parts.first ?? reason)"]
      + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() + "." }
      + [
        "Lower lr (Tab to the sliders, j to lr, -) and press space to continue,",
        "or r to re-initialise the weights.",
      ]
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
  }

  func drawPresetPicker(_ buf: inout Buffer, _ body: Rect, selection: Int, _ theme: Theme) {
    let list = presetList
    let width = min(body.width - 4, 96)
    let selected = list.isEmpty ? nil : list[min(selection, list.count - 1)]
    let detail = selected.map {
      "\($0.config.model.rawValue) \($0.config.features)→\($0.config.hidden)×\($0.config.instances): "
        + $0.expect
    }
    // The selected preset's "what to look for" in full below the list, as long as the list
    // keeps at least six rows (then it is cut to what fits).
    let wrapped = detail.map { wrap($0, width: max(1, width - 2)) } ?? []
    let height = min(body.height - 2, list.count + 1 + wrapped.count + 2)
    let box = body.centered(width: width, height: height)
    buf.fill(box)
    let inner = Block(
      title: "presets (↑↓ Enter, Esc)", rightTitle: "\(list.count)", focused: true,
      depth: theme.depth
    ).render(into: &buf, area: box)
    guard !inner.isEmpty else { return }
    if list.isEmpty {
      buf.write("no preset files found", x: inner.x, y: inner.y, style: Style(fg: theme.bad))
      return
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
  }

  func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if line.isEmpty {
        line = String(word)
      } else if line.count + 1 + word.count <= width {
        line += " " + word
      } else {
        lines.append(line)
        line = String(word)
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  /// `12,345,678`: exact step counts, so a paused counter visibly stands still.
  static func grouped(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (i, ch) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return out
  }

  /// The complete key list of the help overlay.
  public static let helpEntries: [KeyHint] =
    [
      KeyHint("q, Ctrl-C", "quit (the terminal is restored)"),
      KeyHint("?, F1", "this help; Esc closes overlays"),
      KeyHint("space", "pause / resume training"),
      KeyHint(".", "single step (pauses)"),
      KeyHint("r / R", "re-initialise weights (same seed / next seed)"),
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
      KeyHint(
        "1-8", "views: overview, focus, sweep, loss, controls, dimensionality, neurons, phase"),
      KeyHint("←↑↓→ / h j k l", "phase view: move the cell cursor"),
      KeyHint("Ctrl-L", "repaint the screen"),
      KeyHint("mouse", "click to focus; drag or wheel on a slider"),
    ] + Control.allCases.map { KeyHint($0.label, $0.help) }
}
