import Foundation
import Testing
import TMSCore
import TMSFiles

/// The recorded history: its log spacing, the memory budget, the events found in it, and
/// the live trainer's recording surviving a snapshot file unchanged.
@Suite struct RunHistoryTests {
  /// One instance of the intro's shape whose label, D_i and norms are set by hand.
  static func instance(
    label: String = "irregular", dimensionality: [Double] = [0, 0, 0, 0, 0],
    norms: [Double] = [0, 0, 0, 0, 0], scale: Float = 1
  ) -> InstanceSnapshot {
    let p = Parameters(
      W: (0..<5).map { i in [scale * Float(i + 1) / 5, -scale / Float(i + 2)] },
      b: [0, 0, 0, 0, 0])
    var m = InstanceMetrics.compute(
      parameters: p, hidden: 2, model: .reluOutput,
      featureProbability: [Double](repeating: 1, count: 5),
      importance: [Double](repeating: 1, count: 5), trainLoss: 0.1, evalLoss: .nan)
    m.geometry.text = label
    m.dimensionality = dimensionality
    m.norms = norms
    return InstanceSnapshot(parameters: p, metrics: m)
  }

  static let config: RunConfig = {
    var c = RunConfig.intro()
    c.instances = 1
    c.conformShapes()
    return c
  }()

  /// Records every due step up to `last`.
  static func fill(_ h: inout RunHistory, to last: Int) {
    var step = 0
    while step <= last {
      if h.isDue(step: step) {
        h.record(step: step, config: config, instances: [instance()])
        step = h.nextStep
      } else {
        step += 1
      }
    }
  }

  @Test func framesAreDenseEarlyAndLogSpaced() {
    var h = RunHistory(budget: Int.max)
    Self.fill(&h, to: 100_000)
    let steps = h.frames.map(\.step)
    #expect(Array(steps.prefix(65)) == Array(0...64), "every step up to 1/g")
    for (a, b) in zip(steps, steps.dropFirst()) {
      #expect(b - a == max(1, Int(Double(a) / 64)), "frame after \(a) at \(b)")
    }
    // About 1/g + ln(g·S)/g = 64 + 64·ln(1562.5) ≈ 535 frames (more, for the rounding down of
    // g·s): logarithmic in S, where one frame per publication would be thousands.
    #expect((500...600).contains(steps.count), "\(steps.count) frames")
    #expect(h.thinned == 0)
  }

  @Test func theBudgetHoldsAndTheStartStays() {
    let frameBytes = Keyframe(
      step: 0, config: Self.config, parameters: [Self.instance().parameters], trainLoss: [0.1],
      labels: ["irregular"]
    ).bytes
    let budget = 60 * frameBytes
    var h = RunHistory(budget: budget)
    Self.fill(&h, to: 100_000)
    #expect(h.bytes <= budget, "\(h.bytes) bytes against a budget of \(budget)")
    #expect(h.frames.count > 20, "thinning must keep most of the budget in use")
    #expect(h.frames.first?.step == 0, "the random start is kept")
    #expect(h.thinned > 0)
    #expect(h.spacing > RunHistory.initialSpacing)
    // Still dense early: gaps grow with the step.
    let steps = h.frames.map(\.step)
    let gaps = zip(steps, steps.dropFirst()).map { $1 - $0 }
    #expect(gaps.first! < gaps.last!, "gaps \(gaps.prefix(3)) … \(gaps.suffix(3))")
    let wide = try! #require(gaps.firstIndex { $0 > 1 })
    #expect(h.frameIndex(atOrBefore: steps[wide] + 1) == wide)
    #expect(h.frameIndex(atOrBefore: steps[wide]) == wide)
    #expect(h.frameIndex(atOrBefore: steps[wide] - 1) == wide - 1)
    #expect(h.frameIndex(atOrBefore: Int.max) == steps.count - 1)
  }

