/// A run's recorded history: keyframes of every instance's weights, dense early and thinning
/// with time, under a memory budget, and the events found in them.
///
/// Frames are log-spaced in steps: after a frame at step s the next is due at
/// s + max(1, ⌊g·s⌋), so with spacing g a run of S steps keeps about 1/g + ln(g·S)/g frames
/// (g = 1/64: every step up to 64, ≈ 535 frames by step 100,000). When the frames' bytes pass
/// the budget, g doubles and the frames already kept are thinned to the new spacing (the
/// first frame, the random start, always stays), so early steps keep their detail as far as
/// the budget allows and a long run still fits.
///
/// Events are found as frames arrive, from metrics the recorder passes in, and are kept when
/// their frames are thinned away.
public struct RunHistory: Sendable {
  /// The frames, in increasing step.
  public private(set) var frames: [Keyframe] = []
  /// Events found so far, in the order found (increasing step per instance).
  public private(set) var events: [HistoryEvent] = []
  /// The most bytes the frames may hold.
  public let budget: Int
  /// g, the spacing: a frame at step s is followed by one at s + max(1, ⌊g·s⌋).
  public private(set) var spacing: Double
  /// Bytes the frames hold now (``Keyframe/bytes``).
  public private(set) var bytes = 0
  /// Frames recorded and later thinned away.
  public private(set) var thinned = 0
  var detector = EventDetector()

  /// The default budget, 64 MB.
  public static let defaultBudget = 64 << 20
  /// The spacing a history starts with.
  public static let initialSpacing = 1.0 / 64

  /// An empty history holding at most `budget` bytes of frames.
  public init(budget: Int = RunHistory.defaultBudget, spacing: Double = RunHistory.initialSpacing) {
    self.budget = max(0, budget)
    self.spacing = spacing
  }

  /// A history with these frames and events (a saved one), with the spacing it had.
  public init(
    budget: Int, spacing: Double, thinned: Int, frames: [Keyframe], events: [HistoryEvent]
  ) {
    self.budget = max(0, budget)
    self.spacing = spacing
    self.thinned = thinned
    self.frames = frames
    self.events = events
    bytes = frames.reduce(0) { $0 + $1.bytes }
  }

  /// `91 frames, steps 0 … 100,000` (`no frames`): what `tms show` and `tms train --record`
  /// say the history holds.
  public var extent: String {
    guard let first = frames.first, let last = frames.last else { return "no frames" }
    return "\(frames.count) frames, steps \(first.step.grouped) … \(last.step.grouped)"
  }

  /// The step at which the next frame is due.
  public var nextStep: Int {
    guard let last = frames.last else { return 0 }
    return Self.next(after: last.step, spacing: spacing)
  }

  /// True when a frame at `step` should be recorded.
  public func isDue(step: Int) -> Bool {
    guard let last = frames.last else { return true }
    return step >= Self.next(after: last.step, spacing: spacing)
  }

  /// The largest spacing: thinning stops doubling it here (a frame every 2²⁰ × its step is
  /// already only the first and the latest), and a saved history may not claim more.
  public static let maxSpacing = Double(1 << 20)

  /// s + max(1, ⌊g·s⌋), saturating at `Int.max` instead of trapping.
  public static func next(after step: Int, spacing: Double) -> Int {
    let gap = spacing * Double(step)
    guard gap < Double(Int.max - step) else { return Int.max }
    return step + max(1, Int(gap))
  }

  /// This history under another budget (an explorer or `tms train --resume --record` with
  /// its own `--history-budget`): the same frames, events and spacing; thinned on the next
  /// frame recorded if they pass it.
  public func withBudget(_ budget: Int) -> RunHistory {
    var copy = RunHistory(
      budget: budget, spacing: spacing, thinned: thinned, frames: frames, events: events)
    copy.detector = detector
    return copy
  }

  /// Records the run at `step` from the published instances (weights and metrics), and
  /// scans it for events. A step not after the last frame's is ignored.
  public mutating func record(step: Int, config: RunConfig, instances: [InstanceSnapshot]) {
    if let last = frames.last, step <= last.step { return }
    let frame = Keyframe(
      step: step, config: config, parameters: instances.map(\.parameters),
      trainLoss: instances.map(\.metrics.trainLoss),
      labels: instances.map(\.metrics.geometry.text),
      dimensionality: instances.map(\.metrics.dimensionality))
    events += detector.scan(
      step: step, labels: frame.labels, dimensionality: instances.map(\.metrics.dimensionality),
      norms: instances.map(\.metrics.norms))
    frames.append(frame)
    bytes += frame.bytes
    while bytes > budget && frames.count > 2 {
      let before = frames.count
      thin()
      if frames.count == before && spacing >= Self.maxSpacing {
        // Three frames (the start, step 1, the latest) can pass a tiny budget, which no
        // spacing thins: keep the first and the latest only.
        thinned += frames.count - 2
        frames = [frames[0], frames[frames.count - 1]]
        bytes = frames.reduce(0) { $0 + $1.bytes }
      }
    }
  }

  /// Doubles the spacing and keeps the frames that the new spacing would have recorded
  /// (always the first and the latest).
  mutating func thin() {
    spacing = min(spacing * 2, Self.maxSpacing)
    var kept: [Keyframe] = []
    kept.reserveCapacity(frames.count / 2 + 2)
    for (i, f) in frames.enumerated() {
      if let last = kept.last, i != frames.count - 1,
        f.step < Self.next(after: last.step, spacing: spacing)
      {
        continue
      }
      kept.append(f)
    }
    thinned += frames.count - kept.count
    frames = kept
    bytes = frames.reduce(0) { $0 + $1.bytes }
  }

  /// The index of the last frame at or before `step` (0 when `step` precedes them all); nil
  /// when there are no frames.
  public func frameIndex(atOrBefore step: Int) -> Int? {
    frames.lastIndex(atOrBefore: step) { $0.step }
  }

  /// Events sorted by step (then instance), as the event list shows them.
  public var eventsByStep: [HistoryEvent] {
    events.enumerated().sorted {
      ($0.element.step, $0.element.instance, $0.offset)
        < ($1.element.step, $1.element.instance, $1.offset)
    }.map(\.element)
  }
}
