import Foundation
import Testing
import TMSCore

/// Best of several seeds, headless: the search trains exactly the models each seed gives
/// alone, picks the lowest held-out loss and hands over the winner's whole training state.
@Suite struct BestOfSeedsTests {
  /// Three instances from dense to sparse (p = 1 … 0.05), 5 features in 2 dimensions: small
  /// enough for debug builds, sparse enough at instance 2 that seeds end in different minima.
  static func config(seed: UInt64 = 0) -> RunConfig {
    var c = RunConfig(name: "seeds", features: 5, hidden: 2, instances: 3)
    c.setImportanceDecay(0.9)
    c.setProbabilitySweep(from: 1, to: 0.05)
    c.training.learningRate = 0.01
    c.training.seed = seed
    return c
  }

  static let steps = 150
  static let samples = 4096

  /// The run seeded `seed` after `steps` steps: what each seed gives alone.
  static func alone(seed: UInt64, steps: Int) throws -> Run {
    let run = try Run(config: config(seed: seed))
    run.train(steps: steps)
    return run
  }

  /// Every trial is the model its seed gives alone, measured on the searched instance's own
  /// held-out samples; the best is their minimum; the run's own seed replays the run.
  @Test func bestIsTheMinimumOverSeedsTrainedAlone() throws {
    let run = try Run(config: Self.config(seed: 3))
    run.train(steps: Self.steps)
    // The run's own seed first, the best (seed 7) neither first nor last.
    let seeds: [UInt64] = [3, 7, 11, 12, 40]
    let result = try run.bestOfSeeds(
      instances: [2], seeds: seeds, steps: Self.steps, threads: 1, evalSamples: Self.samples)[0]
    let ownLoss = run.evaluateWithError(samples: Self.samples)[2]
    var aloneLosses: [Double] = []
    var aloneWeights: [Parameters] = []
    let judge = try Run(config: Self.config(seed: 3))
    for s in seeds {
      let w = try Self.alone(seed: s, steps: Self.steps).parameters(instance: 2)
      judge.setParameters(w, instance: 2)
      aloneLosses.append(judge.evaluateWithError(samples: Self.samples)[2].mean)
      aloneWeights.append(w)
    }
    #expect(result.trials.map(\.seed) == seeds)
    #expect(result.trials.map(\.loss) == aloneLosses)
    let argmin = try #require(aloneLosses.indices.min { aloneLosses[$0] < aloneLosses[$1] })
    #expect(result.bestIndex == argmin && result.seed == seeds[argmin])
    #expect(result.parameters == aloneWeights[argmin])
    #expect(
      result.lossBefore == ownLoss.mean && result.standardErrorBefore == ownLoss.standardError)
    #expect(result.trials[0].loss == ownLoss.mean, "the run's own seed replays the run")
    #expect(Set(aloneLosses).count > 1, "the seeds should not all agree")
    #expect(result.steps == Self.steps && result.instance == 2)
    #expect(run.parameters(instance: 2) == aloneWeights[0], "the search leaves the run alone")
  }

  /// The same trials, the same winner and the same weights on one thread or three, and for
  /// an instance searched alone or packed with others.
  @Test func independentOfThreadCountAndPacking() throws {
    let run = try Run(config: Self.config(), threads: 3)
    let seeds = run.consecutiveSeeds(4)
    #expect(seeds == [0, 1, 2, 3])
    let one = try run.bestOfSeeds(
      instances: [1, 2], seeds: seeds, steps: 80, threads: 1, evalSamples: 2048)
    let three = try run.bestOfSeeds(
      instances: [1, 2], seeds: seeds, steps: 80, threads: 3, evalSamples: 2048)
    let own = try run.bestOfSeeds(instance: 2, seeds: 4, steps: 80, evalSamples: 2048)
    #expect(one.map(\.trials) == three.map(\.trials))
    #expect(one.map(\.parameters) == three.map(\.parameters))
    #expect(one[1].trials == own.trials && one[1].parameters == own.parameters)
    #expect(one[0].instance == 1 && one[1].instance == 2)
  }

  /// The adopted instance trains on exactly as its seed's model would have alone (weights,
  /// AdamW state and data stream all handed over); the other instances are untouched.
  @Test func adoptedInstanceContinuesAsItsSeedAlone() throws {
    let run = try Run(config: Self.config())
    run.train(steps: 60)
    let result = try run.bestOfSeeds(
      instances: [2], seeds: [5, 6, 7], steps: 60, evalSamples: 2048)[0]
    let others = [run.parameters(instance: 0), run.parameters(instance: 1)]
    try run.adopt(result)
    #expect(run.parameters(instance: 2) == result.parameters)
    run.train(steps: 25)
    let twin = try Self.alone(seed: result.seed, steps: 85)
    #expect(run.parameters(instance: 2) == twin.parameters(instance: 2))
    let untouched = try Self.alone(seed: 0, steps: 85)
    #expect(run.parameters(instance: 0) == untouched.parameters(instance: 0))
    #expect(run.parameters(instance: 1) == untouched.parameters(instance: 1))
    #expect(others[0] != run.parameters(instance: 0), "the run kept training")
  }

  /// Out-of-range requests are refused with the field named; an outcome of another shape is
  /// not adopted.
  @Test func badRequestsAreRefused() throws {
    let run = try Run(config: Self.config())
    func field(_ body: () throws -> Void) -> String? {
      do {
        try body()
        return nil
      } catch { return (error as? ConfigError)?.field ?? "\(error)" }
    }
    #expect(field { _ = try run.bestOfSeeds(instances: [3], seeds: [1], steps: 5) } == "instance")
    #expect(field { _ = try run.bestOfSeeds(instances: [], seeds: [1], steps: 5) } == "instance")
    #expect(field { _ = try run.bestOfSeeds(instances: [0], seeds: [], steps: 5) } == "seeds")
    #expect(field { _ = try run.bestOfSeeds(instances: [0], seeds: [1], steps: 0) } == "steps")
    #expect(
      field { _ = try run.bestOfSeeds(instance: 0, seeds: 2_000, steps: 5) } == "seeds")
    var wider = Self.config()
    wider.features = 6
    wider.conformShapes()
    let other = try Run(config: wider)
    let foreign = try other.bestOfSeeds(instance: 0, seeds: 2, steps: 3, evalSamples: 64)
    let before = run.parameters(instance: 0)
    #expect(field { try run.adopt(foreign) } == "instance")
    #expect(run.parameters(instance: 0) == before)
  }
}

