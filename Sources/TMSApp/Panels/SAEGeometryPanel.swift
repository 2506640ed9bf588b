import TMSCore
import TMSRender

/// The SAE's decoder directions over the toy model's feature directions: the model's W_i as
/// lines from the origin (coloured by importance, labelled by feature number, as in the
/// geometry panel) and each latent's direction d_j (unit length) as a dotted line labelled by
/// its letter, red when the latent is dead. m = 2 is the plane where the pentagon and the
/// latents that find it show; m ≥ 3 the geometry panel's rotatable projection.
struct SAEGeometryPanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let ctx = context
    let theme = ctx.theme
    let m = ctx.snapshot.config.hidden
    let focused = ctx.saeFocused
    let k = focused?.metrics.modelInstance ?? ctx.k
    let title = focused.map { _ in "SAE #\(ctx.saeIndex) · model #\(k)" } ?? "SAE geometry"
    let recovery = focused.map { "rec. \(Format.fixed($0.metrics.recovery, decimals: 3))" }
    let inner = Block(title: title, rightTitle: recovery ?? "", depth: theme.depth)
      .render(into: &buf, area: area)
    guard inner.height >= 2, inner.width >= 4 else { return [] }
    let labelArea = Rect(x: inner.x, y: inner.bottom - 1, width: inner.width, height: 1)
    let plotArea = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - 1)
    guard k < ctx.snapshot.instances.count else { return [] }
    let model = ctx.snapshot.instances[k]
    let geometry = GeometryCanvas(
      instance: model, hidden: m, yaw: ctx.state.yaw, pitch: ctx.state.pitch, theme: theme,
      labels: ctx.snapshot.config.features <= 24)
    var canvas = geometry.canvas()
    if let inst = focused {
      let latents = inst.parameters.decoder
      let labels = latents.count <= 32
      for (j, column) in latents.enumerated() {
        let norm = column.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        guard norm > 1e-9 else { continue }
        let unit = column.map { Float(Double($0) / norm) }
        let end = GeometryCanvas.project(
          unit, hidden: m, yaw: ctx.state.yaw, pitch: ctx.state.pitch)
        let color = inst.metrics.dead[j] ? theme.bad : theme.accent
        for t in stride(from: 0.12, through: 1.0, by: 0.08) {
          canvas.point(x: end.x * t, y: end.y * t, color: color)
        }
        if labels {
          canvas.label(
            LatentName.of(j), x: end.x * 0.62, y: end.y * 0.62, style: Style(fg: color, bold: true))
        }
      }
    }
    canvas.render(into: &buf, area: plotArea)
    let text: String
    if let inst = focused {
      let r = inst.metrics
      let found = r.represented.enumerated().filter {
        $0.element && r.featureRecovery[$0.offset] >= SAEDiagnosis.found
      }.count
      text =
        "\(found)/\(r.represented.filter { $0 }.count) features found · \(model.metrics.geometry.text)"
    } else {
      text = model.metrics.geometry.text
    }
    buf.write(
      text, x: labelArea.x, y: labelArea.y, style: Style(fg: theme.title, bold: true),
      maxWidth: labelArea.width)
    return []
  }
}
