import ArgumentParser
import Foundation
import Synchronization
import TMSCore
import TMSFiles

/// `tms train --save/--resume/--force`: snapshots of headless runs.
extension Train {
  /// The run to train, the number of steps to train it, and its loss history so far: fresh
  /// from the flags, or resumed from `--resume` (whose configuration is used unchanged, so
  /// only `--steps` may accompany it; with a schedule, `steps` in the file stays its horizon).
  func startingRun(threads: Int) throws -> (Run, Int, LossHistory) {
    try checkSaveTarget()
    guard let resume else {
      let config = try options.makeConfig()
      let run = try Run(config: config, threads: threads)
      if save != nil { Interrupt.install() }
      return (run, config.training.steps, LossHistory())
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
    if save != nil { Interrupt.install() }
    let steps = options.training.steps ?? max(0, snapshot.config.training.steps - snapshot.step)
    return (run, steps, snapshot.lossHistory)
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
  func saveSnapshot(_ run: Run, history: LossHistory, evalLoss: [Double]?) throws {
    guard let save else { return }
    do {
      let path = try SnapshotStore.save(
        run.snapshot(history: history, evalLoss: evalLoss), to: save, force: force)
      printError("tms: saved \(path) (step \(run.step))")
    } catch {
      printError("tms: \(error.description)")
      throw ExitCode(1)
    }
  }

  /// After Ctrl-C: saves what was trained (when `--save` was given) and exits with 130.
  func saveIfInterrupted(_ run: Run, history: LossHistory, progress: ProgressBar) throws {
    guard Interrupt.requested else { return }
    progress.finish()
    printError("tms: interrupted at step \(run.step)")
    try saveSnapshot(run, history: history, evalLoss: nil)
    throw ExitCode(130)
  }
}

/// Ctrl-C during a headless run that will save: finish the current chunk, save, exit 130.
/// A second Ctrl-C kills at once (the save is atomic, so even that loses no earlier file).
enum Interrupt {
  static let flag = Atomic<Bool>(false)

  static var requested: Bool { flag.load(ordering: .relaxed) }

  static func install() {
    signal(SIGINT) { _ in
      Interrupt.flag.store(true, ordering: .relaxed)
      signal(SIGINT, SIG_DFL)
    }
    signal(SIGTERM) { _ in
      Interrupt.flag.store(true, ordering: .relaxed)
      signal(SIGTERM, SIG_DFL)
    }
  }
}
