import TMSCore
import TMSRender

/// The timeline: looking at the recorded history while training goes on, moving by frame
/// and by event, and replaying it at a chosen pace.
extension ExplorerUpdate {
  /// The keys the timeline owns (nil when `key` is not one of them): `t` in and out of the
  /// history, `T` replay from the start, `S` save with the history, and while a frame is
  /// shown `P` play/pause, `a` pause at events, Home/End (g/G) first/last frame, Esc live.
  static func timelineKey(_ key: Key, _ state: inout ExplorerState) -> [ExplorerCommand]? {
    switch key {
    case .char("t"):
      if state.timeline != nil { goLive(&state) } else { enterHistory(atStart: false, &state) }
      return []
    case .char("T"):
      enterHistory(atStart: true, &state)
      return []
    case .char("S"): return saveKey(history: true, &state)
    default: break
    }
    guard state.timeline != nil else { return nil }
    switch key {
    case .char("P"): togglePlay(&state)
    case .char("a"):
      state.timeline?.pauseAtEvents.toggle()
      let on = state.timeline?.pauseAtEvents == true
      toast(
        on ? "replay stops at each event of #\(state.instance)" : "replay runs through events",
        .info, &state)
    case .home, .char("g"): moveFrame(to: 0, &state)
    case .end, .char("G"): moveFrame(to: state.recorded.steps.count - 1, &state)
    case .escape where state.overlay == .none: goLive(&state)
    default: return nil
    }
    return []
  }

  /// `s` and `S`: one save at a time, with or without the recorded history; a toast says
  /// it is under way until the save reports.
  static func saveKey(history: Bool, _ state: inout ExplorerState) -> [ExplorerCommand] {
    guard !state.saving else {
      toast("a save is already in progress", .info, &state)
      return []
    }
    state.saving = true
    toast(history ? "saving with the history…" : "saving…", .info, seconds: 60, &state)
    return [.save(history: history)]
  }

  /// Shows the last recorded frame (or the first, replaying), with the timeline focused.
  static func enterHistory(atStart: Bool, _ state: inout ExplorerState) {
    guard state.recorded.isRecording else {
      toast("not recording: this explorer was started with --no-history", .warning, &state)
      return
    }
    let steps = state.recorded.steps
    guard !steps.isEmpty else {
      toast("nothing recorded yet", .info, &state)
      return
    }
    var cursor = TimelineCursor(step: atStart ? steps[0] : steps[steps.count - 1])
    cursor.position = atStart ? 0 : Double(steps.count - 1)
    cursor.playing = atStart
    cursor.pace = state.timeline?.pace ?? cursor.pace
    cursor.pauseAtEvents = state.timeline?.pauseAtEvents ?? false
    state.timeline = cursor
    state.focus = .timeline
    if state.view == .sae || state.view == .results || state.view == .phase {
      state.view = .overview
    }
    toast(
      atStart
        ? "replaying the history: P pauses, +/- pace, t live"
        : "history: ←→ frame, ↑↓ or [ ] event, Home/End, P replay, t live", .info, seconds: 4,
      &state)
  }

  /// Back to the live run.
  static func goLive(_ state: inout ExplorerState) {
    leaveHistory(&state)
    toast("live", .info, seconds: 1.5, &state)
  }

  static func togglePlay(_ state: inout ExplorerState) {
    guard var cursor = state.timeline else { return }
    let last = state.recorded.steps.count - 1
    if !cursor.playing, let i = state.recorded.index(atOrBefore: cursor.step), i >= last {
      cursor.position = 0
      cursor.step = state.recorded.steps.first ?? 0
    }
    cursor.playing.toggle()
    state.timeline = cursor
  }

  /// Shows frame `index` (clamped), stopping a replay.
  static func moveFrame(to index: Int, _ state: inout ExplorerState) {
    let steps = state.recorded.steps
    guard !steps.isEmpty, state.timeline != nil else { return }
    let i = min(max(0, index), steps.count - 1)
    state.timeline?.step = steps[i]
    state.timeline?.position = Double(i)
    state.timeline?.playing = false
  }

