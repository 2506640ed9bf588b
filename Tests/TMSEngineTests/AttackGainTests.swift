import Foundation
import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles
import Testing

/// ‖WᵀW‖₂ on arrangements whose spectrum is known.
@Suite struct AttackGainTests {
  func polygon(_ k: Int, radius: Float = 1) -> [[Float]] {
    (0..<k).map { i in
      let a = 2 * Float.pi * Float(i) / Float(k)
      return [radius * cosf(a), radius * sinf(a)]
    }
  }

  /// Dedicated orthonormal features: gain 1; a dropped feature adds nothing.
  @Test func dedicatedFeaturesHaveGainOne() {
    let W: [[Float]] = [[1, 0], [0, 1], [0, 0], [0, 0]]
    #expect(abs(AttackGain.of(W, hidden: 2) - 1) < 1e-9)
  }

  /// k unit vectors in a regular polygon are a tight frame: WWᵀ = (k/2)·I, gain k/2 = 1/D*.
  @Test(arguments: [3, 5, 6, 8])
  func polygonGainIsFeaturesPerDimension(k: Int) {
    #expect(abs(AttackGain.of(polygon(k), hidden: 2) - Double(k) / 2) < 1e-5)
  }

  /// A non-tight arrangement: two features along x and one along y (norms 1): WWᵀ =
  /// diag(2, 1), gain 2; scaling W by s scales the gain by s².
  @Test func unequalDirections() {
    let W: [[Float]] = [[1, 0], [-1, 0], [0, 1]]
    #expect(abs(AttackGain.of(W, hidden: 2) - 2) < 1e-6)
    let scaled = W.map { $0.map { $0 * 3 } }
    #expect(abs(AttackGain.of(scaled, hidden: 2) - 18) < 1e-5)
  }

  /// Untied (abs): W₂ = W₁ gives the tied gain; W₂ = 2·W₁ doubles it; a W₂ rotated in the
  /// hidden plane has the same singular values, so a hexagon with a rotated decoder keeps
  /// the hexagon's gain 3.
  @Test func untiedGain() {
    let W: [[Float]] = [[1, 0], [-1, 0], [0, 1]]
    #expect(abs(AttackGain.of(W, W2: W, hidden: 2) - 2) < 1e-6)
    let doubled = W.map { $0.map { $0 * 2 } }
    #expect(abs(AttackGain.of(W, W2: doubled, hidden: 2) - 4) < 1e-6)
    let hexagon = polygon(6)
    let rotated = hexagon.map { [-$0[1], $0[0]] }
    #expect(abs(AttackGain.of(hexagon, W2: rotated, hidden: 2) - 3) < 1e-5)
  }

  /// Near-degenerate spectra are exact (power iteration was 1% off on 2.026, 2.015, 1.946),
  /// and above m = 128 the power-iteration fallback is close.
  @Test func exactOnCloseEigenvaluesAndLargeM() {
    // Rows s_j·e_j give WWᵀ = diag(s_j²); a rotation mixes them without changing λ.
    let s: [Float] = [Float(2.026), 2.015, 1.946].map { $0.squareRoot() }
    let c: Float = cosf(0.3)
    let t: Float = sinf(0.3)
    let W: [[Float]] = [[s[0] * c, s[0] * t, 0], [-s[1] * t, s[1] * c, 0], [0, 0, s[2]]]
    #expect(abs(AttackGain.of(W, hidden: 3) - 2.026) < 1e-5)
    let m = 130
    let big: [[Float]] = (0..<m).map { i in
      (0..<m).map { j in i == j ? (i == 7 ? 3 : 1 + Float(i % 5) * 0.1) : 0 }
    }
    #expect(abs(AttackGain.of(big, hidden: m) - 9) < 1e-3)
  }

  /// The intro sweep: the dense instance stores two features (gain ≈ 1) and the sparsest
  /// squeezes five into two dimensions (gain near 5/2).
  @Test func riseWithSparsityOnTheIntroSweep() throws {
    let run = try Run(config: .intro(), threads: 2)
    run.train(steps: 6000)
    let gains = (0..<10).map { AttackGain.of(run.parameters(instance: $0).W, hidden: 2) }
    #expect(gains[0] < 1.2, "\(gains)")
    #expect(gains[9] > 2, "\(gains)")
  }
}
