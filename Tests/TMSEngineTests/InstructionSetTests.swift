import Testing
import TMSCore
import TMSKernels

/// The tiled and Gram kernels exist once per instruction set (the build's level, and AVX2
/// on x86-64 when the CPU has it); a run must train the same model through any of them, up
/// to the rounding of a fused or unfused multiply-add.
@Suite struct InstructionSetTests {
  /// The build's own level is always there and comes first; the selected set is one of the
  /// available ones.
  @Test func baselineIsAlwaysAvailable() {
    #expect(InstructionSet.available.first == .baseline)
    #expect(InstructionSet.available.contains(InstructionSet.selected))
  }

  /// 40 steps of a 60→12 model through each set, on each kernel path (the tiled kernel with
  /// dense and with sparse inputs, the Gram kernel): losses within 1e-4 relative and every weight within 1e-4
  /// of the baseline's, while the weights moved far more than that from where they started.
  @Test(arguments: [
    (ModelKind.reluOutput, 1.0, KernelPath.tiledDense), (.reluOutput, 0.02, .gram),
    (.reluHidden, 0.02, .tiledSparse), (.abs, 0.2, .tiledDense),
  ])
  func everySetTrainsTheSameModel(kind: ModelKind, probability: Double, path: KernelPath) throws {
    var c = RunConfig(
      model: kind, features: 60, hidden: 12, instances: 2,
      training: TrainingSettings(batchSize: 256, seed: 3))
    c.featureProbability =
      [Curve.constant(probability, count: 60)]
      + [Curve.constant(probability / 2, count: 60)]
    c.setImportanceDecay(0.95)
    var results: [(set: InstructionSet, losses: [Double], params: [Parameters])] = []
    let start = try Run(config: c).parameters(instance: 0)
    for set in InstructionSet.available {
      let run = try Run(config: c)
      run.useInstructionSet(set)
      #expect(run.kernelPath(instance: 0) == path)
      #expect(run.train(steps: 40))
      results.append(
        (set, run.evaluate(samples: 2048), (0..<2).map { run.parameters(instance: $0) }))
    }
    let base = results[0]
    for other in results.dropFirst() {
      for (a, b) in zip(base.losses, other.losses) {
        #expect(abs(a - b) <= 1e-4 * abs(a), "\(other.set): loss \(b) vs \(a)")
      }
      for (p, q) in zip(base.params, other.params) {
        let w = zip(p.W.joined(), q.W.joined()).map { abs($0 - $1) }.max() ?? 0
        let bias = zip(p.b, q.b).map { abs($0 - $1) }.max() ?? 0
        #expect(
          w <= 1e-4 && bias <= 1e-4, "\(other.set): weights differ by \(w), biases by \(bias)")
      }
    }
    // The x86-64-v3 and v4 copies fuse the same multiply-adds and sum in the same order
    // (only their register blocks differ), so their weights agree bit for bit.
    let fused = results.filter { $0.set == .avx2 || $0.set == .avx512 }
    if fused.count == 2 {
      #expect(fused[0].params == fused[1].params, "x86-64-v3 and v4 copies differ")
      #expect(fused[0].losses == fused[1].losses)
    }
    let moved = zip(start.W.joined(), base.params[0].W.joined()).map { abs($0 - $1) }.max() ?? 0
    #expect(moved > 1e-2, "training moved the weights by \(moved) only")
  }
}
