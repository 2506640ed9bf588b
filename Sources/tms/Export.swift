import ArgumentParser
import Foundation
import TMSCore
import TMSFigures
import TMSFiles

/// `tms export`: a snapshot as NumPy arrays (for Python) or a paper-style SVG figure.
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Export a snapshot as a NumPy .npz or a paper-style SVG figure.",
    discussion: """
      --npz writes NumPy's own format: numpy.load(OUT) gives W (K×n×m; W2 too for abs), b, \
      feature_probability, importance, norms, superposition, dimensionality (K×n), \
      dimensions_per_feature, eval_loss, train_loss_ema (K), loss_history (K×P), \
      loss_history_steps (P) and step — instance axis first.
      --svg draws WᵀW with b, the ‖W_i‖ bars coloured by superposition and, for m = 2, the \
      feature directions, for every instance or those given with --instance.
      """)

  @Argument(help: "The snapshot file.")
  var file: String
  @Option(help: ArgumentHelp("Write the arrays as a NumPy .npz file.", valueName: "out.npz"))
  var npz: String?
  @Option(help: ArgumentHelp("Write the paper-style figure as SVG.", valueName: "out.svg"))
  var svg: String?
  @Option(name: .customLong("instance"), help: "Draw only this instance (repeatable; default all).")
  var instanceList: [Int] = []
  @Flag(help: "Replace existing output files.")
  var force = false

  func run() throws {
    guard npz != nil || svg != nil else {
      throw CLIError("export: give --npz OUT.npz and/or --svg OUT.svg")
    }
    let snapshot = try loadSnapshot(file)
    for k in instanceList where k < 0 || k >= snapshot.config.instances {
      throw CLIError("--instance: must be in 0…\(snapshot.config.instances - 1), got \(k)")
    }
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
