import TMSCore
import TMSRender

/// The status line: running / paused / diverged, preset and model, step, steps/s (or a
/// best-of-seeds search's progress), frames/s,
/// the focused instance's 1−S and loss, and its geometry label — the most detailed layout
/// that fits, so the loss and the label survive at 80 columns.
struct StatusPanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let snap = context.snapshot
    let theme = context.theme
    let c = snap.config
    let k = context.k
    let m = context.instance.metrics
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
    let p = Format.number(context.meanProbability(k), significant: 2)
    let status = Span(snap.status.word, style: statusStyle)
    // A recorded frame: its step, in reverse video, and the live step still counting.
    let history = snap.liveStep.map { _ in
      Span(
        " history @ step \(snap.step.grouped) ",
        style: Style(fg: theme.warn, bold: true, reverse: true))
    }
    let step = Span(
      (snap.liveStep != nil ? "live " : "") + "step \((snap.liveStep ?? snap.step).grouped)"
        + (snap.sae.map { " · SAE \(($0.step).grouped)" } ?? ""))
    // While a best-of-seeds search trains, the run holds: its progress takes the speed's place.
    let rate =
      context.state.seedSearch.map {
        Span("best of \($0.seeds): \(Int($0.progress * 100))%", style: accent)
      } ?? Span(Format.rate(snap.stepsPerSecond, unit: "steps") + speed)
    let geometry = Span(m.geometry.text, style: Style(fg: theme.title, bold: true))
    let fps = Int(context.state.framesPerSecond.rounded())
    // Most detailed first; a narrow terminal gets the first that fits, so the loss and the
    // geometry label survive at 80 columns and frames/s and the model's name go first.
    var layouts: [[Span]] = [
      [
        status, Span("\(c.name) \(c.model.rawValue) \(shape)", style: accent), step, rate,
        Span("\(fps) fps"), Span("#\(k) 1−S \(p) loss \(loss)"), geometry,
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
    if let history { layouts = layouts.map { [$0[0], history] + $0.dropFirst() } }
    let chosen = StatusLine.firstFitting(layouts, width: area.width, lastMinimum: 24)
    StatusLine(segments: chosen, depth: theme.depth).render(into: &buf, area: area)
    return []
  }

}
