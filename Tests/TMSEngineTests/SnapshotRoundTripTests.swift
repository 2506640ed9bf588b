import Foundation
import Testing
import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles

/// Save → load gives back the identical state, bit for bit, and a restored run continues
/// exactly as the original would have.
@Suite struct SnapshotRoundTripTests {
  func trainedSnapshot(_ c: RunConfig, steps: Int, threads: Int = 1) throws -> (Run, Snapshot) {
    let run = try Run(config: c, threads: threads)
    var history = LossHistory(capacity: 8)
    for _ in 0..<steps / 10 {
      run.train(steps: 10)
      history.record(step: run.step, losses: run.trainLossEMA)
    }
    run.train(steps: steps % 10)
    return (
      run,
      run.snapshot(
        history: history, evalLoss: run.evaluate(samples: 256), date: SnapshotCompare.date)
    )
  }

  /// Every field survives encode → decode exactly, and re-encoding gives the same bytes.
  @Test(arguments: SnapshotConfigs.names)
  func encodeDecodeIsIdentity(_ name: String) throws {
    let config = SnapshotConfigs.named(name)
    let (_, snap) = try trainedSnapshot(config, steps: 57)
    let bytes = try snap.encoded()
    let back = try Snapshot.decode(bytes, file: "memory")
    SnapshotCompare.expectIdentical(snap, back)
    #expect(try back.encoded() == bytes, "re-encoding must reproduce the file byte for byte")
  }

  /// A fresh run's NaN losses (no step yet) are stored as null and come back as NaN.
  @Test func untrainedRunRoundTrips() throws {
    let run = try Run(config: .intro())
    let snap = run.snapshot(date: SnapshotCompare.date)
    #expect(snap.instances[0].trainLossEMA.isNaN)
    let back = try Snapshot.decode(try snap.encoded(), file: "memory")
    SnapshotCompare.expectIdentical(snap, back)
  }

  /// Restoring into a Run and snapshotting again gives the same state (nothing is lost in
  /// the engine's padded buffers or random lanes).
  @Test(arguments: SnapshotConfigs.names)
  func restoreIntoRunIsIdentity(_ name: String) throws {
    let config = SnapshotConfigs.named(name)
    let (_, snap) = try trainedSnapshot(config, steps: 33)
    let run = try Run(snapshot: snap, threads: 2)
    #expect(run.step == snap.step)
    let again = run.snapshot(
      history: snap.lossHistory, evalLoss: snap.instances.map(\.metrics.evalLoss),
      date: SnapshotCompare.date)
    SnapshotCompare.expectIdentical(snap, again)
  }

  /// Stopping, saving to a file, loading and training N more steps (on another thread
  /// count) gives the weights, moments and random streams of never having stopped.
  @Test(arguments: SnapshotConfigs.names)
  func resumeEqualsContinuous(_ name: String) throws {
    let config = SnapshotConfigs.named(name)
    let continuous = try Run(config: config, threads: 1)
    continuous.train(steps: 300)
    let first = try Run(config: config, threads: 2)
    first.train(steps: 120)
    let folder = TemporaryFolder()
    let path = try SnapshotStore.save(first.snapshot(), to: folder.file("half.json"))
    let resumed = try Run(snapshot: try SnapshotStore.load(path), threads: 2)
    resumed.train(steps: 100)
    resumed.train(steps: 80)
    #expect(resumed.step == 300)
    let a = continuous.snapshot(date: SnapshotCompare.date)
    let b = resumed.snapshot(date: SnapshotCompare.date)
    SnapshotCompare.expectIdentical(a, b)
  }

  /// A diverged instance stays diverged (with its reason) across a save.
  @Test func divergenceIsKept() throws {
    var c = RunConfig.intro()
    c.training.learningRate = 1e6
    let run = try Run(config: c)
    for _ in 0..<200 where run.divergence == nil { run.train(steps: 10) }
    let d = try #require(run.divergence)
    let back = try Run(snapshot: try Snapshot.decode(try run.snapshot().encoded(), file: "m"))
    #expect(back.divergence?.instance == d.instance)
    #expect(back.divergence?.reason == d.reason)
  }

  /// Floats at the edges survive: ±0, subnormals, the extremes, and random bit patterns.
  @Test func extremeFloatsRoundTrip() throws {
    let c = RunConfig(features: 64, hidden: 16, instances: 1)
    let run = try Run(config: c)
    var rng = SplitMix64(seed: 42)
    var special: [Float] = [
      0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
      .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0.1, 1 / 3, Float(bitPattern: 1), 3.4e38,
      .ulpOfOne,
      1 + .ulpOfOne, 16_777_216, 16_777_218,
    ]
    while special.count < 64 * 16 {
      let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
      if f.isFinite { special.append(f) }
    }
    let W = (0..<64).map { i in Array(special[i * 16..<(i + 1) * 16]) }
    run.setParameters(Parameters(W: W, b: Array(special.prefix(64))), instance: 0)
    let snap = run.snapshot(date: SnapshotCompare.date)
    let back = try Snapshot.decode(try snap.encoded(), file: "m")
    #expect(SnapshotCompare.bits(back.instances[0].parameters.W) == SnapshotCompare.bits(W))
    #expect(
      SnapshotCompare.bits(back.instances[0].parameters.b)
        == SnapshotCompare.bits(Array(special.prefix(64))))
  }

  /// A saved random state continues the same stream: config seed and per-instance streams
  /// are both kept, so a reset after loading replays the original run from step 0.
  @Test func seedSurvivesForReset() throws {
    var c = RunConfig.intro()
    c.training.seed = 123_456_789_012_345
    let (_, snap) = try trainedSnapshot(c, steps: 20)
    let run = try Run(snapshot: try Snapshot.decode(try snap.encoded(), file: "m"))
    run.reset()
    let fresh = try Run(config: c)
    #expect(run.parameters(instance: 2) == fresh.parameters(instance: 2))
  }
}
