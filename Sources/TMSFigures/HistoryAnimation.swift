import TMSCore
import TMSRender

/// One instance's recorded history as a self-contained animated SVG (SMIL, no script): per
/// frame the feature directions (m = 2; for m > 2 projected on a fixed plane, the last frame's
/// top-2 principal directions) and WᵀW with b, drawn as ``SnapshotFigure`` draws them, a
/// caption with the step, the training loss and the geometry label, and a timeline of the
/// loss with the instance's events as ticks and a cursor.
///
/// Every drawn frame is a `<g class="frame">` whose `visibility` a discrete `<animate>` turns
/// on for its slot of one looping cycle, so frames play in recorded order: log-spaced in
/// steps, dense early. The whole run takes ``duration`` seconds; a frame at an event of the
/// instance stays a little longer and shows the event's text; the last frame holds for
/// ``hold`` seconds before the loop starts again. Scales (the directions' radius and WᵀW's
/// colour range) are fixed over all frames so frames compare. Without SMIL (rsvg-convert, a
/// static viewer) the last frame shows.
public struct HistoryAnimation: Sendable {
  /// Why an animation cannot be drawn, in one line.
  public struct Problem: Error, Sendable, CustomStringConvertible {
    /// The reason.
    public let description: String
  }

  /// The history drawn.
  public let history: RunHistory
  /// The instance drawn.
  public let instance: Int
  /// Seconds the frames take, event holds included (the final hold comes on top).
  public let duration: Double
  /// Indices into the history's frames of the frames drawn, increasing: all of them when
  /// they are no more than the limit, else evenly spaced among the recorded frames (so
  /// evenly in log-step) with the first, the last and every event's frame kept.
  public let frames: [Int]
  /// The instance's events, by step.
  public let events: [HistoryEvent]
  /// Per drawn frame, the events it is the first frame of.
  public let eventsAt: [[HistoryEvent]]
  /// Slot boundaries in seconds: drawn frame i shows from `times[i]` to `times[i + 1]`; the
  /// last entry is the cycle's length.
  public let times: [Double]
  /// Seconds the last frame stays before the animation loops.
  public let hold: Double
  /// Side of the square panels, in SVG units (px).
  public var panel: Double = 280

  /// The size the command line keeps an animation under when the number of frames is not
  /// given (200 frames of n = 5 take about 0.5 MB; of n = 100, far more).
  public static let byteBudget = 8 << 20
  /// The most seconds a frame at an event is held beyond its slot.
  public static let eventHold = 0.8

  /// An animation of `instance` over `history`, playing in `duration` seconds with at most
  /// `maxFrames` frames (≥ 2).
  public init(
    history: RunHistory, instance: Int, duration: Double = 10, maxFrames: Int = 200
  ) throws(Problem) {
    guard let first = history.frames.first else {
      throw Problem(
        description:
          "has no recorded history: record one with tms train --record --save or save with S in the explorer"
      )
    }
    guard first.parameters.indices.contains(instance) else {
      throw Problem(
        description:
          "instance \(instance) is not in the history (0…\(first.parameters.count - 1))")
    }
    let n = first.parameters[instance].W.count
    let shaped = history.frames.allSatisfy { f in
      f.parameters.count > instance && f.trainLoss.count > instance && f.labels.count > instance
        && f.config.importance.count > instance && f.config.featureProbability.count > instance
        && f.parameters[instance].W.count == n && f.parameters[instance].b.count == n
        && f.config.importance[instance].count == n && f.config.features == n
    }
    guard shaped else {
      throw Problem(description: "the history's frames disagree about the instances' shapes")
    }
    guard duration.isFinite, duration > 0 else {
      throw Problem(description: "the duration must be a positive number of seconds")
    }
    guard maxFrames >= 2 else { throw Problem(description: "at least 2 frames must be drawn") }
    self.history = history
    self.instance = instance
    self.duration = duration
    let recorded = history.frames
    let mine = history.events.filter { $0.instance == instance }
    events = mine.enumerated().sorted {
      ($0.element.step, $0.offset) < ($1.element.step, $1.offset)
    }
    .map(\.element)
    let firstShowing = events.map { e in
      recorded.firstIndex { $0.step >= e.step } ?? recorded.count - 1
    }
    frames = Self.select(count: recorded.count, keep: Set(firstShowing), limit: maxFrames)
    var at = [[HistoryEvent]](repeating: [], count: frames.count)
    for (e, f) in zip(events, firstShowing) {
      let drawn = frames.firstIndex { $0 >= f } ?? frames.count - 1
      at[drawn].append(e)
    }
    eventsAt = at
    let count = frames.count
    let held = at.filter { !$0.isEmpty }.count
    let extra = held == 0 ? 0 : min(Self.eventHold, 0.25 * duration / Double(held))
    let slot = (duration - extra * Double(held)) / Double(count)
    hold = count == 1 ? 0 : min(2, max(0.5, 0.2 * duration))
    var t = [0.0]
    for i in 0..<count {
      let length = slot + (at[i].isEmpty ? 0 : extra) + (i == count - 1 ? hold : 0)
      t.append(t[i] + length)
    }
    times = t
  }

  /// `limit` of `count` frame indices: all when they fit, else evenly spaced ones with the
  /// first, the last and `keep` always among them (or, when `keep` alone is too many, the
  /// first, the last and evenly spaced members of `keep`).
  static func select(count: Int, keep: Set<Int>, limit: Int) -> [Int] {
    guard count > limit else { return Array(0..<count) }
    let must = keep.union([0, count - 1])
    func even(_ k: Int, of n: Int) -> [Int] {
      (0..<k).map { Int((Double($0) * Double(n - 1) / Double(k - 1)).rounded()) }
    }
    if must.count > limit {
      let sorted = must.sorted()
      return Array(Set(even(limit, of: sorted.count).map { sorted[$0] })).sorted()
    }
    var grid = limit
    while true {
      let picks = must.union(even(grid, of: count))
      if picks.count <= limit || grid <= 2 { return picks.sorted() }
      grid -= 1
    }
  }

  /// The cycle's length in seconds: `duration` and the final hold.
  public var cycle: Double { times[times.count - 1] }

  /// The configuration of the last frame (names, shapes, importance).
  var config: RunConfig { history.frames[frames[frames.count - 1]].config }

  /// The fixed projection plane: the hidden plane for m ≤ 2, else the last frame's top-2
  /// principal directions.
  public var plane: PrincipalPlane {
    PrincipalPlane(
      history.frames[frames[frames.count - 1]].parameters[instance].W, hidden: config.hidden)
  }
}
