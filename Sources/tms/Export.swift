import ArgumentParser
import Foundation
import TMSCore
import TMSFigures
import TMSFiles

/// `tms export`: a snapshot as NumPy arrays (for Python), a paper-style SVG figure, or an
/// animated SVG of one instance over the snapshot's recorded history.
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Export a snapshot as a NumPy .npz, a paper-style SVG figure or an animated SVG.",
    discussion: """
      --npz writes NumPy's own format: numpy.load(OUT) gives W (K×n×m; W2 too for abs), b, \
      feature_probability, importance, norms, superposition, dimensionality (K×n), \
      dimensions_per_feature, eval_loss, train_loss_ema (K), loss_history (K×P), \
      loss_history_steps (P) and step — instance axis first.
      --svg draws WᵀW with b, the ‖W_i‖ bars coloured by superposition and, for m = 2, the \
      feature directions, for every instance or those given with --instance.
      --animate draws one instance (--instance K, default the last) over the snapshot's \
      recorded history (tms train --record --save): directions and WᵀW per frame, caption, \
      loss timeline with event ticks; a self-contained SVG that plays and loops in a browser. \
      The options combine: one call may write all three files.
      """)

  @Argument(help: "The snapshot file.")
  var file: String
  @Option(help: ArgumentHelp("Write the arrays as a NumPy .npz file.", valueName: "out.npz"))
  var npz: String?
  @Option(help: ArgumentHelp("Write the paper-style figure as SVG.", valueName: "out.svg"))
  var svg: String?
  @Option(
    help: ArgumentHelp(
      "Write an animated SVG of one instance over the recorded history.", valueName: "out.svg"))
  var animate: String?
  @Option(
    name: .customLong("instance"),
    help:
      "Draw only this instance (repeatable for --svg, default all; one for --animate, default the last)."
  )
  var instanceList: [Int] = []
  @Option(
    help: "Seconds the animation takes over the run, before a short hold and a loop (default 10).")
  var duration: Double?
  @Option(
    help: ArgumentHelp(
      "Draw at most this many frames, evenly spaced among the recorded ones (default 200, fewer when the file would pass 8 MB).",
      valueName: "n"))
  var frames: Int?
  @Flag(help: "Replace existing output files.")
  var force = false

  func run() throws {
    guard npz != nil || svg != nil || animate != nil else {
      throw CLIError("export: give --npz OUT.npz, --svg OUT.svg and/or --animate OUT.svg")
    }
    try checkAnimationOptions()
    let snapshot = try loadSnapshot(file)
    for k in instanceList where k < 0 || k >= snapshot.config.instances {
      throw CLIError("--instance: must be in 0…\(snapshot.config.instances - 1), got \(k)")
    }
    let animation = animate == nil ? nil : try historyAnimation(of: snapshot)
    do {
      if let npz {
        try SnapshotStore.checkTarget(npz, force: force)
        try AtomicFile.write(try snapshot.npz(), to: npz, replace: force)
        printError("tms: wrote \(npz)")
      }
      if let svg {
        try SnapshotStore.checkTarget(svg, force: force)
        let figure = SnapshotFigure(snapshot, instances: instanceList.isEmpty ? nil : instanceList)
        try AtomicFile.write(Array(figure.svg().utf8), to: svg, replace: force)
        printError("tms: wrote \(svg)")
      }
      if let animate, let animation {
        try SnapshotStore.checkTarget(animate, force: force)
        try writeAnimation(animation, to: animate)
      }
    } catch {
      printError("tms: \(error.description)")
      throw ExitCode(1)
    }
  }
}

/// Loads a snapshot or exits 1 with the one-line reason.
func loadSnapshot(_ path: String) throws -> Snapshot {
  do {
    return try SnapshotStore.load(path)
  } catch {
    printError("tms: \(error.description)")
    throw ExitCode(1)
  }
}
