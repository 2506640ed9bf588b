import TMSApp
import TMSCore
import TMSRender
import Testing

/// The `b` key: the update asks for a best-of-seeds search of the focused instance, the
/// "best of" slider sets k, ticks follow the trainer's progress and show the outcome once.
@Suite struct SeedSearchTests {
  func key(_ k: Key, _ s: inout ExplorerState) -> [ExplorerCommand] {
    ExplorerUpdate.update(&s, .input(.key(k)))
  }

  /// A snapshot of the intro run carrying `search`.
  func snapshot(_ search: SeedSearchStatus?) throws -> TrainingSnapshot {
    let snap = TrainingSnapshot.capture(try Run(config: .intro()), evalSamples: 0)
    return TrainingSnapshot(
      version: 2, config: snap.config, step: 10_000, stepsPerSecond: 0, threads: 1,
      status: .running, notice: nil, instances: snap.instances, lossHistory: LossHistory(),
      appliedCommands: 1, throttle: nil, seedSearch: search)
  }

  @Test func bAsksForTheFocusedInstanceAndAgainCancels() {
    var s = ExplorerState(config: .intro())
    _ = key(.char("n"), &s)
    _ = key(.char("n"), &s)
    #expect(key(.char("b"), &s) == [.bestOfSeeds(instance: 2, seeds: 8)])
    #expect(s.seedSearchPending)
    #expect(s.toast?.text.hasPrefix("best of 8 seeds for #2") == true)
    #expect(key(.char("b"), &s) == [.cancelSeedSearch])
  }

  /// k is a slider like the others: +/- and [ ] move it within 2…64, it sends nothing to the
  /// trainer, and the next `b` uses it.
  @Test func bestOfSliderSetsK() {
    var s = ExplorerState(config: .intro())
    s.focus = .control(.bestOf)
    #expect(key(.char("+"), &s) == [] && s.bestOf == 9)
    #expect(key(.char("["), &s) == [] && s.bestOf == 2, "coarse steps stop at 2")
    for _ in 0..<8 { _ = key(.char("]"), &s) }
    #expect(s.bestOf == 64, "and at 64")
    #expect(key(.char("-"), &s) == [] && s.bestOf == 63)
    #expect(key(.char("b"), &s) == [.bestOfSeeds(instance: 0, seeds: 63)])
    #expect(Control.modelControls.contains(.bestOf))
    #expect(Control.bestOf.text(s.value(of: .bestOf)) == "63")
  }

  /// While the search trains, the state holds its progress and the status line shows it; its
  /// outcome is a toast, shown once, and the progress goes.
  @Test func ticksFollowProgressThenShowTheOutcomeOnce() throws {
    var s = ExplorerState(config: .intro())
    _ = key(.char("b"), &s)
    let now = ContinuousClock.now
    let running = SeedSearchStatus(
      id: 1, instance: 9, seeds: 8, steps: 10_000, completedSteps: 4_000)
    _ = ExplorerUpdate.update(
      &s, .tick(now: now, snapshot: try snapshot(running), framesPerSecond: 30))
    #expect(s.seedSearch == running && s.seedSearchPending)
    var done = running
    done.completedSteps = 10_000
    done.outcome = .adopted(seed: 5, loss: 0.00144, before: 0.00234)
    let finished = try snapshot(done)
    _ = ExplorerUpdate.update(&s, .tick(now: now, snapshot: finished, framesPerSecond: 30))
    #expect(s.toast?.text == "best of 8 seeds (#9): seed 5, loss 1.4e-3 (was 2.3e-3)")
    #expect(s.seedSearch == nil && !s.seedSearchPending && s.seedSearchShown == 1)
    s.toast = nil
    _ = ExplorerUpdate.update(&s, .tick(now: now, snapshot: finished, framesPerSecond: 30))
    #expect(s.toast == nil, "an outcome is shown once")
    #expect(key(.char("b"), &s) == [.bestOfSeeds(instance: 0, seeds: 8)], "b starts a new one")

    let e = Explorer(trainer: SteppedTrainer(run: try Run(config: .intro())))
    let progress = try snapshot(running)
    e.tick(snapshot: progress, framesPerSecond: 30)
    let line = e.render(progress, width: 120, height: 40, depth: .xterm256).lines[0]
    #expect(line.contains("best of 8: 40%") && !line.contains("steps/s"))
  }

  /// Each way a search ends reads as one line.
  @Test func outcomesReadAsOneLine() throws {
    var s = ExplorerState(config: .intro())
    let cases: [(SeedSearchOutcome, String, Toast.Kind)] = [
      (
        .kept(bestSeed: 2, bestLoss: 0.0021, loss: 0.002),
        "best of 4 seeds (#1): none beat the current weights (loss 2e-3; best seed 2: 2.1e-3)",
        .info
      ),
      (.failed("no steps taken yet"), "best of 4 seeds (#1): no steps taken yet", .warning),
      (.cancelled("cancelled"), "best of 4 seeds (#1) stopped: cancelled", .info),
    ]
    for (id, (outcome, text, kind)) in cases.enumerated() {
      let status = SeedSearchStatus(
        id: id + 1, instance: 1, seeds: 4, steps: 100, outcome: outcome)
      _ = ExplorerUpdate.update(
        &s, .tick(now: .now, snapshot: try snapshot(status), framesPerSecond: 30))
      #expect(s.toast?.text == text && s.toast?.kind == kind)
    }
  }

  /// End to end on a stepped trainer: `b` on the intro's sparsest instance trains the seeds,
  /// the toast reports them, and the instance's held-out loss is no worse than before.
  @Test func bOnTheIntroKeepsTheBestSeed() throws {
    let t = SteppedTrainer(run: try Run(config: .intro(), threads: 2))
    let e = Explorer.forTests(t)
    t.step(300)
    for _ in 0..<9 { e.handle(.key(.char("n"))) }
    let samples = LiveSeedSearch.evalSamples
    let before = t.run.evaluate(samples: samples)
    e.handle(.key(.char("b")))
    e.tick(snapshot: t.snapshot, framesPerSecond: 30)
    let after = t.run.evaluate(samples: samples)
    let toast = try #require(e.state.toast?.text)
    #expect(toast.hasPrefix("best of 8 seeds (#9): "), "\(toast)")
    #expect(after[9] <= before[9])
    #expect(Array(after[..<9]) == Array(before[..<9]), "only the focused instance changes")
    #expect(t.snapshot.step == 300)
    guard case .adopted(_, let loss, let was)? = t.snapshot.seedSearch?.outcome else {
      #expect(toast.contains("none beat the current weights"))
      #expect(after[9] == before[9])
      return
    }
    #expect(was == before[9] && loss == after[9] && loss < was)
  }

  /// `b` appears in the help overlay and the footer.
  @Test func bIsInTheHelpAndTheFooter() throws {
    let e = Explorer(trainer: SteppedTrainer(run: try Run(config: .intro())))
    let snap = e.trainer.snapshot
    let footer = e.render(snap, width: 120, height: 40, depth: .xterm256).lines[39]
    #expect(footer.contains("b best seed"))
    e.handle(.key(.char("?")))
    #expect(
      e.render(snap, width: 120, height: 60, depth: .xterm256).text.contains("best of k seeds"))
  }
}