  @Test func aLabelChangeIsAnEventOnceItHolds() {
    var h = RunHistory(budget: Int.max)
    let labels = ["A", "A", "B", "A", "A", "B", "B", "B", "C"]
    for (s, l) in labels.enumerated() {
      h.record(step: s, config: Self.config, instances: [Self.instance(label: l)])
    }
    // The one-frame B at step 2 is a flicker; B from step 5 holds; C at step 8 is not
    // confirmed yet.
    #expect(h.events == [HistoryEvent(step: 5, instance: 0, kind: .geometry(from: "A", to: "B"))])
    #expect(h.events[0].text == "#0 step 5: A → B")
  }

  @Test func dimensionalityJumpsAreGroupedPerInstance() {
    var h = RunHistory(budget: Int.max)
    let kept = [Double](repeating: 1, count: 5)
    let rows: [[Double]] = [
      [0.5, 0.5, 0.5, 1, 0.2], [0.5, 0.5, 0.5, 1, 0.2], [0.4, 0.4, 0.5, 1, 0.3],
      [0.4, 0.4, 0.45, 1, 0.3], [0.4, 0.4, 0.4, 1, 0.3], [0.4, 0.4, 0.4, 1, 0.3],
    ]
    for (s, d) in rows.enumerated() {
      h.record(
        step: 100 * s, config: Self.config,
        instances: [Self.instance(dimensionality: d, norms: kept)])
    }
    // Features 0 and 1 settle at 2/5 from step 200; feature 2 from step 400 (passing
    // through 0.45, no fraction); feature 4 never sits at a fraction.
    #expect(
      h.events == [
        HistoryEvent(
          step: 200, instance: 0, kind: .dimensionality(features: [0, 1], from: 0.5, to: 0.4)),
        HistoryEvent(
          step: 400, instance: 0, kind: .dimensionality(features: [2], from: 0.5, to: 0.4)),
      ])
    #expect(h.events.map(\.change) == ["2 features D 1/2 → 2/5", "feature 2 D 1/2 → 2/5"])
  }

  /// The live trainer records from the random start; a snapshot saved with the history reads
  /// back with the same frames and events, as version 3, while one saved without is unchanged.
  @Test func theLiveRecordingSurvivesTheSnapshotFile() throws {
    let t = Trainer(
      run: try Run(config: RunConfig.intro(), threads: 2), paused: true,
      recording: RunHistory())
    t.start()
    defer { t.shutdown() }
    t.step(1_500)
    let live = try #require(t.waitUntilApplied(timeout: .seconds(60)))
    #expect(live.step == 1_500)
    let recorded = try #require(live.history)
    #expect(recorded.frames.first?.step == 0)
    #expect(Array(recorded.frames.prefix(20).map(\.step)) == Array(0..<20))
    let snap = try #require(t.checkpoint(history: true))
    let saved = try #require(snap.history)
    #expect(saved.frames.count >= recorded.frames.count)
    #expect(Array(saved.frames.prefix(recorded.frames.count)) == recorded.frames)
    #expect(saved.frames.last?.step == snap.step, "the saved history ends on the saved weights")
    let bytes = try snap.encoded()
    let text = String(decoding: bytes.prefix(200), as: UTF8.self)
    #expect(text.contains("\"version\": 3"))
    let back = try Snapshot.decode(bytes, file: "h.json")
    let read = try #require(back.history)
    #expect(read.frames == saved.frames)
    #expect(read.events == saved.events)
    #expect(read.spacing == saved.spacing && read.budget == saved.budget)
    // A frame drawn from the file shows what the live frame showed.
    let a = saved.trainingSnapshot(frame: 7, live: live)
    let b = read.trainingSnapshot(frame: 7, live: live)
    #expect(a.step == 7 && b.step == 7 && a.liveStep == 1_500)
    #expect(a.instances.map(\.parameters) == b.instances.map(\.parameters))
    #expect(a.instances.map(\.metrics.geometry.text) == saved.frames[7].labels)
    let plain = try #require(t.checkpoint())
    #expect(plain.history == nil)
    #expect(
      String(decoding: try plain.encoded().prefix(200), as: UTF8.self).contains("\"version\": 1"))
  }

  @Test func aHistoryThatDoesNotFitTheRunIsRefusedInOneLine() throws {
    let run = try Run(config: Self.config, threads: 1)
    run.advance(steps: 3)
    var h = RunHistory()
    h.record(step: 5, config: Self.config, instances: [Self.instance()])
    var snap = run.snapshot()
    snap.history = h
    #expect(throws: SnapshotError.self) { try snap.encoded() }
    var other = Self.config
    other.features = 6
    other.conformShapes()
    var wrong = RunHistory()
    wrong.record(step: 1, config: other, instances: [Self.instance()])
    snap.history = wrong
    do {
      _ = try snap.encoded()
      Issue.record("a 6-feature frame in a 5-feature run must be refused")
    } catch {
      #expect(error.description.contains("history.frames[0].config"))
      #expect(!error.description.contains("\n"))
    }
  }
}

