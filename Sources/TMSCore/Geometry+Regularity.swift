import TMSKernels

extension GeometryLabel {
  /// How close to the ideal polytope a group must be for the labeller to name it.
  ///
  /// The D_i only *say the frame* (they are within the labeller's `tolerance` of d/k): many
  /// arrangements share D_i = 2/5, and a feature's D_i moves little when its neighbours tilt.
  /// A group is named (`pentagon`, `antipodal pair`, `tetrahedron`, …) only when also
  /// - every ‖W_i‖ is within `norm` × the group's mean norm of that mean (5%);
  /// - for the arrangements in a plane (antipodal pairs and polygons, d ≤ 2), every angular
  ///   gap between consecutive directions is within `angleDegrees` of 360°/k (5°: a
  ///   pentagon's gaps in 67°…77°, an antipodal pair's angle in 175°…185°);
  /// - for the others (d ≥ 3, and tight frames without a polygon's name), every D_i is within
  ///   `dimensionality` × d/k of d/k (relative: 3%, so a tetrahedron's 3/4 ± 0.0225).
  /// Otherwise it is `near-<name>`.
  public struct Regularity: Sendable, Equatable {
    /// Largest relative distance of a D_i from d/k.
    public var dimensionality: Double
    /// Largest relative distance of a ‖W_i‖ from the group's mean norm.
    public var norm: Double
    /// Largest distance, in degrees, of an angular gap from 360°/k (d ≤ 2).
    public var angleDegrees: Double

    /// The tolerances, by default 3% on D_i, 5% on norms and 5° on angles.
    public init(dimensionality: Double = 0.03, norm: Double = 0.05, angleDegrees: Double = 5) {
      self.dimensionality = dimensionality
      self.norm = norm
      self.angleDegrees = angleDegrees
    }
  }

  /// The Gram matrix, norms and (kept-feature) dimensionalities a group is judged on.
  struct Shape {
    var gram: [Float]
    var norms: [Double]
    var dimensionality: [Double]
    var n: Int { norms.count }

    /// cos(W_a, W_b), clamped to [−1, 1].
    func cosine(_ a: Int, _ b: Int) -> Double {
      min(1, max(-1, Double(gram[a * n + b]) / (norms[a] * norms[b])))
    }

    /// True when the group `f` of d dimensions passes `regularity`: norms within the relative
    /// tolerance of their mean and, with `checkAngles` (a polygon or an antipodal pair), every
    /// gap between consecutive directions within the angle tolerance of 360°/k, else every
    /// D_i within the relative tolerance of d/k.
    func isRegular(_ f: [Int], dimensions d: Int, checkAngles: Bool, regularity: Regularity)
      -> Bool
    {
      let k = Double(f.count)
      let mean = f.map { norms[$0] }.reduce(0, +) / k
      guard f.allSatisfy({ abs(norms[$0] - mean) <= regularity.norm * mean }) else {
        return false
      }
      if checkAngles {
        let ideal = 360 / k
        return gaps(f).allSatisfy { abs($0 - ideal) <= regularity.angleDegrees }
      }
      let target = Double(d) / k
      return f.allSatisfy { abs(dimensionality[$0] - target) <= regularity.dimensionality * target }
    }

    /// A group of four as its two diagonals when each is an antipodal pair: partners at
    /// 180° within the angle tolerance, with norms within the norm tolerance of the pair's
    /// mean. Nil otherwise.
    func antipodalPairs(_ f: [Int], regularity: Regularity) -> [[Int]]? {
      var pairs: [[Int]] = []
      var left = f
      while let a = left.first {
        left.removeFirst()
        guard let b = left.min(by: { cosine(a, $0) < cosine(a, $1) }) else { return nil }
        left.removeAll { $0 == b }
        let angle = libAcos(cosine(a, b)) * 180 / .pi
        let mean = (norms[a] + norms[b]) / 2
        guard 180 - angle <= regularity.angleDegrees,
          abs(norms[a] - mean) <= regularity.norm * mean
        else { return nil }
        pairs.append([a, b])
      }
      return pairs
    }

    /// The angular gaps, in degrees, between consecutive directions of `f` in the plane they
    /// span, found from the Gram matrix alone: feature a = f[0] sits at 0°, the member most
    /// nearly orthogonal to it, b, at +arccos cos(a, b), and every other feature at
    /// ±arccos cos(a, j), the sign that better matches cos(b, j). Exact when the features lie
    /// in a plane (every m = 2 model); the gaps sum to 360°.
    func gaps(_ f: [Int]) -> [Double] {
      let a = f[0]
      let others = f.dropFirst()
      guard let b = others.min(by: { abs(cosine(a, $0)) < abs(cosine(a, $1)) }) else {
        return [360]
      }
      let thetaB = libAcos(cosine(a, b))
      var angles: [Double] = [0]
      for j in others {
        let theta = libAcos(cosine(a, j))
        let measured = cosine(b, j)
        let plus = abs(libCos(theta - thetaB) - measured)
        let minus = abs(libCos(-theta - thetaB) - measured)
        let signed = j == b || plus <= minus ? theta : 2 * .pi - theta
        angles.append(signed)
      }
      angles.sort()
      let degrees = angles.map { $0 * 180 / .pi }
      return degrees.indices.map { i in
        i + 1 < degrees.count ? degrees[i + 1] - degrees[i] : 360 - degrees[i] + degrees[0]
      }
    }
  }
}
