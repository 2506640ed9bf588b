import Foundation
import TMSCore
import TMSFiles
import TMSRender

/// The explorer's runtime: it holds the state, feeds events through the pure
/// ``ExplorerUpdate``, performs the commands that come out (on the trainer, the preset
/// library, the file system, a phase sweep), keeps the values derived from each snapshot,
/// and draws frames with ``Screen``.
///
/// It never touches a terminal (the executable's loop does), so a test can drive it with a
/// scripted key sequence and a ``SteppedTrainer``, and compare the drawn grid with expected
/// text. Data flows one way: the trainer publishes snapshots; the explorer reads them and
/// sends commands.
public final class Explorer {
  /// The trainer being steered.
  public let trainer: any TrainerControl
  /// The state the screen is drawn from.
  public private(set) var state: ExplorerState
  /// Takes a consistent copy of the live run (with its recorded history when the argument
  /// is true: the `S` key), writes it and returns the path written. The app wires it to the
  /// snapshot module; `s` and `S` run it in the background (see ``runInBackground``) so a
  /// large save never stalls a frame.
  public var saveSnapshot: (@Sendable (_ withHistory: Bool) throws -> String)?
  /// Runs a save off the UI thread: a new thread by default; tests run it in place.
  public var runInBackground: (@escaping @Sendable () -> Void) -> Void = {
    Thread.detachNewThread($0)
  }
  /// The presets offered by the `p` picker.
  public var presets: () -> [Preset] = { PresetLibrary(views: ExplorerView.names).all().presets }
  /// Starts a phase sweep that is not finished: on ``phaseThreads`` background threads by
  /// default; tests run it to the end in place.
  public var startSweep: ((PhaseSweep) -> Void)?
  /// Worker threads a phase sweep trains on (the app sets every core).
  public var phaseThreads = 1
  /// Runs first on each phase-sweep thread (the app blocks terminal signals there).
  public var phaseThreadStart: (@Sendable () -> Void)?
  /// Set by Ctrl-L and resizes: the backend should clear and repaint everything.
  public var repaintRequested = false
  /// The clock (a test can substitute a manual one).
  public var now: () -> ContinuousClock.Instant = { ContinuousClock.now }
  /// The phase diagram being trained in the background (the phase view), if any.
  public internal(set) var phaseSweep: PhaseSweep?
  /// Cancelled sweeps whose threads may still be leaving; ``shutdown()`` waits for them.
  var retiredSweeps: [PhaseSweep] = []
  /// The sweep result file the results view shows (re-read as it grows), if any.
  public internal(set) var sweepResults: SweepResultsSource?
  /// Hands a background save's outcome back to the UI thread.
  let saves = SaveMailbox()
  /// Values derived from the latest snapshot, computed before drawing.
  public private(set) var derived = DerivedValues.empty
  /// The recorded frame last shown and its instances with metrics (recomputed only when the
  /// cursor reaches another frame).
  var shownFrame: (frame: Keyframe, instances: [InstanceSnapshot])?
  /// The compare view's second run (Explorer+Compare.swift).
  public let compare = CompareSlot()

  /// An explorer steering `trainer` (started or not).
  public init(trainer: any TrainerControl) {
    self.trainer = trainer
    state = ExplorerState(config: trainer.snapshot.config)
  }

  /// The smallest terminal the layout supports.
  public static var minimumSize: (width: Int, height: Int) { Screen.minimumSize }

  /// True once the user asked to quit.
  public var wantsQuit: Bool { state.quit }

  /// True while a replay plays (the screen must keep redrawing even if training is paused).
  public var isReplaying: Bool { state.timeline?.playing == true }

  /// What the panels draw: the live snapshot, or the recorded frame under the timeline's
  /// cursor with the live run's status and histories.
  public func shown(_ live: TrainingSnapshot) -> TrainingSnapshot {
    guard let cursor = state.timeline, let history = live.history,
      let i = history.frameIndex(atOrBefore: cursor.step)
    else {
      shownFrame = nil
      return live
    }
    let frame = history.frames[i]
    if shownFrame?.frame !== frame {
      shownFrame = (frame, history.instances(frame: i))
    }
    return history.trainingSnapshot(frame: i, live: live, instances: shownFrame?.instances)
  }

  /// Handles a key, a mouse event or a resize.
  public func handle(_ event: InputEvent) { send(.input(event)) }

  /// Runs `event` through the update and performs the commands it returns.
  public func send(_ event: ExplorerEvent) {
    for command in ExplorerUpdate.update(&state, event) { perform(command) }
  }

  /// Advances time by one frame: a finished save is reported, toasts fade, the trainer's
  /// notices are shown, and the values derived from `snapshot` are brought up to date.
  public func tick(snapshot: TrainingSnapshot, framesPerSecond: Double) {
    if let result = saves.take() { send(.saved(result)) }
    refreshSweepResults()
    send(.tick(now: now(), snapshot: snapshot, framesPerSecond: framesPerSecond))
    tickCompare()
    updateDerived(shown(snapshot))
  }

  /// Brings the derived values up to `snapshot` for what the current view shows.
  func updateDerived(_ snapshot: TrainingSnapshot) {
    derived = DerivedValues.update(
      derived, snapshot: snapshot, focused: state.instance, now: now(),
      attackGains: Views.spec(state.view).showsAttackGains)
  }

  /// Draws the whole screen for `snapshot` at `width`×`height` with the given colour depth,
  /// and remembers what it drew where for the next mouse event.
  public func render(_ live: TrainingSnapshot, width: Int, height: Int, depth: ColorDepth)
    -> Buffer
  {
    let snapshot = shown(live)
    updateDerived(snapshot)
    let context = PanelContext(
      snapshot: snapshot, state: state, derived: derived, phase: phaseSweep?.snapshot,
      sweep: sweepResults?.view, second: secondPicture(), depth: depth)
    let frame = Screen(context: context).frame(width: width, height: height)
    state.layout = frame.layout
    return frame.buffer
  }

  /// Opens the recorded history of the trainer's run in replay from its first frame (`tms
  /// --snapshot FILE` on a file saved with its history).
  public func replay() { send(.replay(trainer.snapshot.history)) }

  /// Loads a preset (as the picker's Enter does).
  public func load(_ preset: Preset) { send(.load(preset)) }

  /// Switches to the view a preset names (its `view` field), if any, without loading it.
  public func showView(of preset: Preset) {
    if let view = preset.view.flatMap(ExplorerView.init(name:)) { send(.show(view)) }
  }

  // MARK: - Commands

  func perform(_ command: ExplorerCommand) {
    switch command {
    case .togglePause: trainer.togglePause()
    case .pause: trainer.pause()
    case .resume: trainer.resume()
    case .step(let n): trainer.step(n)
    case .reset(let seed): trainer.reset(seed: seed)
    case .apply(let config): trainer.apply(config)
    case .throttle(let rate): trainer.setThrottle(stepsPerSecond: rate)
    case .listPresets: send(.presetsListed(presets()))
    case .save(let history): save(history: history)
    case .startPhaseSweep(let config):
      do {
        showPhaseSweep(try PhaseSweep(config: config))
      } catch {
        send(.phaseSweepFailed(error.description))
      }
    case .stopPhaseSweep: stopPhaseSweep()
    case .repaint: repaintRequested = true
    case .openSweepPoint(let position): openSweepPoint(at: position)
    case .bestOfSeeds(let instance, let seeds):
      trainer.bestOfSeeds(instance: instance, seeds: seeds)
    case .cancelSeedSearch: trainer.cancelSeedSearch()
    case .compare(let command): performCompare(command)
    }
  }
}
