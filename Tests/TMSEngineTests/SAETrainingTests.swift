import Foundation
import Testing
import TMSCore
import TMSFiles
import TMSKernels

/// Sparse autoencoders trained on the frozen toy model: what they recover on the teaching
/// setup (5 features in 2 dimensions at p = 0.01), dead latents with and without resampling,
/// the stages of a run, live edits, and thread-count independence.
@Suite struct SAETrainingTests {
  /// The teaching setup's model (presets/sae-intro.json: 5→2 × 8 at p = 0.01, 10,000 steps,
  /// seed 0), trained once and shared as a snapshot.
  static let teachingModel: Snapshot = {
    let path = PresetFilesTests.presetsFolder.appendingPathComponent("sae-intro.json").path
    let preset = try! Preset.load(path: path, views: nil)
    let run = try! Run(config: preset.config, threads: 2)
    run.train(steps: preset.config.training.steps)
    return run.snapshot()
  }()

  /// The teaching model with its SAE (edited by `edit`) trained for its 10,000 steps.
  static func trainedSAE(_ edit: (inout SAEConfig) -> Void = { _ in }) throws -> SAESnapshot {
    let run = try Run(snapshot: teachingModel, threads: 2)
    var c = run.config
    var s = try #require(c.sae)
    edit(&s)
    c.sae = s
    try run.apply(c)
    try run.startSAE()
    #expect(run.step == 10_000, "the model is frozen where it stopped")
    run.trainSAE(steps: s.steps)
    #expect(run.saeStep == s.steps)
    #expect(run.divergence == nil)
    return try #require(run.saeSnapshot())
  }

  static func recoveries(_ s: SAESnapshot) -> [Double] { s.instances.map(\.metrics.recovery) }

  static func deadCount(_ s: SAESnapshot) -> Int {
    s.instances.map(\.metrics.deadCount).reduce(0, +)
  }

