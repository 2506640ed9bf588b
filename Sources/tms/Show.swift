import ArgumentParser
import Foundation
import TMSApp
import TMSCore
import TMSFiles
import TMSRender

/// `tms show`: a snapshot's panels printed once, for scripts, CI logs and READMEs.
struct Show: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print a snapshot's panels once (ANSI colours on a terminal, else plain text).",
    discussion: """
      Draws WᵀW with b, the ‖W_i‖ bars coloured by superposition, the feature directions and \
      the loss for one instance, then a table of every instance. A snapshot with an SAE adds \
      the SAE view's panels for one SAE instance (--sae-instance; all with --all) and a table \
      of every SAE instance. Colours only when stdout is a terminal and NO_COLOR is unset (or \
      with --color always).
      """)

  @Argument(help: "The snapshot file.")
  var file: String
  @Option(help: "The instance whose panels are drawn (default: the last, the sparsest of a sweep).")
  var instance: Int?
  @Option(help: "The SAE instance whose panels are drawn, for a snapshot with an SAE (default 0).")
  var saeInstance: Int?
  @Flag(help: "Draw the panels of every instance (and every SAE instance).")
  var all = false
  @Option(help: "Width in columns (default: the terminal's, else 100).")
  var width: Int?
  @Option(help: "Colours.")
  var color: ColorMode = .auto

  func run() throws {
    let snapshot = try loadSnapshot(file)
    let k = snapshot.config.instances
    if let instance, instance < 0 || instance >= k {
      throw CLIError("--instance: must be in 0…\(k - 1), got \(instance)")
    }
    let tty = isatty(STDOUT_FILENO) == 1
    let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    let depth: ColorDepth =
      color == .always || (color == .auto && tty && !noColor) ? .xterm256 : .monochrome
    let columns = width ?? Self.terminalColumns(tty: tty)
    guard columns >= 60 && columns <= 1000 else {
      throw CLIError("--width: must be in 60…1000, got \(columns)")
    }
    let view = SnapshotView(snapshot: snapshot, depth: depth, width: columns)
    let shown = all ? Array(0..<k) : [instance ?? k - 1]
    var parts = [view.header().ansiText(depth: depth)]
    for i in shown { parts.append(view.panels(instance: i).ansiText(depth: depth)) }
    parts.append(view.table().ansiText(depth: depth))
    if let sae = snapshot.sae {
      let count = sae.instances.count
      if let s = saeInstance, s < 0 || s >= count {
        throw CLIError("--sae-instance: must be in 0…\(count - 1), got \(s)")
      }
      for s in all ? Array(0..<count) : [saeInstance ?? 0] {
        parts.append(view.saePanels(instance: s).ansiText(depth: depth))
      }
      parts.append(view.saeTable().ansiText(depth: depth))
    } else if saeInstance != nil {
      throw CLIError("--sae-instance: \(file) has no SAE")
    }
    print(parts.joined(separator: "\n"))
  }

  static func terminalColumns(tty: Bool) -> Int {
    if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c >= 60 {
      return min(c, 1000)
    }
    var size = winsize()
    if tty, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 60 {
      return Int(size.ws_col)
    }
    return 100
  }
}

/// Renders a snapshot's panels into Buffers with the TMSRender widgets.
struct SnapshotView {
  let snapshot: Snapshot
  let depth: ColorDepth
  let width: Int

  var muted: Color { depth == .xterm256 ? .indexed(244) : .terminalDefault }

  func header() -> Buffer {
    let c = snapshot.config
    var buf = Buffer(width: width, height: snapshot.history == nil ? 2 : 3)
    let title = Style(bold: true).adapted(to: depth)
    let x = buf.write(c.name, x: 0, y: 0, style: title)
    buf.write(
      "  \(c.model.rawValue)  n=\(c.features) m=\(c.hidden) K=\(c.instances)  step \(snapshot.step)"
        + "  seed \(c.training.seed)  lr \(Format.number(c.training.learningRate))"
        + "  batch \(c.training.batchSize)",
      x: x, y: 0, maxWidth: width - x)
    buf.write(
      "losses: notebook convention (mean over batch and features; × n for the paper's)",
      x: 0, y: 1, style: Style(fg: muted).adapted(to: depth), maxWidth: width)
    if let h = snapshot.history {
      buf.write(
        "recorded history: \(h.extent), \(h.events.count) events (tms --snapshot FILE replays "
          + "it, tms export FILE --animate OUT.svg draws it)",
        x: 0, y: 2, style: Style(fg: muted).adapted(to: depth), maxWidth: width)
    }
    return buf
  }

