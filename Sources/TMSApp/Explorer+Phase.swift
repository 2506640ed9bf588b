import TMSCore
import TMSFiles
import TMSRender

/// The phase-diagram view's sweep: started when a phase preset loads, read by the renderer,
/// stopped on the next load and on quit.
///
/// Threading: the sweep trains on its own background threads and publishes an immutable
/// ``PhaseSweepResult`` after every finished cell; the UI thread only ever takes a copy
/// (``PhaseSweep/snapshot``), so drawing never waits for training. Stopping only raises the
/// sweep's cancel flag (its threads leave within one 1,000-step chunk of a cell); ``shutdown()``
/// also waits for them, for a clean exit.
extension Explorer {
  /// Starts training `config` in the background, shows it in the phase view and puts the
  /// cursor on the first cell. A sweep already running is cancelled.
  public func startPhaseSweep(_ config: PhaseSweepConfig) {
    guard let sweep = try? PhaseSweep(config: config) else {
      toast("phase sweep rejected: invalid grid", .error)
      return
    }
    showPhaseSweep(sweep)
  }

  /// Shows `sweep` in the phase view, starting it on ``phaseThreads`` threads unless it has
  /// already run (a test can hand over a finished or hand-run sweep for a deterministic frame).
  public func showPhaseSweep(_ sweep: PhaseSweep) {
    stopPhaseSweep()
    phaseSweep = sweep
    if !sweep.isFinished {
      sweep.start(threads: phaseThreads, onThreadStart: phaseThreadStart)
    }
    state.view = .phase
    state.phaseCursor = MatrixIndex(row: 0, col: 0)
  }

  /// Cancels the running sweep without waiting (its partial diagram is dropped).
  public func stopPhaseSweep() {
    retiredSweeps.removeAll { $0.isFinished }
    if let sweep = phaseSweep {
      sweep.cancel()
      retiredSweeps.append(sweep)
    }
    phaseSweep = nil
  }

  /// Cancels every sweep, the current one and any still leaving from earlier loads, and waits
  /// for their threads to finish: call before exiting.
  public func shutdown() {
    stopPhaseSweep()
    for sweep in retiredSweeps {
      sweep.cancel()
      _ = sweep.wait()
    }
    retiredSweeps = []
  }

  /// Finished cells of the current sweep, or −1 with none: the app redraws when it changes.
  public var phaseProgress: Int { phaseSweep?.snapshot.completed ?? -1 }

  /// Arrow keys and h j k l in the phase view: ↑ denser (row − 1), ↓ sparser, ← smaller r,
  /// → larger r, clamped to the grid. Returns false for any other key.
  func movePhaseCursor(_ key: Key) -> Bool {
    let g = phaseSweep?.config.grid ?? 1
    var c = state.phaseCursor
    switch key {
    case .up, .char("k"): c.row -= 1
    case .down, .char("j"): c.row += 1
    case .left, .char("h"): c.col -= 1
    case .right, .char("l"): c.col += 1
    default: return false
    }
    state.phaseCursor = MatrixIndex(
      row: min(max(0, c.row), g - 1), col: min(max(0, c.col), g - 1))
    return true
  }
}
