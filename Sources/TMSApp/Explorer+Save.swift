import Foundation
import Synchronization
import TMSCore
import TMSFiles

/// The `s` key: saving a snapshot of the live run without stalling the UI.
extension Explorer {
  /// Runs ``saveSnapshot`` in the background (with the recorded history when `history` is
  /// set); its outcome arrives at the next ``tick``.
  func save(history: Bool) {
    guard let saveSnapshot else {
      send(.saved(.failure(SaveFailure(message: "saving is not available"))))
      return
    }
    guard saves.begin() else { return }
    let mailbox = saves
    runInBackground {
      do {
        mailbox.finish(.success(try saveSnapshot(history)))
      } catch {
        mailbox.finish(.failure(SaveFailure(message: "\(error)")))
      }
    }
  }

  /// True while a save runs or its result has not been shown yet.
  public var isSaving: Bool { state.saving || saves.isBusy }

  /// True when a finished save's result is waiting to be shown (the loop redraws for it).
  public var hasFinishedSave: Bool { saves.hasResult }

  /// At quit: waits up to `timeout` for a save still running (it needs the trainer, so call
  /// this before shutting the trainer down) and returns the line the user has not seen yet —
  /// where the file went, why it failed, or that it was abandoned — for the app to print
  /// once the terminal is restored; nil when there is nothing to tell.
  public func finishSave(timeout: Duration) -> String? {
    let deadline = ContinuousClock.now + timeout
    while saves.isRunning && ContinuousClock.now < deadline {
      Thread.sleep(forTimeInterval: 0.002)
    }
    if saves.isRunning {
      return "a snapshot save did not finish within \(timeout) of quitting and was abandoned"
    }
    switch saves.take() {
    case .success(let path): return "saved \(path)"
    case .failure(let failure): return "save failed: \(failure.message)"
    case nil: return nil
    }
  }
}

/// The one save in flight and its outcome, shared between the saving thread and the UI.
final class SaveMailbox: Sendable {
  private struct State {
    var running = false
    var result: Result<String, SaveFailure>?
  }
  private let state = Locked(State())

  /// Claims the slot; false when a save is already running or unreported.
  func begin() -> Bool {
    state.withLock { s in
      guard !s.running, s.result == nil else { return false }
      s.running = true
      return true
    }
  }

  /// Records the outcome of the running save.
  func finish(_ result: Result<String, SaveFailure>) {
    state.withLock {
      $0.running = false
      $0.result = result
    }
  }

  /// The outcome, once, and frees the slot.
  func take() -> Result<String, SaveFailure>? {
    state.withLock { $0.result.take() }
  }

  var isBusy: Bool { state.withLock { $0.running || $0.result != nil } }
  var isRunning: Bool { state.withLock { $0.running } }
  var hasResult: Bool { state.withLock { $0.result != nil } }
}
