import Foundation
import Testing
import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles

/// The live trainer's control semantics, exercised through its public commands.
@Suite struct TrainerTests {
  func makeTrainer(paused: Bool = true, _ edit: (inout RunConfig) -> Void = { _ in }) throws
    -> Trainer
  {
    var c = RunConfig.intro()
    edit(&c)
    let t = Trainer(run: try Run(config: c, threads: 2), paused: paused)
    t.start()
    return t
  }

  @Test func pauseStepAndResume() throws {
    let t = try makeTrainer()
    defer { t.shutdown() }
    let paused = try #require(t.waitUntilApplied())
    #expect(paused.status == .paused)
    let s0 = paused.step
    // Two more rounds of the training loop (a command applied, a snapshot published): still
    // no step.
    for _ in 0..<2 {
      t.setThrottle(stepsPerSecond: nil)
      #expect(try #require(t.waitUntilApplied()).step == s0, "a paused trainer must not step")
    }
    t.step()
    let one = try #require(t.waitUntilApplied())
    #expect(one.step == s0 + 1)
    #expect(one.status == .paused)
    t.step(5)
    #expect(try #require(t.waitUntilApplied()).step == s0 + 6)
    t.resume()
    #expect(try #require(t.waitUntilApplied()).status == .running)
    #expect(eventually { t.snapshot.step > s0 + 100 }, "resumed trainer should be training")
    t.pause()
    let stopped = try #require(t.waitUntilApplied()).step
    for _ in 0..<2 {
      t.setThrottle(stepsPerSecond: nil)
      #expect(try #require(t.waitUntilApplied()).step == stopped)
    }
  }

  /// Reset with the same seed returns to the initial weights and replays the run.
  @Test func resetReplays() throws {
    let t = try makeTrainer()
    defer { t.shutdown() }
    let initial = try #require(t.waitUntilApplied()).instances[2].parameters
    t.step(40)
    let after40 = try #require(t.waitUntilApplied())
    #expect(after40.instances[2].parameters != initial)
    t.reset()
    let reset = try #require(t.waitUntilApplied())
    #expect(reset.step == 0)
    #expect(reset.instances[2].parameters == initial)
    t.step(40)
    #expect(
      try #require(t.waitUntilApplied()).instances[2].parameters == after40.instances[2].parameters)
    t.reset(seed: 99)
    #expect(try #require(t.waitUntilApplied()).instances[2].parameters != initial)
  }

  /// A sparsity edit acts on the current weights (no re-initialisation, step continues);
  /// a change of n re-initialises with the new shape.
  @Test func liveEditsAndReinitialisation() throws {
    let t = try makeTrainer()
    defer { t.shutdown() }
    t.step(10)
    let before = try #require(t.waitUntilApplied())
    t.update { $0.setUniformProbability(0.02) }
    t.step(1)
    let after = try #require(t.waitUntilApplied())
    #expect(after.step == before.step + 1)
    #expect(after.config.featureProbability[0][0] == 0.02)
    t.update { $0.features = 7 }
    let reshaped = try #require(t.waitUntilApplied())
    #expect(reshaped.step == 0)
    #expect(reshaped.instances[0].parameters.W.count == 7)
    #expect(reshaped.config.importance[0].count == 7)
    t.update { $0.training.learningRate = -1 }
    let rejected = try #require(t.waitUntilApplied())
    #expect(rejected.notice?.contains("lr") == true)
    #expect(rejected.config.training.learningRate == 1e-3)
  }

  /// A reader that holds snapshots for a long time does not slow training: the trainer only
  /// swaps a reference when it publishes.
  @Test func slowReaderNeverBlocksTheTrainer() throws {
    let t = try makeTrainer(paused: false)
    defer { t.shutdown() }
    let held = t.snapshot
    #expect(
      eventually { t.snapshot.step > held.step + 500 },
      "the trainer stalled while a reader held a snapshot")
    #expect(t.snapshot.version > held.version)
  }

  /// lr = 1e6 diverges; the trainer pauses with the reason and the rolled-back weights, and
  /// after the user lowers the lr it continues from them, at a believable speed.
  @Test func divergenceIsReportedAndRecoverable() throws {
    let t = try makeTrainer(paused: false) { $0.training.learningRate = 1e6 }
    defer { t.shutdown() }
    var snap = t.snapshot
    _ = eventually {
      snap = t.snapshot
      if case .diverged = snap.status { return true }
      return false
    }
    guard case .diverged(_, let reason) = snap.status else {
      Issue.record("expected divergence, got \(snap.status)")
      return
    }
    #expect(reason.contains("rolled back"), "\(reason)")
    #expect(snap.instances.allSatisfy { $0.parameters.isFinite })
    #expect(snap.instances.allSatisfy { $0.metrics.norms.allSatisfy { $0 < 10 } })
    // The step counter stopped with training.
    t.setThrottle(stepsPerSecond: nil)
    #expect(try #require(t.waitUntilApplied()).step == snap.step)
    t.update { $0.training.learningRate = 1e-3 }
    t.resume()
    #expect(try #require(t.waitUntilApplied()).status == .running)
    #expect(eventually { t.snapshot.step > snap.step + 50 })
    let resumed = t.snapshot
    #expect(resumed.instances.allSatisfy { $0.parameters.isFinite })
    #expect(resumed.stepsPerSecond < 1e6, "speed \(resumed.stepsPerSecond)")
  }

  /// The throttle caps the step rate.
  @Test func throttleLimitsSpeed() throws {
    let t = try makeTrainer(paused: false)
    defer { t.shutdown() }
    t.setThrottle(stepsPerSecond: 200)
    let clock = ContinuousClock()
    let s0 = try #require(t.waitUntilApplied()).step
    let start = clock.now
    // However slow the machine, a throttled trainer never goes faster than its limit.
    #expect(eventually { t.snapshot.step >= s0 + 60 })
    let seconds = (clock.now - start).secondsValue
    let advanced = t.snapshot.step - s0
    #expect(
      Double(advanced) <= 200 * seconds * 1.2 + 20,
      "throttled to 200/s, advanced \(advanced) in \(seconds) s")
    let shown = t.snapshot.stepsPerSecond
    #expect(shown <= 260 && shown > 0, "shows \(shown) steps/s while throttled to 200/s")
  }
}
