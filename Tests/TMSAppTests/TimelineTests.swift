import Foundation
import TMSApp
import TMSCore
import TMSFiles
import TMSRender
import Testing

/// The timeline: entering and leaving the history, moving by frame and by event, replaying
/// at a pace, stopping at events, and drawing a recorded frame while the live run goes on.
@Suite struct TimelineTests {
  /// Fixed weights with a history: the intro, seed 4, 2,500 steps recorded under a 1 MB
  /// budget, saved once (`tms train --preset intro --seed 4 --steps 2500 --record
  /// --history-budget 1 --save`). Instance 9 becomes a pentagon at step 879.
  static let saved: Snapshot = {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/intro-history-2500.json").path
    return try! SnapshotStore.load(path)
  }()

  static var history: RunHistory { saved.history! }

  /// A state that has seen one tick of the saved run, focused on instance 9.
  static func state(_ clock: ContinuousClock.Instant) -> ExplorerState {
    var s = ExplorerState(config: saved.config)
    s.instance = 9
    _ = ExplorerUpdate.update(
      &s, .tick(now: clock, snapshot: saved.trainingSnapshot(), framesPerSecond: 30))
    return s
  }

  static func key(_ k: Key, _ s: inout ExplorerState) -> [ExplorerCommand] {
    ExplorerUpdate.update(&s, .input(.key(k)))
  }