/// Best of seeds in the live trainer, in chunks on its thread that a cancel, a reset or a
/// shutdown interrupt at once (named to run under the thread sanitizer with TrainerTests).
@Suite struct SeedSearchTrainerTests {
  static let steps = BestOfSeedsTests.steps
  static func config() -> RunConfig { BestOfSeedsTests.config() }

  /// The live trainer: the search it runs ends as the headless one does, and the instance
  /// holds the winner when it beats the run's own weights.
  @Test func liveTrainerAdoptsTheHeadlessWinner() throws {
    let reference = try Run(config: Self.config())
    reference.train(steps: Self.steps)
    let expected = try reference.bestOfSeeds(
      instance: 2, seeds: 4, steps: Self.steps, evalSamples: LiveSeedSearch.evalSamples)
    let t = Trainer(run: try Run(config: Self.config(), threads: 2), paused: true)
    t.start()
    defer { t.shutdown() }
    t.step(Self.steps)
    #expect(try #require(t.waitUntilApplied()).step == Self.steps)
    t.bestOfSeeds(instance: 2, seeds: 4)
    #expect(eventually { t.snapshot.seedSearch?.outcome != nil })
    let snap = try #require(t.waitUntilApplied())
    let status = try #require(snap.seedSearch)
    #expect(status.id == 1 && status.steps == Self.steps && status.completedSteps == Self.steps)
    if expected.improves {
      #expect(
        status.outcome
          == .adopted(seed: expected.seed, loss: expected.loss, before: expected.lossBefore))
      #expect(snap.instances[2].parameters == expected.parameters)
    } else {
      #expect(
        status.outcome
          == .kept(bestSeed: expected.seed, bestLoss: expected.loss, loss: expected.lossBefore))
      #expect(snap.instances[2].parameters == reference.parameters(instance: 2))
    }
    #expect(snap.step == Self.steps, "the run held while the seeds trained")
  }

  /// A long search publishes its progress; cancel stops it with the weights unchanged, a
  /// reset stops the next one, and shutdown does not wait for one to finish.
  @Test func liveSearchIsCancellable() throws {
    var c = Self.config()
    c.training.steps = 1_000_000
    let t = Trainer(run: try Run(config: c, threads: 2), paused: true)
    t.start()
    let initial = try #require(t.waitUntilApplied()).instances[2].parameters
    t.bestOfSeeds(instance: 2, seeds: 8)
    #expect(eventually { (t.snapshot.seedSearch?.completedSteps ?? 0) > 0 })
    #expect(t.snapshot.seedSearch?.outcome == nil && t.snapshot.seedSearch?.steps == 1_000_000)
    t.cancelSeedSearch()
    let cancelled = try #require(t.waitUntilApplied())
    #expect(cancelled.seedSearch?.outcome == .cancelled("cancelled"))
    #expect(cancelled.instances[2].parameters == initial)
    t.bestOfSeeds(instance: 2, seeds: 8)
    #expect(eventually { t.snapshot.seedSearch?.id == 2 })
    t.reset()
    let reset = try #require(t.waitUntilApplied())
    #expect(reset.seedSearch?.outcome == .cancelled("the run was re-initialised"))
    t.bestOfSeeds(instance: 2, seeds: 8)
    #expect(eventually { t.snapshot.seedSearch?.id == 3 })
    let clock = ContinuousClock()
    let start = clock.now
    t.shutdown()
    #expect(clock.now - start < .seconds(2), "shutdown waits for one chunk, not the search")
  }

  /// A search that cannot start says why at once.
  @Test func liveSearchWithNothingTrainedFails() throws {
    var c = Self.config()
    c.training.steps = 0
    let t = Trainer(run: try Run(config: c), paused: true)
    t.start()
    defer { t.shutdown() }
    t.bestOfSeeds(instance: 0, seeds: 3)
    let snap = try #require(t.waitUntilApplied())
    guard case .failed(let reason)? = snap.seedSearch?.outcome else {
      Issue.record("expected a failure, got \(String(describing: snap.seedSearch))")
      return
    }
    #expect(reason.contains("no steps taken"))
  }
}
