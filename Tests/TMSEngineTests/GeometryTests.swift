import Foundation
import Testing
import TMSEngine

/// The arrangement labeller on exact polytopes built by hand.
@Suite struct GeometryTests {
  /// Metrics of features given directly as vectors (W_i = `vectors[i]`).
  func metrics(_ vectors: [[Float]], hidden: Int) -> InstanceMetrics {
    let n = vectors.count
    return InstanceMetrics.compute(
      parameters: Parameters(W: vectors, b: Array(repeating: 0, count: n)), hidden: hidden,
      model: .reluOutput, featureProbability: Array(repeating: 0.05, count: n),
      importance: Array(repeating: 1, count: n), trainLoss: 0, evalLoss: 0)
  }

  func polygon(_ k: Int, radius: Float = 1) -> [[Float]] {
    (0..<k).map { i in
      let a = 2 * Float.pi * Float(i) / Float(k)
      return [radius * cosf(a), radius * sinf(a)]
    }
  }

  @Test func pentagonWithDroppedFeatures() {
    let m = metrics(polygon(5) + [[0.01, 0], [0, 0.02]], hidden: 2)
    // The two small dropped features add (Ŵ_i·W_j)² ≤ 4e-4 to each denominator.
    for i in 0..<5 { #expect(abs(m.dimensionality[i] - 0.4) < 2e-4) }
    #expect(abs(metrics(polygon(5), hidden: 2).dimensionality[0] - 0.4) < 1e-6)
    #expect(m.geometry.text == "5 features in a pentagon, 2 dropped")
    #expect(m.represented == 5)
    #expect(abs(m.dimensionsPerFeature - 2.0 / 5) < 1e-4)
  }

  @Test func namedArrangements() {
    #expect(metrics(polygon(3), hidden: 2).geometry.text == "3 features in a triangle")
    #expect(metrics(polygon(6), hidden: 2).geometry.text == "6 features in a hexagon")
    let tetra: [[Float]] = [[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]].map {
      $0.map { $0 / Float(3).squareRoot() }
    }
    let t = metrics(tetra, hidden: 3)
    for d in t.dimensionality { #expect(abs(d - 0.75) < 1e-5) }
    #expect(t.geometry.text == "4 features in a tetrahedron")
    // Two orthogonal antipodal pairs plus a dedicated feature in 3-D.
    let pairs: [[Float]] = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1]]
    #expect(metrics(pairs, hidden: 3).geometry.text == "2 antipodal pairs, 1 dedicated")
    #expect(
      metrics([[1, 0], [0, 1], [0, 0]], hidden: 2).geometry.text == "2 dedicated, 1 dropped")
  }

  @Test func irregularIsNotMisnamed() {
    // Three features in 2-D with unequal angles: not a tight frame.
    let v: [[Float]] = [[1, 0], [0.8, 0.6], [-0.6, 0.8]]
    let g = metrics(v, hidden: 2).geometry
    #expect(g.groups.count == 1)
    #expect(g.groups[0].name == "irregular")
    #expect(g.text == "3 features irregular in 2-D")
  }

  @Test func superpositionAndDimensionality() {
    // Antipodal pair of norm 1: s_i = (Ŵ_0·W_1)² = 1, D_i = 1/(1+1) = ½.
    let m = metrics([[1, 0], [-1, 0]], hidden: 2)
    #expect(abs(m.superposition[0] - 1) < 1e-6)
    #expect(abs(m.dimensionality[0] - 0.5) < 1e-6)
    #expect(m.gram == [1, -1, -1, 1])
  }

  @Test func nearestFraction() {
    #expect(TightFrame.nearestFraction(0.401)?.label == "2/5")
    #expect(TightFrame.nearestFraction(0.376)?.label == "3/8")
    #expect(TightFrame.nearestFraction(0.45) == nil)
  }
}