  @Test func framesAndEventsMoveTheCursor() throws {
    let now = ContinuousClock.now
    var s = Self.state(now)
    let steps = Self.history.frames.map(\.step)
    #expect(s.recorded.steps == steps)
    _ = Self.key(.char("t"), &s)
    #expect(s.timeline?.step == steps.last && s.focus == .timeline)
    _ = Self.key(.left, &s)
    #expect(s.timeline?.step == steps[steps.count - 2])
    _ = Self.key(.home, &s)
    #expect(s.timeline?.step == 0, "the random start")
    _ = Self.key(.right, &s)
    #expect(s.timeline?.step == steps[1])
    // Each event of #9 shows first in the first frame at or after its step (its own frame,
    // unless thinned away).
    let mine = Self.history.eventsByStep.filter { $0.instance == 9 }
    var expected: [Int] = []
    for e in mine {
      let at = steps.first { $0 >= e.step } ?? steps[steps.count - 1]
      if at != expected.last && at > steps[1] { expected.append(at) }
    }
    var visited: [Int] = []
    for _ in expected {
      _ = Self.key(.char("]"), &s)
      visited.append(try #require(s.timeline?.step))
    }
    #expect(visited == expected, "] visits each event of #9 in turn")
    let pentagon = try #require(mine.first { $0.change.hasSuffix("→ 5 features in a pentagon") })
    #expect(pentagon.text.hasPrefix("#9 step 879: "))
    let pentagonFrame = try #require(steps.first { $0 >= 879 })
    for _ in expected where s.timeline?.step != pentagonFrame { _ = Self.key(.up, &s) }
    #expect(s.timeline?.step == pentagonFrame)
    #expect(s.toast?.text.contains(pentagon.text) == true)
    _ = Self.key(.end, &s)
    #expect(s.timeline?.step == steps.last)
    _ = Self.key(.char("]"), &s)
    #expect(s.toast?.text == "no later event for #9")
    _ = Self.key(.escape, &s)
    #expect(s.timeline == nil && s.focus == .control(.probability))
  }

  @Test func replayPlaysAtItsPaceAndStopsAtEventsWhenAsked() throws {
    let t0 = ContinuousClock.now
    var s = Self.state(t0)
    let steps = Self.history.frames.map(\.step)
    _ = Self.key(.char("T"), &s)
    #expect(s.timeline?.playing == true && s.timeline?.step == 0)
    // The whole recording in 10 s: 0.2 s moves a fiftieth of the frames.
    let live = Self.saved.trainingSnapshot()
    _ = ExplorerUpdate.update(
      &s, .tick(now: t0 + .milliseconds(200), snapshot: live, framesPerSecond: 30))
    let expected = Int(0.2 * Double(steps.count - 1) / 10)
    #expect(s.timeline?.step == steps[expected])
    // Faster: 5 s for the whole run.
    _ = Self.key(.char("+"), &s)
    #expect(s.timeline?.pace == 5)
    // Stop at #9's next event.
    _ = Self.key(.char("a"), &s)
    let from = try #require(s.timeline?.step)
    let next = try #require(Self.history.eventsByStep.first { $0.instance == 9 && $0.step > from })
    var t = t0 + .milliseconds(200)
    for _ in 0..<400 where s.timeline?.playing == true {
      t += .milliseconds(33)
      _ = ExplorerUpdate.update(&s, .tick(now: t, snapshot: live, framesPerSecond: 30))
    }
    #expect(s.timeline?.step == steps.first { $0 >= next.step })
    #expect(s.toast?.text == next.text)
    // To the end: the replay stops there and says so.
    _ = Self.key(.char("a"), &s)
    _ = Self.key(.char("P"), &s)
    for _ in 0..<400 where s.timeline?.playing == true {
      t += .milliseconds(33)
      _ = ExplorerUpdate.update(&s, .tick(now: t, snapshot: live, framesPerSecond: 30))
    }
    #expect(s.timeline?.step == steps.last && s.timeline?.playing == false)
    #expect(s.toast?.text.hasPrefix("end of the recording") == true)
  }

  @Test func withoutARecordingTheKeysSaySo() {
    var s = ExplorerState(config: Self.saved.config)
    let plain = Snapshot(
      config: Self.saved.config, step: Self.saved.step, instances: Self.saved.instances,
      lossHistory: Self.saved.lossHistory, created: "")
    _ = ExplorerUpdate.update(
      &s, .tick(now: .now, snapshot: plain.trainingSnapshot(), framesPerSecond: 30))
    _ = Self.key(.char("t"), &s)
    #expect(s.timeline == nil)
    #expect(s.toast?.text.contains("--no-history") == true)
    #expect(Self.key(.char("S"), &s) == [.save(history: true)])
  }

  /// The live snapshot of the saved run with `history` in place of its own.
  static func live(with history: RunHistory?) -> TrainingSnapshot {
    var snap = saved
    snap.history = history
    return snap.trainingSnapshot()
  }

  /// Thinning renumbers the frames under a playing replay: it goes on from the frame it
  /// showed instead of leaping ahead by the old frame index.
  @Test func aReplayKeepsItsPlaceWhenTheFramesThin() throws {
    let t0 = ContinuousClock.now
    var s = Self.state(t0)
    let h = Self.history
    _ = Self.key(.char("T"), &s)
    var t = t0
    for _ in 0..<300 where (s.timeline?.step ?? 0) < 600 {
      t += .milliseconds(33)
      _ = ExplorerUpdate.update(
        &s, .tick(now: t, snapshot: Self.live(with: h), framesPerSecond: 30))
    }
    let at = try #require(s.timeline?.step)
    #expect(at >= 600 && s.timeline?.playing == true)
    let half = h.frames.enumerated().filter {
      $0.offset % 2 == 0 || $0.offset == h.frames.count - 1
    }
    .map(\.element)
    let thinned = RunHistory(
      budget: h.budget, spacing: h.spacing * 2, thinned: h.thinned + h.frames.count - half.count,
      frames: half, events: h.events)
    t += .milliseconds(33)
    _ = ExplorerUpdate.update(
      &s, .tick(now: t, snapshot: Self.live(with: thinned), framesPerSecond: 30))
    let after = try #require(s.timeline?.step)
    let next = try #require(half.map(\.step).first { $0 > at })
    #expect(after >= half.map(\.step).last { $0 <= at }! && after <= next, "from \(at) to \(after)")
    #expect(s.timeline?.playing == true)
  }

  /// A run that restarts (r, a preset, a slider that resets) under the cursor sends the
  /// explorer back to live: the old frames are gone.
  @Test func aRestartedRecordingReturnsToLive() throws {
    var s = Self.state(.now)
    _ = Self.key(.char("t"), &s)
    _ = Self.key(.home, &s)
    #expect(s.timeline?.step == 0)
    let h = Self.history
    let fresh = RunHistory(
      budget: h.budget, spacing: RunHistory.initialSpacing, thinned: 0,
      frames: Array(h.frames.prefix(3)), events: [])
    _ = ExplorerUpdate.update(
      &s, .tick(now: .now, snapshot: Self.live(with: fresh), framesPerSecond: 30))
    #expect(s.timeline == nil && s.focus != .timeline)
    #expect(s.recorded.steps == [0, 1, 2])
    #expect(s.toast?.text == "the run restarted: back to live")
  }

  @Test func loadingAPresetLeavesTheHistory() throws {
    var s = Self.state(.now)
    _ = Self.key(.char("t"), &s)
    #expect(s.timeline != nil)
    let preset = try #require(
      PresetLibrary(views: ExplorerView.names).all().presets.first { $0.config.name == "intro" })
    _ = ExplorerUpdate.update(&s, .load(preset))
    #expect(s.timeline == nil && s.focus != .timeline)
  }

