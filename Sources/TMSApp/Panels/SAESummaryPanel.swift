import TMSCore
import TMSRender

/// The focused SAE instance in numbers and words: which model instance it reads, λ, its
/// steps, recovery (the mean max cosine similarity between the model's feature directions
/// and the decoder's columns), E‖h − ĥ‖² and L0 (training averages), dead latents and
/// resamplings, the model's loss with ĥ spliced in for h, and the diagnosis (dead latents:
/// λ too large; dense codes: λ too small; or every feature found). `n` / `N` choose the SAE
/// instance.
struct SAESummaryPanel: Panel {
  let context: PanelContext

  /// The SAE view's own keys, for the help overlay.
  static let hints = [
    KeyHint("n / N", "SAE view: next / previous SAE instance"),
    KeyHint("Tab", "SAE view: focus the SAE sliders (λ, latents, SAE lr)"),
  ]

  /// `n` / `N` move between SAE instances in the SAE view (true when the key was used).
  @Sendable static func handle(_ key: Key, _ state: inout ExplorerState) -> Bool {
    let count = state.desired.sae?.instances ?? 1
    switch key {
    case .char("n"): state.saeInstance = min(count - 1, state.saeInstance + 1)
    case .char("N"): state.saeInstance = max(0, state.saeInstance - 1)
    default: return false
    }
    return true
  }

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let ctx = context
    let theme = ctx.theme
    let sae = ctx.sae
    let count = sae?.instances.count ?? 0
    let title =
      sae.map { "SAE #\(ctx.saeIndex) of \(count) · step \(($0.step).grouped)" } ?? "SAE"
    let inner = Block(
      title: title, rightTitle: count > 1 ? "n/N: instance" : "", depth: theme.depth
    )
    .render(into: &buf, area: area)
    guard inner.height >= 1, inner.width >= 8 else { return [] }
    guard let sae, let inst = ctx.saeFocused else {
      buf.write(
        ctx.saeWaiting, x: inner.x, y: inner.y, style: Style(fg: theme.muted),
        maxWidth: inner.width)
      return []
    }
    let m = inst.metrics
    let c = sae.config
    let held = m.heldOut
    var lines: [(String, Style)] = [
      (
        "recovery \(Format.fixed(m.recovery, decimals: 3)) · λ "
          + "\(Format.number(m.l1Coefficient, significant: 2)) · \(c.latents) latents on model "
          + "#\(m.modelInstance)",
        Style(fg: theme.title, bold: true)
      ),
      (
        "E‖h−ĥ‖² \(Format.number(m.reconstruction, significant: 2)) · L0 "
          + "\(Format.number(m.l0, significant: 2)) · dead \(m.deadCount)/\(m.dead.count) · "
          + "resampled \(m.resamples)×", Style(fg: theme.title)
      ),
    ]
    if let h = held {
      lines.append(
        (
          "model loss \(Format.number(h.modelLoss, significant: 2)) → with ĥ "
            + "\(Format.number(h.splicedLoss, significant: 2))", Style(fg: theme.muted)
        ))
    }
    let p = ctx.snapshot.config.featureProbability[
      min(m.modelInstance, ctx.snapshot.config.instances - 1)]
    for line in SAEDiagnosis.lines(inst, config: c, probability: p) {
      let color: Color =
        switch line.severity {
        case .good: theme.good
        case .warn: theme.warn
        case .bad: theme.bad
        }
      let mark =
        switch line.severity {
        case .good: "✓ "
        case .warn, .bad: "⚠ "
        }
      lines.append((mark + line.text, Style(fg: color, bold: line.severity == .bad)))
    }
    for (i, line) in lines.enumerated() where i < inner.height {
      buf.write(line.0, x: inner.x, y: inner.y + i, style: line.1, maxWidth: inner.width)
    }
    return []
  }
}
