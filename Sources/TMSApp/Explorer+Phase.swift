import TMSCore

/// The phase view's sweep: started when a phase preset loads, read by the phase panel,
/// stopped on the next load and on quit.
///
/// Threading: the sweep trains on its own background threads and publishes an immutable
/// ``PhaseSweepResult`` after every finished cell; the UI thread only ever takes a copy
/// (``PhaseSweep/snapshot``), so drawing never waits for training. Stopping only raises the
/// sweep's cancel flag (its threads leave within one 1,000-step chunk of a cell);
/// ``shutdown()`` also waits for them, for a clean exit.
extension Explorer {
  /// Shows `sweep` in the phase view, starting it unless it has already run (a test can
  /// hand over a finished sweep for a deterministic frame).
  public func showPhaseSweep(_ sweep: PhaseSweep) {
    stopPhaseSweep()
    phaseSweep = sweep
    if !sweep.isFinished {
      if let startSweep {
        startSweep(sweep)
      } else {
        sweep.start(threads: phaseThreads, onThreadStart: phaseThreadStart)
      }
    }
    send(.phaseSweepShown(grid: sweep.config.grid))
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
  /// for their threads to finish, and stops the compare view's second run: call before
  /// exiting.
  public func shutdown() {
    closeSecondRun()
    stopPhaseSweep()
    for sweep in retiredSweeps {
      sweep.cancel()
      _ = sweep.wait()
    }
    retiredSweeps = []
  }

  /// Finished cells of the current sweep, or −1 with none: the app redraws when it changes.
  public var phaseProgress: Int { phaseSweep?.snapshot.completed ?? -1 }
}