  /// The first frame is the random start: the same weights a fresh run of the seed has.
  @Test func theFirstFrameIsTheRandomStart() throws {
    let fresh = try Run(config: Self.saved.config, threads: 1)
    let first = try #require(Self.history.frames.first)
    #expect(first.step == 0)
    #expect(first.parameters == (0..<fresh.config.instances).map { fresh.parameters(instance: $0) })
  }

  /// A recorded frame is drawn while the live run goes on: the marker, the frame's label,
  /// the live step counting, and the events list naming the pentagon's step.
  @Test func aFrameIsDrawnWhileTheRunTrainsOn() throws {
    let run = try Run(config: Self.saved.config, threads: 2)
    let trainer = SteppedTrainer(run: run, paused: false, recording: RunHistory())
    let e = Explorer.forTests(trainer)
    trainer.advance(steps: 1_200)
    e.tick(snapshot: trainer.snapshot, framesPerSecond: 30)
    e.handle(.key(.char("n")))
    for _ in 0..<9 { e.handle(.key(.char("n"))) }
    #expect(e.state.instance == 9)
    e.handle(.key(.char("4")))
    e.handle(.key(.char("t")))
    e.handle(.key(.home))
    var text = e.render(trainer.snapshot, width: 120, height: 40, depth: .xterm256).text
    #expect(text.contains("history @ step 0"))
    #expect(text.contains("live step 1,200"))
    trainer.advance(steps: 300)
    e.tick(snapshot: trainer.snapshot, framesPerSecond: 30)
    text = e.render(trainer.snapshot, width: 120, height: 40, depth: .xterm256).text
    #expect(text.contains("history @ step 0"), "the frame stays while training goes on")
    #expect(text.contains("live step 1,500"))
    let pentagon = try #require(
      trainer.snapshot.history?.eventsByStep.first {
        $0.instance == 9 && $0.change.hasSuffix("→ 5 features in a pentagon")
      })
    let before = try #require(pentagon.change.components(separatedBy: " → ").first)
    #expect(
      text.contains("step \(pentagon.step.grouped): \(before)"),
      "the events list names the pentagon's step")
    #expect(text.contains("  5 features in a pentagon"))
    for _ in 0..<100 where e.state.timeline?.step != pentagon.step { e.handle(.key(.char("]"))) }
    #expect(e.state.timeline?.step == pentagon.step, "an unthinned event has its own frame")
    text = e.render(trainer.snapshot, width: 120, height: 40, depth: .xterm256).text
    #expect(text.contains("history @ step \(pentagon.step.grouped)"))
    #expect(text.contains("5 features in a pentagon"))
    e.handle(.key(.char("t")))
    text = e.render(trainer.snapshot, width: 120, height: 40, depth: .xterm256).text
    #expect(!text.contains("history @"))
  }

  /// The loss view at the pentagon's frame, from the saved fixture (fixed weights).
  @Test func lossViewInTheHistoryAt120x40() throws {
    let e = Explorer.forTests(SteppedTrainer(run: try Run(snapshot: Self.saved, threads: 1)))
    let live = Self.saved.trainingSnapshot()
    e.tick(snapshot: live, framesPerSecond: 30)
    for _ in 0..<9 { e.handle(.key(.char("n"))) }
    e.handle(.key(.char("4")))
    e.handle(.key(.char("t")))
    e.handle(.key(.home))
    let frame = try #require(Self.history.frames.map(\.step).first { $0 >= 879 })
    for _ in 0..<100 where e.state.timeline?.step != frame { e.handle(.key(.char("]"))) }
    #expect(e.state.timeline?.step == frame)
    let buf = e.render(live, width: 120, height: 40, depth: .xterm256)
    expectGolden(buf.text, named: "view-loss-history-120x40")
    e.handle(.key(.char("1")))
    expectGolden(
      e.render(live, width: 100, height: 30, depth: .xterm256).text,
      named: "overview-history-100x30")
  }
}

/// The status line's step grouping (`1,556`), as the tests expect to read it.
enum StatusPanelSteps {
  static func grouped(_ n: Int) -> String {
    HistoryEvent(step: n, instance: 0, kind: .geometry(from: "", to: "")).text
      .dropFirst(8).split(separator: ":")[0].description
  }
}
