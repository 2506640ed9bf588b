import TMSCore
import TMSFiles
import TMSRender

/// Everything that can happen to the explorer.
public enum ExplorerEvent: Sendable {
  /// A key, a mouse event or a resize from the terminal.
  case input(InputEvent)
  /// A frame is due: time has passed and the trainer may have published a new snapshot.
  case tick(now: ContinuousClock.Instant, snapshot: TrainingSnapshot, framesPerSecond: Double)
  /// The presets the picker asked for.
  case presetsListed([Preset])
  /// A preset to load (from the picker's Enter, or the command line at start-up).
  case load(Preset)
  /// The outcome of a save: where the file went, or why it could not be written.
  case saved(Result<String, SaveFailure>)
  /// Switch to a view (a preset's, at start-up, without loading the preset).
  case show(ExplorerView)
  /// A phase diagram of `grid` × `grid` cells is now shown (the phase view opens on it).
  case phaseSweepShown(grid: Int)
  /// A phase diagram could not be started, and why.
  case phaseSweepFailed(String)
  /// A sweep's result file was (re)read: its table has this many positions per axis.
  /// `opened` is true the first time, when the view switches to the results.
  case sweepLoaded(shape: [Int], opened: Bool)
  /// A sweep point to train live (what Enter in the results view resolves to): its run, one
  /// instance per seed, and a few words naming it.
  case openPoint(RunConfig, String)
  /// A sweep point could not be opened, and why.
  case openPointFailed(String)
  /// Replay this recorded history from its first frame (a snapshot opened with its history).
  case replay(RunHistory?)
  /// Something happened to the compare view's second run.
  case compare(CompareEvent)
}

/// Why a background save failed, as the one line the toast shows.
public struct SaveFailure: Error, Sendable, Equatable {
  /// The message.
  public let message: String

  /// A failure saying `message`.
  public init(message: String) { self.message = message }
}

/// What the update asks the outside world to do: steer the trainer, read presets, save,
/// run a phase sweep. The explorer performs commands; the update only describes them.
public enum ExplorerCommand: Sendable, Equatable {
  /// Pause or resume training.
  case togglePause
  /// Pause training.
  case pause
  /// Resume training.
  case resume
  /// Run this many steps, then pause.
  case step(Int)
  /// Re-initialise the weights (with this seed, or the current one).
  case reset(seed: UInt64?)
  /// Replace the run's configuration.
  case apply(RunConfig)
  /// Limit the training speed (nil = full speed).
  case throttle(Double?)
  /// List the presets for the picker (answered by ``ExplorerEvent/presetsListed(_:)``).
  case listPresets
  /// Save a snapshot of the live run, with its recorded history when `history` is set
  /// (answered by ``ExplorerEvent/saved(_:)``).
  case save(history: Bool)
  /// Train this phase diagram in the background and show it.
  case startPhaseSweep(PhaseSweepConfig)
  /// Stop the phase diagram being trained, if any.
  case stopPhaseSweep
  /// Clear and redraw the whole terminal.
  case repaint
  /// Open the sweep point at `position` (one index per axis) in the live trainer: its
  /// configuration with one instance per seed, re-initialised and running.
  case openSweepPoint(position: [Int])
  /// Train `seeds` seeds of `instance` and keep the best (``TrainerControl/bestOfSeeds(instance:seeds:)``).
  case bestOfSeeds(instance: Int, seeds: Int)
  /// Stop the best-of-seeds search training.
  case cancelSeedSearch
  /// Steer the compare view's second run.
  case compare(CompareCommand)
}
