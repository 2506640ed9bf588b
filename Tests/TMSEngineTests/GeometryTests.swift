import Foundation
import Testing
import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles

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

  /// A dropped feature's leftover weight along a dedicated direction (the dense optimum
  /// before convergence) and a slight non-orthogonality of two dedicated features do not
  /// hide "2 dedicated": dimensionalities for the label count kept features only.
  @Test func leftoversOfDroppedFeaturesDoNotSpoilDedicated() {
    let v: [[Float]] = [[1, 0.06], [0.02, 1], [0.3, 0], [0, 0.25], [0.1, 0.1]]
    let m = metrics(v, hidden: 2)
    #expect(m.dimensionality[0] < 0.95, "the metric itself still counts feature 2")
    #expect(m.geometry.text == "2 dedicated, 3 dropped")
    // An unnamed tight frame says what it is: seven equal directions in 2-D (D = 2/7).
    #expect(metrics(polygon(7), hidden: 2).geometry.text == "7 features in a heptagon")
    let nonagon = metrics(polygon(9), hidden: 2).geometry
    #expect(nonagon.text == "9 features in a 2-D tight frame")
    #expect(nonagon.groups.map(\.name) == ["2-D tight frame of 9"])
  }

  /// Unnamed tight frames of different sizes are counted apart (an octagon and a nonagon in
  /// orthogonal planes are not "2 2-D tight frames of 9"), and the article fits the number.
  @Test func unnamedTightFramesKeepTheirSize() {
    let octagon = polygon(8).map { $0 + [0, 0] }
    let nonagon = polygon(9).map { [0, 0] + $0 }
    let g = metrics(octagon + nonagon, hidden: 4).geometry
    #expect(g.text == "9 features in a 2-D tight frame, 8 features in a 2-D tight frame")
    #expect(g.groups.map(\.name) == ["2-D tight frame of 9", "2-D tight frame of 8"])
    let two = metrics(polygon(9).map { $0 + [0, 0] } + nonagon, hidden: 4).geometry
    #expect(two.text == "2 2-D tight frames of 9")
    // Nine equal directions in an 8-D subspace (a regular simplex): D = 8/9 each.
    let simplex = regularSimplex(9)
    let s = metrics(simplex, hidden: 9).geometry
    #expect(s.groups.map(\.dimensions) == [8])
    #expect(s.text == "9 features in an 8-D tight frame")
  }

  /// A dedicated feature slightly tilted towards an antipodal pair stays dedicated, and
  /// nearly orthogonal features (|cos| ≈ 0.15) are dedicated, not "irregular in 3-D".
  @Test func nearlyOrthogonalFeaturesAreDedicated() {
    let c: Float = 0.1
    let s = (1 - c * c).squareRoot()
    let v: [[Float]] = [[1, 0], [-1, 0], [c, s]]
    #expect(metrics(v, hidden: 2).geometry.text == "1 antipodal pair, 1 dedicated")
    // Three unit vectors with pairwise cos 0.15: D_i = 1/(1 + 2·0.15²) ≈ 0.957.
    let three = unitVectors(pairwiseCosine: 0.15, count: 3)
    let m = metrics(three, hidden: 3)
    for i in 0..<3 { #expect(abs(m.dimensionality[i] - 1 / (1 + 2 * 0.0225)) < 1e-4) }
    #expect(m.geometry.text == "3 dedicated")
    // A feature whose neighbour is clearly tilted towards it (|cos| ≈ 0.39, D ≈ 0.91) is not
    // dedicated: that would claim three dimensions in a 2-D model (a mid-training intro run).
    let tilted: [[Float]] = [[0.7906, 0.0310], [-0.0681, -0.6914], [0.2484, -0.5220]]
    #expect(metrics(tilted, hidden: 2).geometry.text == "3 features irregular in 2-D")
  }

  /// Two features pointing the same way (a collapsed correlated pair) are not antipodal.
  @Test func collapsedPairIsNotAntipodal() {
    let v: [[Float]] = [[1, 0], [0.99, 0.01], [0, 1], [0, -1]]
    let g = metrics(v, hidden: 2).geometry
    #expect(g.text == "1 collapsed pair, 1 antipodal pair")
    #expect(g.groups.map(\.name) == ["collapsed pair", "antipodal pair"])
    let twice: [[Float]] = [[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0]]
    #expect(metrics(twice, hidden: 3).geometry.text == "2 collapsed pairs")
    let three: [[Float]] = [[1, 0], [0.99, 0.02], [0.98, -0.02], [0, 1], [0, -1]]
    #expect(
      metrics(three, hidden: 2).geometry.text
        == "3 features collapsed onto one direction, 1 antipodal pair")
  }

  /// The collapse preset's dense instance: features 0 and 1 share one direction (43.5° and
  /// 43.3°, norms 0.71 each, their sum stored like PCA would) among four others spread round
  /// the plane. The pair is named even though it interferes with the rest; the other four
  /// are judged on their own.
  @Test func collapsedPairAmongOthers() {
    let polar: [(Float, Float)] = [
      (0.71, 43.5), (0.71, 43.3), (0.91, -169.3), (0.99, 120.9), (0.99, -34.7), (0.92, -105.7),
    ]
    let v = polar.map { r, deg in [r * cosf(deg * .pi / 180), r * sinf(deg * .pi / 180)] }
    let g = metrics(v, hidden: 2).geometry
    #expect(g.text == "4 features irregular in 2-D, 1 collapsed pair", "\(g.text)")
    #expect(g.groups.first { $0.name == "collapsed pair" }?.features == [0, 1])
  }

  /// Plurals of named arrangements are spelled properly.
  @Test func namedPlurals() {
    let a = polygon(5).map { $0 + [0, 0] }
    let b = polygon(5).map { [0, 0] + $0 }
    #expect(metrics(a + b, hidden: 4).geometry.text == "2 pentagons of 5")
    let simplex = regularSimplex(5)
    let zeros = [Float](repeating: 0, count: 5)
    let twoSimplices = simplex.map { $0 + zeros } + simplex.map { zeros + $0 }
    #expect(metrics(twoSimplices, hidden: 10).geometry.text == "2 4-simplices of 5")
  }

  /// k unit vectors with the same pairwise cosine (k-dimensional).
  func unitVectors(pairwiseCosine c: Float, count k: Int) -> [[Float]] {
    // v_i = α e_i + β 1: |v|² = α² + 2αβ + kβ², v_i·v_j = 2αβ + kβ².
    // With α = 1 solve (2β + kβ²) = c (1 + 2β + kβ²) for β.
    let kf = Float(k)
    let qa = kf * (1 - c)
    let qb = 2 * (1 - c)
    let beta = (-qb + (qb * qb + 4 * qa * c).squareRoot()) / (2 * qa)
    return (0..<k).map { i in
      let v = (0..<k).map { j in (j == i ? 1 : 0) + beta }
      let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
      return v.map { $0 / norm }
    }
  }

  /// The k vertices of a regular simplex centred at the origin, in k dimensions (spanning k−1).
  func regularSimplex(_ k: Int) -> [[Float]] {
    (0..<k).map { i in
      let v = (0..<k).map { j in (j == i ? 1 : 0) - 1 / Float(k) }
      let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
      return v.map { $0 / norm }
    }
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