  /// A title line, then the explorer's focus view (WᵀW + b | geometry over the feature
  /// norms) and its loss panel, for instance `k`: the explorer's own panels
  /// (``SnapshotPanels``), not a copy.
  func panels(instance k: Int) -> Buffer {
    let c = snapshot.config
    let s = snapshot.instances[k]
    let n = c.features
    let top = max(Explorer.minimumSize.height - 2, min(n + 6, 30))
    let lossHeight = 8
    var buf = Buffer(width: width, height: 1 + top + lossHeight)
    let p = c.featureProbability[k].reduce(0, +) / Double(max(1, n))
    let loss = s.metrics.evalLoss.isFinite ? s.metrics.evalLoss : s.trainLossEMA
    let x = buf.write("instance \(k)", x: 0, y: 0, style: Style(bold: true).adapted(to: depth))
    buf.write(
      "  1−S \(Format.number(p))  loss \(Format.number(loss, significant: 4))\(Self.error(s))  "
        + "represented \(s.metrics.represented)/\(n)  D* \(Format.number(s.metrics.dimensionsPerFeature))  "
        + s.metrics.geometry.text, x: x, y: 0, maxWidth: width - x)
    let view = snapshot.trainingSnapshot()
    buf.paste(
      SnapshotPanels.focus(view, instance: k, width: width, height: top, depth: depth), x: 0, y: 1)
    buf.paste(
      SnapshotPanels.loss(view, instance: k, width: width, height: lossHeight, depth: depth), x: 0,
      y: 1 + top)
    return buf
  }

  /// A title line, then the explorer's SAE view (without its sliders) for SAE instance `s`:
  /// the explorer's own panels (``SnapshotPanels/sae(_:saeInstance:width:height:depth:)``).
  func saePanels(instance s: Int) -> Buffer {
    let height = 22
    var buf = Buffer(width: width, height: 1 + height)
    let step = snapshot.sae?.step ?? 0
    buf.write(
      "SAE instance \(s)  (SAE step \(step), model frozen at step \(snapshot.step))", x: 0, y: 0,
      style: Style(bold: true).adapted(to: depth), maxWidth: width)
    buf.paste(
      SnapshotPanels.sae(
        snapshot.trainingSnapshot(), saeInstance: s, width: width, height: height, depth: depth),
      x: 0, y: 1)
    return buf
  }

  /// One line per SAE instance: the model instance it reads, λ, E‖h − ĥ‖² and L0 (training
  /// averages), dead latents, resamplings and recovery.
  func saeTable() -> Buffer {
    let instances = snapshot.saeSnapshot()?.instances ?? []
    var buf = Buffer(width: width, height: instances.count + 1)
    buf.write(
      "  s  model  λ          E‖h−ĥ‖²     L0  dead  resampled  recovery", x: 0, y: 0,
      style: Style(bold: true).adapted(to: depth))
    for (s, inst) in instances.enumerated() {
      let m = inst.metrics
      let line = String(
        format: "%3d  %5d  %-9.4g %10.3e %6.3f %3d/%-3d %9d  %8.4f", s, m.modelInstance,
        m.l1Coefficient, m.reconstruction, m.l0, m.deadCount, m.dead.count, m.resamples,
        m.recovery)
      buf.write(line, x: 0, y: s + 1, maxWidth: width)
    }
    return buf
  }

  /// " ± SE" of the instance's held-out loss, when the snapshot has it.
  static func error(_ s: Snapshot.InstanceState) -> String {
    s.metrics.evalLoss.isFinite && s.metrics.evalLossError.isFinite
      ? " ± " + Format.number(s.metrics.evalLossError, significant: 2) : ""
  }

  /// One line per instance: 1−S, loss ± its standard error, represented, D*, geometry.
  func table() -> Buffer {
    let rows = snapshot.instances.count
    var buf = Buffer(width: width, height: rows + 1)
    buf.write(
      "  k   1−S(mean)  loss (notebook) ± SE        represented  D*      geometry", x: 0, y: 0,
      style: Style(bold: true).adapted(to: depth))
    for (k, s) in snapshot.instances.enumerated() {
      let c = snapshot.config
      let p = c.featureProbability[k].reduce(0, +) / Double(max(1, c.features))
      let loss = s.metrics.evalLoss.isFinite ? s.metrics.evalLoss : s.trainLossEMA
      let error = Self.error(s).padding(toLength: 11, withPad: " ", startingAt: 0)
      let line =
        String(format: "%3d   %8.4f   %14.6f", k, p, loss) + error
        + String(
          format: "  %6d/%-4d  %6.3f  ", s.metrics.represented, c.features,
          s.metrics.dimensionsPerFeature) + s.metrics.geometry.text
      buf.write(line, x: 0, y: k + 1, maxWidth: width)
    }
    return buf
  }
}
