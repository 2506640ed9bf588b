import ArgumentParser
import TMSCore
import TMSFigures
import TMSFiles

extension Export {
  /// Refuses animation options that are out of range or given without `--animate`.
  func checkAnimationOptions() throws {
    if animate == nil {
      if duration != nil { throw CLIError("--duration: only makes sense with --animate") }
      if frames != nil { throw CLIError("--frames: only makes sense with --animate") }
      return
    }
    if let duration, !(duration.isFinite && duration > 0) {
      throw CLIError("--duration: must be a number of seconds > 0, got \(duration)")
    }
    if let frames, frames < 2 { throw CLIError("--frames: must be an integer ≥ 2, got \(frames)") }
    if instanceList.count > 1 {
      throw CLIError("--instance: --animate draws one instance, got \(instanceList.count)")
    }
  }

  /// The animation of the chosen instance, or exit 1 with the one-line reason (a snapshot
  /// without a recorded history).
  func historyAnimation(of snapshot: Snapshot) throws -> HistoryAnimation {
    guard let history = snapshot.history, !history.frames.isEmpty else {
      printError(
        "tms: \(file): has no recorded history: record one with tms train --record --save or save with S in the explorer"
      )
      throw ExitCode(1)
    }
    let instance = instanceList.first ?? snapshot.config.instances - 1
    let seconds = duration ?? 10
    do {
      return try HistoryAnimation(
        history: history, instance: instance, duration: seconds, maxFrames: frames ?? 200)
    } catch {
      printError("tms: \(file): \(error.description)")
      throw ExitCode(1)
    }
  }

  /// Draws the animation and writes it; without `--frames`, an animation that would pass
  /// ``HistoryAnimation/byteBudget`` is drawn again with proportionally fewer frames.
  func writeAnimation(_ first: HistoryAnimation, to path: String) throws(SnapshotError) {
    var animation = first
    var text = animation.svg()
    var bytes = text.utf8.count
    while frames == nil, bytes > HistoryAnimation.byteBudget, animation.frames.count > 2 {
      let fewer = max(2, animation.frames.count * HistoryAnimation.byteBudget / bytes * 9 / 10)
      guard
        let smaller = try? HistoryAnimation(
          history: animation.history, instance: animation.instance, duration: animation.duration,
          maxFrames: min(fewer, animation.frames.count - 1))
      else { break }
      animation = smaller
      text = animation.svg()
      bytes = text.utf8.count
    }
    if animation.frames.count < first.frames.count {
      printError(
        "tms: drawing \(animation.frames.count) of \(animation.history.frames.count) frames to stay "
          + "under \(HistoryAnimation.byteBudget >> 20) MB (--frames N chooses)")
    }
    try AtomicFile.write(Array(text.utf8), to: path, replace: force)
    printError(
      "tms: wrote \(path) (instance \(animation.instance), \(animation.frames.count) frames, "
        + "\(bytes / 1024) KB, \((animation.cycle * 10).rounded() / 10) s a loop)")
  }
}