  /// Moves `by` frames from the one shown.
  static func stepFrame(_ by: Int, _ state: inout ExplorerState) {
    guard let cursor = state.timeline, let i = state.recorded.index(atOrBefore: cursor.step)
    else { return }
    moveFrame(to: i + by, &state)
  }

  /// Jumps to the frame showing the focused instance's next (`forward`) or previous event;
  /// the toast names every event first shown there.
  static func jumpToEvent(forward: Bool, _ state: inout ExplorerState) {
    let rec = state.recorded
    guard let cursor = state.timeline, let i = rec.index(atOrBefore: cursor.step) else { return }
    let events = rec.events(of: state.instance)
    let target =
      forward ? events.first { rec.landing($0) > i } : events.last { rec.landing($0) < i }
    guard let target else {
      toast("no \(forward ? "later" : "earlier") event for #\(state.instance)", .info, &state)
      return
    }
    let j = rec.landing(target)
    moveFrame(to: j, &state)
    let here = events.filter { rec.landing($0) == j }.map(\.text)
    toast(here.joined(separator: "; "), .info, seconds: 4, &state)
  }

  /// The replay pace one notch faster (`faster`) or slower.
  static func adjustPace(faster: Bool, _ state: inout ExplorerState) {
    guard let pace = state.timeline?.pace else { return }
    let paces = TimelineCursor.paces
    let next =
      faster
      ? paces.last { $0 < pace } ?? paces[0] : paces.first { $0 > pace } ?? paces[paces.count - 1]
    state.timeline?.pace = next
    toast("replay: the whole run in \(Format.number(next)) s", .info, seconds: 2, &state)
  }

  /// Time passes for the timeline: the summary follows the recording, a cursor whose
  /// recording restarted or vanished returns to live, and a playing replay advances by
  /// `elapsed` (stopping at the end, or at an event of the focused instance if asked).
  static func timelineTick(
    _ history: RunHistory?, elapsed: Duration, _ state: inout ExplorerState
  ) {
    if state.recorded.isStale(for: history) {
      let restarted =
        (history?.frames.last?.step ?? -1) < (state.recorded.steps.last ?? -1)
        || state.recorded.isRecording && history == nil
      state.recorded = RecordedSummary(history)
      if restarted && state.timeline != nil {
        leaveHistory(&state)
        toast("the run restarted: back to live", .info, seconds: 2, &state)
        return
      }
    }
    guard var cursor = state.timeline else { return }
    let steps = state.recorded.steps
    guard !steps.isEmpty else {
      goLive(&state)
      return
    }
    guard cursor.playing else {
      if cursor.step < steps[0] { cursor.step = steps[0] }
      state.timeline = cursor
      return
    }
    let last = Double(steps.count - 1)
    let before = state.recorded.index(atOrBefore: cursor.step) ?? 0
    // The position is a frame index: thinning renumbers the frames, so it restarts from the
    // frame shown whenever it no longer points at it.
    if Int(cursor.position) != before { cursor.position = Double(before) }
    cursor.position = min(
      last,
      cursor.position + min(0.25, elapsed.secondsValue) * last / cursor.pace)
    var i = Int(cursor.position)
    let rec = state.recorded
    if cursor.pauseAtEvents,
      let event = rec.events(of: state.instance).first(where: {
        rec.landing($0) > before && rec.landing($0) <= i
      })
    {
      let j = rec.landing(event)
      i = j
      cursor.position = Double(j)
      cursor.playing = false
      toast(event.text, .info, seconds: 4, &state)
    } else if cursor.position >= last {
      cursor.playing = false
      toast("end of the recording: t returns to live", .info, seconds: 3, &state)
    }
    cursor.step = steps[i]
    state.timeline = cursor
  }
}
