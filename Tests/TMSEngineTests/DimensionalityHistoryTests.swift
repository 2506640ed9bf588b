import Foundation
import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles
import Testing

/// The D_i history behind the learning-dynamics plot.
@Suite struct DimensionalityHistoryTests {
  /// Points are kept in step order, at most `capacity` of them, halving and doubling the
  /// stride when full, so the whole run stays visible.
  @Test func boundedLikeTheLossHistory() {
    var h = DimensionalityHistory(capacity: 8)
    for s in 1...100 { h.record(step: s, dimensionality: [[Double(s) / 100, 0.5]]) }
    #expect(h.steps.count <= 8 && h.steps.count >= 4)
    #expect(h.steps == h.steps.sorted())
    #expect(h.steps.first == 1)
    #expect(h.stride > 1)
    let series = h.series(instance: 0, feature: 0)
    #expect(zip(series, h.steps).allSatisfy { abs($0.0 - Double($0.1) / 100) < 1e-6 })
    #expect(h.series(instance: 0, feature: 1).allSatisfy { $0 == 0.5 })
    #expect(h.series(instance: 1, feature: 0).allSatisfy { $0.isNaN })
  }

  /// Too many values per point are not recorded at all.
  @Test func largeRunsAreNotRecorded() {
    var h = DimensionalityHistory()
    h.record(
      step: 1, dimensionality: Array(repeating: Array(repeating: 0.5, count: 200), count: 21))
    #expect(h.steps.isEmpty)
    #expect(!DimensionalityHistory.isRecording(instances: 21, features: 200))
    #expect(DimensionalityHistory.isRecording(instances: 20, features: 200))
  }

  /// The live trainer publishes the history with its snapshots: D_i of the published
  /// instances at the published steps; a reset starts it again.
  @Test func trainerPublishesIt() throws {
    let t = Trainer(run: try Run(config: .intro(), threads: 2), paused: false)
    t.start()
    defer { t.shutdown() }
    #expect(eventually { t.snapshot.dimensionalityHistory.steps.count >= 2 })
    t.pause()
    let snap = try #require(t.waitUntilApplied())
    let h = snap.dimensionalityHistory
    #expect(h.steps.count >= 2, "\(h.steps)")
    #expect(h.steps.last == snap.step)
    let last = try #require(h.values.last)
    #expect(last.count == 10 && last.allSatisfy { $0.count == 5 })
    for k in 0..<10 {
      for i in 0..<5 {
        #expect(abs(Double(last[k][i]) - snap.instances[k].metrics.dimensionality[i]) < 1e-6)
      }
    }
    t.reset()
    let after = try #require(t.waitUntilApplied())
    #expect(after.dimensionalityHistory.steps.count <= 1)
  }
}
