import Foundation
import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles
import Testing

/// The dimensionality experiment's signature: dimensions per feature D* = m/‖W‖_F² does not
/// fall smoothly as features get sparser but sticks at 1/2 (antipodal pairs) over a range of
/// 1/(1−S), then leaves it.
@Suite struct DimensionalityPlateauTests {
  /// The shipped `presets/dimensionality.json` (200 features in 20 dimensions, importance
  /// 1), shortened to 4,000 steps and to seven instances with 1/(1−S) from 1.67 to 5, the
  /// stretch of the preset's sweep where the plateau is.
  ///
  /// Over 1/(1−S) = 2.4 … 3.5 (a factor 1.44, which a smooth D* ∝ (1−S)-like fall would turn
  /// into a 30% drop) D* stays within 0.03 of 1/2; before it D* is still well above (the
  /// dense side, near 1), and after it D* has left the plateau.
  @Test func dimensionalityPresetSticksAtOneHalf() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("presets")
    var config = try Preset.load(
      path: folder.appendingPathComponent("dimensionality.json").path, views: nil
    )
    .config
    #expect(config.features == 200 && config.hidden == 20)
    config.instances = 7
    config.setProbabilitySweep(from: 0.6, to: 0.2)
    config.conformShapes()
    let run = try Run(config: config, threads: 2)
    run.train(steps: 4000)
    let dStar = (0..<7).map { run.metrics(instance: $0).dimensionsPerFeature }
    let inverse = config.featureProbability.map { 1 / $0[0] }
    let summary = zip(inverse, dStar).map { String(format: "1/(1−S) %.2f: D* %.3f", $0, $1) }
    #expect(dStar[0] > 0.85, "dense side: \(summary)")
    for k in 2...4 {
      #expect(abs(dStar[k] - 0.5) < 0.03, "plateau at 1/2: \(summary)")
    }
    #expect((dStar[2...4].max() ?? 1) - (dStar[2...4].min() ?? 0) < 0.04, "sticky: \(summary)")
    #expect(dStar[6] < 0.42, "leaves the plateau: \(summary)")
  }
}
