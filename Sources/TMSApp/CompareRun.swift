import TMSCore

/// The second run of the compare view as the explorer's state knows it: its title, the
/// configuration last asked of its trainer, and the fields it sets for itself (every other
/// field follows the first run, so a slider edits both).
public struct CompareRun: Sendable, Equatable {
  /// How the second run came about, for its column's title (`seed 1`, `linear`, a preset's
  /// or a snapshot file's name).
  public var name: String
  /// The configuration the explorer last asked of the second trainer.
  public var desired: RunConfig
  /// Keys of the fields (``RunConfig/fields``) the second run sets for itself.
  public var own: Set<String>
  /// True while the first run is paused, as last seen or asked: pause, step and resume keep
  /// the second run in the same state.
  public var firstPaused: Bool
  /// The second trainer's last notice, so each is shown once.
  public var lastNotice: String?

  /// A second run configured as `desired`, keeping `own` for itself.
  public init(name: String, desired: RunConfig, own: Set<String>, firstPaused: Bool = false) {
    self.name = name
    self.desired = desired
    self.own = own
    self.firstPaused = firstPaused
  }
}

/// Which run the presets picker loads into: the first (`p`) or the second (`o` in the
/// compare view).
public enum PresetTarget: Sendable, Equatable {
  case first
  case second
}

/// What happens to the compare view's second run, from outside the update.
public enum CompareEvent: Sendable {
  /// A second run was started (from the command line: a snapshot file or a preset) as
  /// `run`; the compare view opens on it when `show` is set.
  case opened(CompareRun, show: Bool)
  /// A second run could not be started, and why.
  case failed(String)
  /// A frame is due: the second run's latest snapshot (its notices are shown once).
  case tick(TrainingSnapshot)
}

/// What the update asks of the second run's trainer.
public enum CompareCommand: Sendable, Equatable {
  /// Start a second trainer on this configuration (replacing any), paused like the first
  /// when `paused`.
  case open(RunConfig, paused: Bool)
  /// Stop and drop the second trainer.
  case close
  /// Replace its configuration (``TrainerControl/apply(_:)``).
  case apply(RunConfig)
  /// Pause it.
  case pause
  /// Resume it.
  case resume
  /// Run this many steps, then pause.
  case step(Int)
  /// Re-initialise its weights with its own seed.
  case reset
  /// Limit its speed (nil = full speed).
  case throttle(Double?)
}
