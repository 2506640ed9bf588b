import TMSCore

/// What the explorer knows of the recorded history, copied from the latest snapshot when it
/// changes: the frames' steps and the events, enough for the pure update to move the cursor
/// by frame and by event without holding the weights.
public struct RecordedSummary: Sendable, Equatable {
  /// Steps of the frames kept, increasing.
  public var steps: [Int] = []
  /// Every event, sorted by step.
  public var events: [HistoryEvent] = []
  /// Bytes the frames hold, and the budget.
  public var bytes = 0
  /// The memory budget, bytes.
  public var budget = 0
  /// Frames recorded and later thinned away.
  public var thinned = 0
  /// False when the trainer does not record (`--no-history`).
  public var isRecording = false

  /// Nothing recorded.
  public init() {}

  /// The summary of `history` (not recording when nil).
  public init(_ history: RunHistory?) {
    guard let history else { return }
    isRecording = true
    steps = history.frames.map(\.step)
    events = history.eventsByStep
    bytes = history.bytes
    budget = history.budget
    thinned = history.thinned
  }

  /// True when `history` would give a different summary (compared cheaply: counts and ends).
  func isStale(for history: RunHistory?) -> Bool {
    guard let history else { return isRecording }
    return !isRecording || history.frames.count != steps.count
      || history.frames.last?.step != steps.last || history.frames.first?.step != steps.first
      || history.events.count != events.count || history.bytes != bytes
  }

  /// The index of the last frame at or before `step` (0 before them all); nil without frames.
  func index(atOrBefore step: Int) -> Int? { steps.lastIndex(atOrBefore: step) { $0 } }

  /// The frame that first shows event `e`'s new state: the first at or after its step (the
  /// frame it was found in, unless thinned since), else the last.
  func landing(_ e: HistoryEvent) -> Int {
    guard let i = index(atOrBefore: e.step) else { return 0 }
    return steps[i] >= e.step || i == steps.count - 1 ? i : i + 1
  }

  /// Events of `instance` (all instances when nil), in step order.
  func events(of instance: Int?) -> [HistoryEvent] {
    guard let instance else { return events }
    return events.filter { $0.instance == instance }
  }
}

/// The explorer looking at a recorded frame instead of the live run: which frame, and the
/// replay's state. Training goes on behind it.
public struct TimelineCursor: Sendable, Equatable {
  /// The step of the frame shown (kept as a step, so thinning the frames keeps the place).
  public var step: Int
  /// True while the replay plays.
  public var playing = false
  /// Seconds the replay takes for the whole recording.
  public var pace = TimelineCursor.defaultPace
  /// True when the replay stops at each event of the focused instance.
  public var pauseAtEvents = false
  /// The replay's position, fractional frame index (advances between frames).
  var position = 0.0

  /// The replay's default length, 10 s for the whole run.
  public static let defaultPace = 10.0
  /// The paces the `+`/`-` keys step through, seconds for the whole recording.
  public static let paces: [Double] = [2, 5, 10, 20, 30, 60, 120]

  /// The cursor at `step`.
  public init(step: Int) { self.step = step }
}
