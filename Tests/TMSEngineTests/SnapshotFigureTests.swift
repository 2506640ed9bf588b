import Testing
import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles

/// The SVG figure of a snapshot stays a readable figure whatever the weights' scale.
@Suite struct SnapshotFigureTests {
  func figure(scale: Float) throws -> String {
    let run = try Run(config: .intro())
    run.train(steps: 200)
    for k in 0..<run.config.instances {
      var p = run.parameters(instance: k)
      p.W = p.W.map { $0.map { $0 * scale } }
      run.setParameters(p, instance: k)
    }
    return SnapshotFigure(run.snapshot(history: LossHistory(), evalLoss: nil)).svg()
  }

  /// Norm-axis ticks are round (1, 2 or 5 × 10^k apart), start at 0, stay within the axis
  /// and number at most six, from ordinary norms to blown-up ones.
  @Test(arguments: [0.3, 1.2, 1.26, 3.7, 42, 1.05e10, 7.3e15])
  func axisTicksAreFewAndRound(limit: Double) {
    let ticks = SnapshotFigure.axisTicks(upTo: limit)
    #expect(ticks.first == 0)
    #expect(ticks.count >= 2 && ticks.count <= 6, "\(ticks)")
    #expect(ticks.allSatisfy { $0 <= limit * (1 + 1e-9) })
    let step = ticks[1]
    let mantissa = step / libPow10(step)
    #expect([1, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "step \(step)")
  }

  func libPow10(_ x: Double) -> Double {
    var p = 1.0
    while p * 10 <= x * (1 + 1e-12) { p *= 10 }
    while p > x * (1 + 1e-12) { p /= 10 }
    return p
  }

  /// Blown-up but finite weights (‖W‖ ~ 1e10, what a diverged run used to leave) asked for a
  /// norm tick every 0.5 — billions of them: the export died allocating 43 GB. Now the
  /// figure is the same size as for ordinary weights and its labels read like 5e9.
  @Test func hugeWeightsGiveAnOrdinaryFigure() throws {
    let normal = try figure(scale: 1)
    let huge = try figure(scale: 1e10)
    #expect(huge.count < normal.count * 11 / 10, "\(huge.count) bytes against \(normal.count)")
    #expect(huge.contains(">5e9<") || huge.contains(">2e9<"))
    #expect(!huge.contains("000000"))
  }
}
