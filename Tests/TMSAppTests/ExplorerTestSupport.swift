import TMSApp
import TMSCore

extension Explorer {
  /// An explorer on `trainer` whose side effects happen in place: a save runs on the
  /// calling thread (its outcome shows at the next tick), a phase sweep trains to the end
  /// before `load` returns. Input tests then need no threads and no waiting.
  static func forTests(_ trainer: any TrainerControl) -> Explorer {
    let e = Explorer(trainer: trainer)
    e.runInBackground = { $0() }
    e.startSweep = { _ = $0.run(threads: 1) }
    return e
  }
}