  /// On the teaching setup (λ = 0.5, 5 latents, unit-norm decoder, resampling) the SAEs find
  /// the model's features: the mean max cosine similarity over the 8 instances is 0.990,
  /// seven are at 1.000 (within 1e-4) and the eighth, whose two features share a latent, at
  /// 0.921; no latent dies, so resampling never fires and turning it off changes nothing.
  @Test func teachingSetupRecoversTheFeatures() throws {
    let with = try Self.trainedSAE()
    let r = Self.recoveries(with)
    let mean = r.reduce(0, +) / Double(r.count)
    #expect(mean >= 0.985, "mean recovery \(mean): \(r)")
    #expect((r.max() ?? 0) >= 0.9999, "best recovery \(r.max() ?? 0)")
    #expect(r.filter { $0 >= 0.9999 }.count >= 7, "\(r)")
    #expect(r.allSatisfy { $0 >= 0.9 }, "\(r)")
    #expect(Self.deadCount(with) == 0)
    #expect(with.instances.allSatisfy { $0.metrics.resamples == 0 })
    // Every model feature is represented (a pentagon), and each found one has its own latent.
    for inst in with.instances where inst.metrics.recovery >= 0.9999 {
      #expect(inst.metrics.represented.allSatisfy { $0 })
      #expect(Set(inst.metrics.featureLatent).count == 5, "\(inst.metrics.featureLatent)")
    }
    let without = try Self.trainedSAE { $0.resample = false }
    #expect(Self.recoveries(without) == r)
    #expect(Self.deadCount(without) == 0)
    // Sparse codes: L0 near the 0.05 features active per input.
    for inst in with.instances { #expect(inst.metrics.l0 > 0.02 && inst.metrics.l0 < 0.08) }
  }

  /// Twice as many latents as features: the spare latents have nothing to learn. Without
  /// resampling 6 of the 80 die; resampling revives them (24 resamplings) and only 1 is dead
  /// at the end, while every feature is found in every instance either way.
  @Test func resamplingRevivesDeadLatents() throws {
    let without = try Self.trainedSAE {
      $0.latents = 10
      $0.resample = false
    }
    let with = try Self.trainedSAE { $0.latents = 10 }
    let deadWithout = Self.deadCount(without)
    let deadWith = Self.deadCount(with)
    #expect(deadWithout >= 5, "dead without resampling: \(deadWithout) of 80")
    #expect(deadWith <= 2, "dead with resampling: \(deadWith) of 80")
    #expect(with.instances.map(\.metrics.resamples).reduce(0, +) > 0)
    #expect(without.instances.allSatisfy { $0.metrics.resamples == 0 })
    #expect(Self.recoveries(with).allSatisfy { $0 >= 0.999 }, "\(Self.recoveries(with))")
  }

  /// λ far too large (10; the largest useful z is about ‖W_i‖ − λ/2 < 0): the latents die.
  /// It takes time — a latent that fires ever more rarely gets ever smaller Adam steps — so
  /// after 3,000 steps none is silent for a whole window yet; after 10,000, without
  /// resampling 37 of the 40 are dead (three still fire now and then); with it all 40 are:
  /// each is resampled again and again (270+ times in all) and, since its firing counts only
  /// from half a window after a resampling, stays counted as dead.
  @Test func hugeLambdaKillsTheLatents() throws {
    let without = try Self.trainedSAE {
      $0.setL1(10)
      $0.resample = false
    }
    #expect(Self.deadCount(without) >= 37, "without resampling: \(Self.deadCount(without)) of 40")
    #expect(without.instances.allSatisfy { $0.metrics.resamples == 0 })
    #expect(without.instances.allSatisfy { $0.metrics.l0 < 1e-3 })
    let with = try Self.trainedSAE { $0.setL1(10) }
    #expect(Self.deadCount(with) == 40, "with resampling: \(Self.deadCount(with)) of 40")
    #expect(with.instances.map(\.metrics.resamples).reduce(0, +) >= 270)
  }

  /// A small SAE run gives the same weights, moments and counters on 1 and 3 threads.
  @Test func threadCountDoesNotChangeTheResult() throws {
    var c = RunConfig(features: 8, hidden: 3, instances: 3, training: TrainingSettings(steps: 50))
    c.setUniformProbability(0.1)
    c.sae = SAEConfig(latents: 6, instances: 5, l1Coefficient: [0.1, 0.3, 0.5, 1, 2])
    c.sae?.deadSteps = 20
    var states: [Snapshot.SAEState] = []
    for threads in [1, 3] {
      let run = try Run(config: c, threads: threads)
      #expect(run.advance(steps: 450) == 450)
      #expect(run.step == 50 && run.saeStep == 400)
      states.append(try #require(run.snapshot().sae))
    }
    SAECompare.expectIdentical(states[0], states[1])
  }

  /// The stages: the model trains its steps, then the SAE; a chunk that spans the switch is
  /// split; the model is frozen while the SAE trains.
  @Test func modelThenSAE() throws {
    var c = RunConfig(features: 5, hidden: 2, instances: 2, training: TrainingSettings(steps: 100))
    c.sae = SAEConfig(latents: 5, instances: 2)
    let run = try Run(config: c)
    #expect(run.saeStartStep == 100)
    #expect(run.advance(steps: 60) == 60)
    #expect(!run.saeStarted && run.step == 60)
    #expect(run.advance(steps: 90) == 90)
    #expect(run.saeStarted && run.step == 100 && run.saeStep == 50)
    let frozen = run.parameters(instance: 1)
    run.advance(steps: 30)
    #expect(run.parameters(instance: 1) == frozen)
    #expect(run.saeStep == 80)
    // Without an SAE, advance trains the model as before.
    let plain = try Run(config: RunConfig(features: 5, hidden: 2))
    #expect(plain.advance(steps: 20) == 20 && plain.step == 20 && !plain.saeStarted)
  }

  /// Live edits: λ, the SAE lr and the batch act at the next SAE step on the same weights;
  /// the latents restart the SAE on the frozen model; removing the SAE drops it; a reset or a
  /// change of the model's shape trains both stages again.
  @Test func liveEdits() throws {
    var c = RunConfig(features: 5, hidden: 2, instances: 2, training: TrainingSettings(steps: 40))
    c.setUniformProbability(0.2)
    c.sae = SAEConfig(latents: 4, instances: 2)
    let run = try Run(config: c, threads: 2)
    run.advance(steps: 100)
    let before = try #require(run.saeSnapshot())
    var edited = run.config
    edited.sae?.l1Coefficient = [0.5, 3]
    edited.sae?.learningRate = 0.01
    #expect(try run.apply(edited) == false)
    let after = try #require(run.saeSnapshot())
    #expect(after.step == 60 && after.instances[1].parameters == before.instances[1].parameters)
    #expect(after.instances[1].metrics.l1Coefficient == 3)
    run.advance(steps: 10)
    #expect(run.saeStep == 70)
    // The model's data follows too: with p = 1 every input is non-zero.
    edited.setUniformProbability(1)
    try run.apply(edited)
    run.advance(steps: 1)
    #expect(run.saeLastBatch(instance: 0).allSatisfy { $0.contains { $0 != 0 } })
    edited.sae?.latents = 7
    try run.apply(edited)
    #expect(run.saeStarted && run.saeStep == 0 && run.step == 40)
    #expect(run.saeSnapshot()?.instances[0].parameters.decoder.count == 7)
    edited.sae = nil
    try run.apply(edited)
    #expect(!run.saeStarted)
    run.reset()
    #expect(run.step == 0 && !run.saeStarted)
  }

  /// The held-out measurements of an SAE that reconstructs h exactly (latents ±e_i, encoder
  /// = decoderᵀ, no biases): E‖h − ĥ‖² = 0, the spliced loss equals the model's own, and L0
  /// counts the non-zero hidden components.
  @Test func heldOutMeasuresTheSplice() throws {
    var c = RunConfig(features: 5, hidden: 2, instances: 1)
    c.setUniformProbability(0.3)
    c.sae = SAEConfig(latents: 4, instances: 1)
    let run = try Run(config: c)
    run.train(steps: 200)
    try run.startSAE()
    let e: [[Float]] = [[1, 0], [-1, 0], [0, 1], [0, -1]]
    run.setSAEParameters(
      SAEParameters(encoder: e, encoderBias: [0, 0, 0, 0], decoder: e, decoderBias: [0, 0]),
      instance: 0)
    let h = try #require(run.evaluateSAE(samples: 4096).first)
    #expect(h.reconstruction < 1e-10)
    #expect(abs(h.splicedLoss - h.modelLoss) <= 1e-7 * h.modelLoss)
    // A sample with an active feature has both hidden components non-zero (W is dense), so
    // L0 = 2 · P(some feature active) = 2 (1 − 0.7⁵) ≈ 1.66, within sampling error.
    #expect(abs(h.l0 - 2 * (1 - pow(0.7, 5))) < 0.05, "L0 \(h.l0)")
    #expect(h.modelLoss > 0 && h.samples == 4096)
  }

  /// An SAE that does not fit in memory is refused before anything is allocated, in one
  /// line naming the SAE's size.
  @Test func oversizedSAEIsRefused() throws {
    var c = RunConfig(features: 5, hidden: 1000, instances: 1)
    c.sae = SAEConfig(latents: 4096, instances: 1000)
    let run = try Run(config: RunConfig(features: 5, hidden: 1000, instances: 1))
    var with = run.config
    with.sae = c.sae
    try run.apply(with)
    #expect(throws: ConfigError.self) { try run.startSAE(memoryBudget: 1 << 30) }
    do {
      try run.startSAE(memoryBudget: 1 << 30)
    } catch {
      #expect(error.field == "memory")
      #expect(error.message.contains("4096 latents × 1000 instances"), "\(error.message)")
    }
    #expect(!run.saeStarted)
  }
}

/// Bit-for-bit comparison of SAE states (NaN-aware).
enum SAECompare {
  static func bits(_ p: SAEParameters) -> [UInt32] {
    (p.encoder.flatMap { $0 } + p.encoderBias + p.decoder.flatMap { $0 } + p.decoderBias).map(
      \.bitPattern)
  }

  static func expectIdentical(
    _ a: Snapshot.SAEState, _ b: Snapshot.SAEState,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(a.step == b.step, "SAE step", sourceLocation: sourceLocation)
    #expect(a.instances.count == b.instances.count, sourceLocation: sourceLocation)
    for (s, (x, y)) in zip(a.instances, b.instances).enumerated() {
      #expect(
        bits(x.parameters) == bits(y.parameters), "SAE \(s) weights", sourceLocation: sourceLocation
      )
      #expect(
        x.optimizer.step == y.optimizer.step && bits(x.optimizer.first) == bits(y.optimizer.first)
          && bits(x.optimizer.second) == bits(y.optimizer.second), "SAE \(s) Adam",
        sourceLocation: sourceLocation)
      #expect(x.random == y.random, "SAE \(s) streams", sourceLocation: sourceLocation)
      #expect(
        x.lastFired == y.lastFired && x.lastResampled == y.lastResampled
          && x.resamples == y.resamples, "SAE \(s) counters", sourceLocation: sourceLocation)
      #expect(
        x.frequency.map(\.bitPattern) == y.frequency.map(\.bitPattern),
        "SAE \(s) frequencies", sourceLocation: sourceLocation)
      #expect(
        [x.lossEMA, x.reconstructionEMA, x.l0EMA, x.lastLoss].map(\.bitPattern)
          == [y.lossEMA, y.reconstructionEMA, y.l0EMA, y.lastLoss].map(\.bitPattern),
        "SAE \(s) averages", sourceLocation: sourceLocation)
      #expect(x.divergence == y.divergence, sourceLocation: sourceLocation)
    }
  }
}
