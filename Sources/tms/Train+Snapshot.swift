import ArgumentParser
import Foundation
import TMSCore
import TMSFiles

/// `tms train --save/--resume/--force`: snapshots of headless runs.
extension Train {
  /// The run to train, the number of steps to train it, and its loss history so far: fresh
  /// from the flags, or resumed from `--resume` (whose configuration is used unchanged, so
  /// only `--steps` may accompany it; with a schedule, `steps` in the file stays its horizon).
  func startingRun(threads: Int) throws -> (Run, Int, LossHistory, RunHistory?) {
    try checkSaveTarget()
    guard let resume else {
      let config = try options.makeConfig()
      let run = try Run(config: config, threads: threads)
      return (run, config.training.steps, LossHistory(), nil)
    }
    if let flag = options.configFlagsGiven.first(where: { $0 != "--steps" }) {
      throw CLIError(
        "--resume: cannot be combined with \(flag); the snapshot's own configuration is used")
    }
    let stepsField = TrainingSettings.fields.field("steps")
    if let steps = options.training.steps, let field = stepsField {
      var check = TrainingSettings()
      do {
        try field.flags[0].set(steps, in: &check)
      } catch {
        throw CLIError(error.description)
      }
    }
    let snapshot: Snapshot
    let run: Run
    do {
      snapshot = try SnapshotStore.load(resume)
      run = try Run(snapshot: snapshot, threads: threads)
    } catch {
      printError("tms: \(error.naming(resume).description)")
      throw ExitCode(1)
    }
    let steps = options.training.steps ?? max(0, snapshot.config.training.steps - snapshot.step)
    guard steps <= Snapshot.maxStep - snapshot.step else {
      throw CLIError(
        "--steps: \(resume) is at step \(snapshot.step); at most \(Snapshot.maxStep - snapshot.step) "
          + "more steps fit (a step count stays below 2^53), got \(steps)")
    }
    return (run, steps, snapshot.lossHistory, snapshot.history)
  }

  /// Refuses before training, not after it, a `--save` that would have to overwrite or that
  /// names a missing or read-only folder.
  func checkSaveTarget() throws {
    guard let save else {
      if force { throw CLIError("--force: only makes sense with --save") }
      return
    }
    do {
      try SnapshotStore.checkTarget(save, force: force)
    } catch {
      printError("tms: \(error.description)")
      throw ExitCode(1)
    }
  }

  /// Writes the `--save` snapshot, reporting the path on stderr (stdout may be JSON).
  func save(_ snapshot: Snapshot) throws {
    guard let save else { return }
    do {
      let path = try SnapshotStore.save(snapshot, to: save, force: force)
      printError("tms: saved \(path) (step \(snapshot.step))")
    } catch {
      printError("tms: \(error.description)")
      throw ExitCode(1)
    }
  }

  /// After an interrupt: saves what was trained (when `--save` was given; `snapshot` when
  /// one was already taken, else one now, without held-out losses) and ends the process
  /// (exit 130 after Ctrl-C, by the signal after SIGTERM or SIGHUP; see ``Interrupt``).
  func stopInterrupted(
    _ run: Run, history: LossHistory, recorded: RunHistory?, progress: ProgressBar,
    snapshot: Snapshot? = nil
  ) throws -> Never {
    progress.finish()
    printError("tms: interrupted at step \(run.step)")
    if save != nil {
      var s = snapshot ?? run.snapshot(history: history)
      s.history = recorded
      try save(s)
    }
    Interrupt.exit()
  }
}
