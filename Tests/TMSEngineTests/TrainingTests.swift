import Testing
import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles

/// End-to-end training results that the paper and the notebook fix.
@Suite struct TrainingTests {
  /// n=5, m=2, I=0.9ⁱ, dense: the optimum keeps the two most important features orthogonally
  /// with unit norm, and the three dropped ones cost I_i·Var(x_i) with b_i = E[x_i] = ½:
  /// loss = (0.9² + 0.9³ + 0.9⁴)/12/5 = 0.036585 (notebook convention).
  @Test func denseOptimum() throws {
    var c = RunConfig(
      features: 5, hidden: 2, instances: 1, training: TrainingSettings(steps: 10_000, seed: 1))
    c.setImportanceDecay(0.9)
    c.setUniformProbability(1)
    let run = try Run(config: c)
    run.train(steps: 10_000)
    let loss = run.evaluate(samples: 65_536)[0]
    let optimum = (0.81 + 0.729 + 0.6561) / 12 / 5
    #expect(abs(loss - optimum) / optimum < 0.01, "loss \(loss) vs optimum \(optimum)")
    let m = run.metrics(instance: 0)
    let p = run.parameters(instance: 0)
    #expect(abs(m.norms[0] - 1) < 0.02 && abs(m.norms[1] - 1) < 0.02, "norms \(m.norms)")
    let cos01 = abs(Double(m.gram[1])) / (m.norms[0] * m.norms[1])
    #expect(cos01 < 0.02, "features 0 and 1 should be orthogonal, cos = \(cos01)")
    for i in 2..<5 { #expect(m.norms[i] < 0.05, "feature \(i) should be dropped: \(m.norms[i])") }
    #expect(abs(p.b[0]) < 0.03 && abs(p.b[1]) < 0.03, "b \(p.b)")
    for i in 2..<5 { #expect(abs(p.b[i] - 0.5) < 0.03, "b[\(i)] = \(p.b[i]) should be ½") }
    #expect(m.geometry.text == "2 dedicated, 3 dropped")
  }

  /// At p ≤ 0.05 the five features form a pentagon (every D_i ≈ 2/5) for the best of a few
  /// seeds, and the labeller names it.
  @Test func sparsePentagon() throws {
    var best: (loss: Double, metrics: InstanceMetrics)? = nil
    for seed in 0..<4 {
      var c = RunConfig(
        features: 5, hidden: 2, instances: 1, training: TrainingSettings(seed: UInt64(seed)))
      c.setImportanceDecay(0.9)
      c.setUniformProbability(0.05)
      let run = try Run(config: c)
      run.train(steps: 10_000)
      let loss = run.evaluate(samples: 32_768)[0]
      if best == nil || loss < best!.loss { best = (loss, run.metrics(instance: 0)) }
    }
    let m = try #require(best?.metrics)
    for d in m.dimensionality { #expect(abs(d - 0.4) < 0.03, "D = \(m.dimensionality)") }
    #expect(m.geometry.text == "5 features in a pentagon")
    #expect(m.geometry.groups.first?.name == "pentagon")
  }

  /// Instances are trained by whichever thread takes them, from their own random streams:
  /// weights are bit-identical with 1 and 2 threads.
  @Test func threadCountDoesNotChangeResults() throws {
    for config in [RunConfig.intro(), Self.largeConfig()] {
      let one = try Run(config: config, threads: 1)
      let two = try Run(config: config, threads: 2)
      one.train(steps: 60)
      two.train(steps: 25)
      two.train(steps: 35)
      for k in 0..<config.instances {
        #expect(one.parameters(instance: k) == two.parameters(instance: k), "instance \(k)")
      }
      // Evaluation and a published snapshot's metrics are spread over the workers too.
      let lossOne = one.evaluate(samples: 512)
      #expect(lossOne == two.evaluate(samples: 512))
      #expect(Set(lossOne).count == config.instances, "each instance evaluated on its own")
      let snapOne = TrainingSnapshot.capture(one, evalSamples: 512)
      let snapTwo = TrainingSnapshot.capture(two, evalSamples: 512)
      #expect(snapOne.instances == snapTwo.instances)
      #expect(
        snapOne.instances.map(\.metrics.evalLoss) == one.estimateLosses(samples: 512).map(\.mean))
    }
  }

  static func largeConfig() -> RunConfig {
    var c = RunConfig(
      features: 40, hidden: 10, instances: 3, training: TrainingSettings(batchSize: 100))
    c.setProbabilitySweep(from: 1, to: 0.05)
    return c
  }

  /// The same seed replays the run; another seed does not.
  @Test func seedsReplay() throws {
    let a = try Run(config: .intro())
    let b = try Run(config: .intro())
    a.train(steps: 30)
    b.train(steps: 30)
    #expect(a.parameters(instance: 3) == b.parameters(instance: 3))
    b.reset(seed: 5)
    b.train(steps: 30)
    #expect(a.parameters(instance: 3) != b.parameters(instance: 3))
  }

  /// A sparsity change applies to the very next step's batch, on the current weights.
  @Test func sparsityChangeIsInForceAtTheNextStep() throws {
    var c = RunConfig.intro()
    c.setUniformProbability(1)
    let run = try Run(config: c)
    run.train(steps: 5)
    #expect(run.lastBatchDensity(instance: 0) == 1)
    let before = run.parameters(instance: 0)
    var sparse = run.config
    sparse.setUniformProbability(0.01)
    let reinitialised = try run.apply(sparse)
    #expect(!reinitialised)
    #expect(run.parameters(instance: 0) == before)
    run.train(steps: 1)
    let density = run.lastBatchDensity(instance: 0)
    #expect(density < 0.03, "density after the change \(density)")
    #expect(run.step == 6)
  }

  /// Observed densities match p for independent, correlated and anticorrelated features.
  @Test func dataMatchesTheRequestedProbabilities() throws {
    var c = RunConfig(
      features: 6, hidden: 2, instances: 1, training: TrainingSettings(batchSize: 8192))
    c.featureProbability = [[0.3, 0.3, 0.2, 0.2, 0.05, 1]]
    c.groups = [
      FeatureGroup(kind: .correlated, features: [0, 1]),
      FeatureGroup(kind: .anticorrelated, features: [2, 3]),
    ]
    let run = try Run(config: c)
    run.train(steps: 1)
    let rows = run.lastBatch(instance: 0)
    func density(_ i: Int) -> Double {
      Double(rows.filter { $0[i] != 0 }.count) / Double(rows.count)
    }
    #expect(abs(density(0) - 0.3) < 0.03)
    #expect(
      rows.allSatisfy { ($0[0] != 0) == ($0[1] != 0) }, "correlated pair must switch together")
    #expect(abs(density(2) - 0.1) < 0.02, "anticorrelated member density p/k")
    #expect(rows.allSatisfy { !($0[2] != 0 && $0[3] != 0) }, "anticorrelated pair never both on")
    #expect(abs(density(4) - 0.05) < 0.015)
    #expect(density(5) == 1)
    #expect(rows.allSatisfy { $0.allSatisfy { $0 >= 0 && $0 <= 1 } })
  }

  /// A huge learning rate ends in a reported divergence; the parameters kept are finite and
  /// are the healthy ones from before the blow-up (here the initial weights), not the
  /// finite-but-huge weights of the step before the overflow.
  @Test func divergenceKeepsFiniteWeights() throws {
    var c = RunConfig.intro()
    c.training.learningRate = 1e6
    let run = try Run(config: c)
    let initial = (0..<c.instances).map { run.parameters(instance: $0) }
    var ok = true
    for _ in 0..<200 where ok { ok = run.train(steps: 10) }
    let d = try #require(run.divergence)
    #expect(d.reason.contains("rolled back"), "\(d.reason)")
    #expect(run.parameters(instance: d.instance) == initial[d.instance])
    for k in 0..<c.instances { #expect(run.parameters(instance: k).isFinite) }
    // Stopped instances take no steps, and the run's counter does not pretend they did: once
    // every instance has stopped, a request for 1000 steps advances nothing.
    var rounds = 0
    while run.trainCounting(steps: 10) > 0 && rounds < 500 { rounds += 1 }
    let stepsBefore = run.step
    #expect(run.trainCounting(steps: 1000) == 0)
    #expect(run.step == stepsBefore)
    #expect(stepsBefore < 5000, "the counter ran on after the divergence: \(stepsBefore)")
  }

  /// A learning rate raised mid-run blows the model up; the rollback restores weights whose
  /// loss is that of before the spike, and after lowering the rate training continues. The
  /// spike lands at every phase of the 32-step healthy-copy cycle (a copy judged by the loss
  /// of the weights before it once kept the destroyed weights when the spike hit a boundary).
  @Test(arguments: [600, 607, 608, 609, 639, 640])
  func divergenceRollsBackAndRecovers(spikeAt: Int) throws {
    var c = RunConfig.intro()
    c.training.steps = 0
    let run = try Run(config: c)
    run.train(steps: spikeAt)
    let before = run.evaluate(samples: 4096)
    c.training.learningRate = 1e6
    try run.apply(c)
    var advanced = 0
    while run.divergence == nil && advanced < 5000 { advanced += run.trainCounting(steps: 1) }
    let d = try #require(run.divergence)
    #expect(d.reason.contains("rolled back"), "\(d.reason)")
    let kept = run.evaluate(samples: 4096)
    let k = d.instance
    #expect(
      kept[k] <= 1.5 * before[k] + 1e-3,
      "rolled-back loss \(kept[k]) vs \(before[k]) before the spike")
    c.training.learningRate = 1e-3
    try run.apply(c)
    run.clearDivergence()
    #expect(run.train(steps: 300), "\(run.divergence?.reason ?? "")")
    let after = run.evaluate(samples: 4096)
    for i in 0..<c.instances { #expect(after[i].isFinite && after[i] < 1) }
    #expect(after[k] <= 1.5 * before[k] + 1e-3)
  }

  /// A data edit that raises the loss level (p = 0.05 → 1 is ~20× the loss) restarts the
  /// healthy copies at the new level, so a later blow-up rolls back a few steps, not to the
  /// weights of before the edit.
  @Test func dataEditRestartsHealthyCopies() throws {
    var c = RunConfig.intro()
    c.training.steps = 0
    c.setUniformProbability(0.05)
    let run = try Run(config: c)
    run.train(steps: 1000)
    c.setUniformProbability(1)
    try run.apply(c)
    run.train(steps: 500)
    c.training.learningRate = 1e6
    try run.apply(c)
    var advanced = 0
    while run.divergence == nil && advanced < 5000 { advanced += run.trainCounting(steps: 1) }
    let d = try #require(run.divergence)
    let back = d.reason.split(separator: " ").compactMap { Int($0) }.last ?? -1
    #expect(back >= 0 && back <= 40, "\(d.reason)")
  }

  /// The schedules follow the notebook's formulas.
  @Test func schedules() {
    #expect(Schedule.constant.factor(step: 500, steps: 1000) == 1)
    #expect(Schedule.linear.factor(step: 250, steps: 1000) == 0.75)
    #expect(abs(Schedule.cosine.factor(step: 999, steps: 1000)) < 1e-12)
    #expect(abs(Schedule.cosine.factor(step: 333, steps: 1000) - 0.8660254) < 1e-6)
  }
}
