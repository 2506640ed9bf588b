import TMSCore

/// How a second run starts: trained afresh from a configuration, or resumed from a saved
/// snapshot (weights, optimiser and loss history).
public enum SecondRunStart: Sendable {
  /// A fresh run of this configuration.
  case config(RunConfig)
  /// A saved run.
  case snapshot(Snapshot)

  /// Its configuration.
  public var config: RunConfig {
    switch self {
    case .config(let c): c
    case .snapshot(let s): s.config
    }
  }
}

/// The compare view's second trainer and what the explorer derived from its last
/// snapshot. Held by the ``Explorer`` (one per explorer); only the UI thread touches it.
public final class CompareSlot {
  /// The second run's trainer, while one is open.
  public internal(set) var trainer: (any TrainerControl)?
  /// Starts a second trainer, paused or not: the app builds a live ``Trainer`` on its
  /// threads, tests a ``SteppedTrainer``. Nil: no second run can be opened.
  public var makeTrainer: ((SecondRunStart, _ paused: Bool) throws -> any TrainerControl)?
  /// Stops a second trainer for good (the app shuts its thread down; nothing by default).
  public var stopTrainer: (any TrainerControl) -> Void = { _ in }
  /// Values derived from the second run's latest snapshot.
  var derived = DerivedValues.empty

  /// An empty slot.
  public init() {}
}

/// The second run's commands performed, its snapshot fed to the update each frame and
/// drawn beside the first (``PanelContext/second``).
extension Explorer {
  /// Opens a second run beside the first from outside the update (the command line's
  /// `--compare`, a preset's `"compare"`): `name` titles it, `own` are the fields it keeps
  /// for itself, and the compare view opens when `show` is set. A failure is one toast.
  public func openSecondRun(
    _ start: SecondRunStart, name: String, own: Set<String>, paused: Bool, show: Bool = true
  ) {
    do {
      try startSecond(start, paused: paused)
      let run = CompareRun(name: name, desired: start.config, own: own, firstPaused: paused)
      send(.compare(.opened(run, show: show)))
    } catch {
      send(.compare(.failed("\(error)")))
    }
  }

  /// Stops the second run's trainer, if any (also on quit, from ``shutdown()``).
  public func closeSecondRun() {
    if let t = compare.trainer { compare.stopTrainer(t) }
    compare.trainer = nil
    compare.derived = .empty
  }

  /// Replaces the second trainer with a new one started as `start`.
  func startSecond(_ start: SecondRunStart, paused: Bool) throws {
    guard let make = compare.makeTrainer else {
      throw CompareUnavailable()
    }
    let trainer = try make(start, paused)
    closeSecondRun()
    compare.trainer = trainer
  }

  /// Performs a command of the update on the second trainer.
  func performCompare(_ command: CompareCommand) {
    if case .open(let config, let paused) = command {
      do {
        try startSecond(.config(config), paused: paused)
      } catch {
        closeSecondRun()
        send(.compare(.failed("\(error)")))
      }
      return
    }
    if case .close = command {
      closeSecondRun()
      return
    }
    guard let t = compare.trainer else { return }
    switch command {
    case .open, .close: break
    case .apply(let config): t.apply(config)
    case .pause: t.pause()
    case .resume: t.resume()
    case .step(let n): t.step(n)
    case .reset: t.reset(seed: nil)
    case .throttle(let rate): t.setThrottle(stepsPerSecond: rate)
    }
  }

  /// A frame is due: the update sees the second run's latest snapshot.
  func tickCompare() {
    guard state.compare != nil, let t = compare.trainer else { return }
    send(.compare(.tick(t.snapshot)))
  }

  /// The second run as the compare view draws it, its derived values brought up to date;
  /// nil while none is open.
  func secondPicture() -> SecondRunPicture? {
    guard state.compare != nil, let t = compare.trainer else { return nil }
    let snapshot = t.snapshot
    compare.derived = DerivedValues.update(
      compare.derived, snapshot: snapshot, focused: state.instance, now: now(),
      attackGains: false)
    return SecondRunPicture(snapshot: snapshot, derived: compare.derived)
  }
}

/// The explorer was given no way to start a second trainer.
struct CompareUnavailable: Error, CustomStringConvertible {
  var description: String { "this explorer cannot start a second run" }
}

/// The second run of the compare view as drawn: its snapshot and derived values.
public struct SecondRunPicture: Sendable {
  /// Its latest published snapshot.
  public let snapshot: TrainingSnapshot
  /// Values derived from it.
  public let derived: DerivedValues
}
