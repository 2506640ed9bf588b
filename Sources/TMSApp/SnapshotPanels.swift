import TMSCore
import TMSRender

/// The explorer's panels for a saved run, as `tms show` prints them: the same panel types
/// laid out by the same view table, from a fresh explorer state focused on one instance, so
/// the printout and the screen never draw a panel two ways.
public enum SnapshotPanels {
  /// The body of the focus view (WᵀW and b | geometry over the feature norms) for instance
  /// `k` at `width`×`height`: what the explorer shows under its status line after `2`.
  public static func focus(
    _ snapshot: TrainingSnapshot, instance k: Int, width: Int, height: Int, depth: ColorDepth
  ) -> Buffer {
    draw(snapshot, instance: k, width: width, height: height, depth: depth) { area, ctx in
      Views.spec(.focus).layout(area, ctx)
    }
  }

  /// The loss panel of instance `k` (its training loss over steps) at `width`×`height`.
  public static func loss(
    _ snapshot: TrainingSnapshot, instance k: Int, width: Int, height: Int, depth: ColorDepth
  ) -> Buffer {
    draw(snapshot, instance: k, width: width, height: height, depth: depth) { area, ctx in
      [PanelPlacement(LossPanel(context: ctx), area)]
    }
  }

  /// The SAE view's panels for SAE instance `s` (geometry, cosines, firing, summary, the λ
  /// trade-off) at `width`×`height`: what the explorer shows above the SAE sliders after `0`
  /// and `s` presses of `n`.
  public static func sae(
    _ snapshot: TrainingSnapshot, saeInstance s: Int, width: Int, height: Int, depth: ColorDepth
  ) -> Buffer {
    let sliders = Control.saeControls.count + 2
    let full = draw(
      snapshot, instance: 0, saeInstance: s, width: width, height: height + sliders, depth: depth
    ) { area, ctx in Views.spec(.sae).layout(area, ctx) }
    var buf = Buffer(width: width, height: height)
    buf.paste(full, x: 0, y: 0)
    return buf
  }

  static func draw(
    _ snapshot: TrainingSnapshot, instance k: Int, saeInstance s: Int = 0, width: Int,
    height: Int, depth: ColorDepth, layout: (Rect, PanelContext) -> [PanelPlacement]
  ) -> Buffer {
    var state = ExplorerState(config: snapshot.config)
    state.instance = min(max(0, k), snapshot.instances.count - 1)
    state.saeInstance = max(0, s)
    let derived = DerivedValues.update(
      .empty, snapshot: snapshot, focused: state.instance, now: .now)
    let context = PanelContext(
      snapshot: snapshot, state: state, derived: derived, depth: depth)
    var buf = Buffer(width: width, height: height)
    for placement in layout(buf.area, context) {
      _ = placement.panel.render(into: &buf, area: placement.area)
    }
    return buf
  }
}