/// Headless recording takes every due frame, so a seed's history is the same at any
/// thread count, and ends with a frame at the last step.
@Suite struct HistoryRecorderTests {
  @Test func framesDoNotDependOnTheThreadCount() throws {
    var histories: [RunHistory] = []
    for threads in [1, 2] {
      let run = try Run(config: RunConfig.intro(), threads: threads)
      var recorder = HistoryRecorder(history: RunHistory())
      while run.step < 700 {
        recorder.recordIfDue(run)
        run.advance(steps: min(recorder.stepsToNextFrame(from: run.step), 700 - run.step))
      }
      recorder.recordLast(run)
      histories.append(recorder.history)
    }
    #expect(histories[0].frames.last?.step == 700)
    #expect(histories[0].frames.count > 100)
    #expect(histories[0].frames == histories[1].frames)
    #expect(histories[0].events == histories[1].events)
  }

  /// A budget smaller than three frames keeps the first and the latest, never traps, and the
  /// spacing stops at its ceiling; the next step saturates instead of overflowing.
  @Test func aTinyBudgetKeepsTheStartAndTheLatest() throws {
    let run = try Run(config: RunConfig.intro(), threads: 1)
    var h = RunHistory(budget: 1)
    for _ in 0..<200 {
      h.record(
        step: run.step, config: run.config,
        instances: Trainer.instanceSnapshots(run: run, evalLoss: nil))
      run.train(steps: 1)
    }
    #expect(h.frames.map(\.step) == [0, 199])
    #expect(h.spacing <= RunHistory.maxSpacing && h.thinned == 198)
    #expect(h.nextStep > 100_000_000, "no frame due for a long time")
    #expect(RunHistory.next(after: Int.max / 2, spacing: 1e300) == Int.max)
    #expect(RunHistory.next(after: 1_000, spacing: 1.0 / 64) == 1_015)
  }

  /// Another budget keeps the frames, events and spacing, and thins on the next frame.
  @Test func aHistoryMovesToAnotherBudget() throws {
    let run = try Run(config: RunConfig.intro(), threads: 1)
    var h = RunHistory()
    for _ in 0..<100 {
      h.record(
        step: run.step, config: run.config,
        instances: Trainer.instanceSnapshots(run: run, evalLoss: nil))
      run.train(steps: 1)
    }
    var small = h.withBudget(h.bytes / 4)
    #expect(small.frames == h.frames && small.events == h.events && small.spacing == h.spacing)
    small.record(
      step: run.step, config: run.config,
      instances: Trainer.instanceSnapshots(run: run, evalLoss: nil))
    #expect(small.bytes <= h.bytes / 4 && small.frames.first?.step == 0)
    #expect(small.frames.last?.step == run.step && small.spacing > h.spacing)
  }
}
