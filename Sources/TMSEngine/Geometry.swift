/// Names the arrangement the features of one instance have settled into.
///
/// Theory (paper §7 of the notes): k equal-norm features forming a tight frame in a
/// d-dimensional subspace orthogonal to the rest have D_i = d/k each. So the labeller
/// 1. keeps the represented features (‖W_i‖ above the threshold);
/// 2. links two features when their directions interfere, |Ŵ_i·Ŵ_j| > `linkCosine`, and
///    takes connected components (features of one polytope are linked through their
///    neighbours; orthogonal polytopes stay apart);
/// 3. for a component of k features finds d = round(k · mean D_i) and accepts the named
///    arrangement when every D_i lies within `tolerance` of d/k.
/// `1 dedicated, 2 antipodal pairs`, `5 features in a pentagon, 2 dropped` are typical labels.
public struct GeometryLabel: Codable, Sendable, Equatable {
  /// One group of features sharing a subspace.
  public struct Group: Codable, Sendable, Equatable {
    /// The features, zero-based.
    public var features: [Int]
    /// The subspace dimension d implied by the D_i (d = k · D).
    public var dimensions: Int
    /// The arrangement's name (`pentagon`, `antipodal pair`, …) or `irregular`.
    public var name: String
    /// True when every member's D_i sits at d/k within the tolerance.
    public var isTightFrame: Bool
  }

  /// The groups, largest first.
  public var groups: [Group]
  /// Features whose norm is at or below the threshold.
  public var dropped: [Int]
  /// The human-readable summary shown on screens and in JSON.
  public var text: String
}

/// The named tight-frame fractions D = d/k and their arrangements.
public enum TightFrame {
  /// (k, d, name): k features in d dimensions.
  public static let named: [(k: Int, d: Int, name: String)] = [
    (1, 1, "dedicated"), (2, 1, "antipodal pair"), (3, 2, "triangle"), (4, 3, "tetrahedron"),
    (5, 4, "4-simplex"), (4, 2, "square"), (5, 2, "pentagon"), (6, 2, "hexagon"),
    (7, 2, "heptagon"), (8, 3, "square antiprism"), (6, 3, "octahedron"),
    (12, 3, "icosahedron"), (20, 3, "dodecahedron"),
  ]

  /// The reference fractions worth drawing as lines: 1, 4/5, 3/4, 2/3, 1/2, 2/5, 3/8, 1/3,
  /// 2/7, 1/4, 3/20, with labels.
  public static let fractions: [(value: Double, label: String)] = [
    (1, "1"), (0.8, "4/5"), (0.75, "3/4"), (2.0 / 3, "2/3"), (0.5, "1/2"), (0.4, "2/5"),
    (0.375, "3/8"), (1.0 / 3, "1/3"), (2.0 / 7, "2/7"), (0.25, "1/4"), (0.15, "3/20"),
  ]

  /// The named fraction nearest to `d`, when within `tolerance`.
  public static func nearestFraction(_ d: Double, tolerance: Double = 0.012) -> (
    value: Double, label: String
  )? {
    let best = fractions.min { abs($0.value - d) < abs($1.value - d) }
    guard let best, abs(best.value - d) <= tolerance else { return nil }
    return best
  }

  /// The name for k features in d dimensions.
  public static func name(k: Int, d: Int) -> String? {
    named.first { $0.k == k && $0.d == d }?.name
  }
}

extension GeometryLabel {
  /// Labels an instance from its Gram matrix WᵀW (n×n row-major) and feature norms.
  ///
  /// Features with ‖W_i‖ ≤ `threshold` are dropped. The kept ones are linked when
  /// |cos(W_a, W_b)| > `linkCosine`; each linked group of k features is then judged by its
  /// dimensionalities *among kept features*, D_i = ‖W_i‖² / Σ_{j kept} (Ŵ_i·W_j)², so a
  /// dropped feature's small leftover weight along a dedicated direction does not turn
  /// "2 dedicated, 3 dropped" into "irregular". A group is a tight frame when every D_i is
  /// within `tolerance` of d/k, d = round(k · mean D_i), and is named after it.
  public static func classify(
    gram: [Float], norms: [Double], threshold: Double = 0.5,
    linkCosine: Double = 0.05, tolerance: Double = 0.04
  ) -> GeometryLabel {
    let n = norms.count
    let kept = (0..<n).filter { norms[$0] > threshold }
    let dropped = (0..<n).filter { norms[$0] <= threshold }
    var dimensionality = [Double](repeating: 0, count: n)
    for i in kept {
      let ni2 = norms[i] * norms[i]
      var shared = 0.0
      for j in kept {
        let g = Double(gram[i * n + j])
        shared += g * g / ni2
      }
      dimensionality[i] = shared > 0 ? ni2 / shared : 0
    }
    var parent = Array(0..<n)
    func find(_ a: Int) -> Int {
      var a = a
      while parent[a] != a {
        parent[a] = parent[parent[a]]
        a = parent[a]
      }
      return a
    }
    for (ai, a) in kept.enumerated() {
      for b in kept[(ai + 1)...] {
        let cos = Double(gram[a * n + b]) / (norms[a] * norms[b])
        if abs(cos) > linkCosine { parent[find(a)] = find(b) }
      }
    }
    var members: [Int: [Int]] = [:]
    for i in kept { members[find(i), default: []].append(i) }
    var groups: [Group] = members.values.flatMap { f -> [Group] in
      let k = f.count
      let meanD = f.map { dimensionality[$0] }.reduce(0, +) / Double(k)
      let d = max(1, Int((Double(k) * meanD).rounded()))
      let target = Double(d) / Double(k)
      let tight = f.allSatisfy { abs(dimensionality[$0] - target) <= tolerance }
      if tight && d == k {
        // k features with a dimension each, only slightly non-orthogonal: dedicated.
        return f.sorted().map {
          Group(features: [$0], dimensions: 1, name: "dedicated", isTightFrame: true)
        }
      }
      let name = tight ? (TightFrame.name(k: k, d: d) ?? "\(d)-D tight frame") : "irregular"
      return [Group(features: f.sorted(), dimensions: d, name: name, isTightFrame: tight)]
    }
    groups.sort { ($0.features.count, -$0.features[0]) > ($1.features.count, -$1.features[0]) }
    return GeometryLabel(groups: groups, dropped: dropped, text: describe(groups, dropped: dropped))
  }

  static func describe(_ groups: [Group], dropped: [Int]) -> String {
    var parts: [String] = []
    var counts: [String: (count: Int, size: Int, d: Int)] = [:]
    var order: [String] = []
    for g in groups {
      let key = g.name == "irregular" ? "irregular-\(g.features.count)-\(g.dimensions)" : g.name
      if counts[key] == nil { order.append(key) }
      counts[key, default: (0, g.features.count, g.dimensions)].count += 1
    }
    for key in order {
      guard let c = counts[key] else { continue }
      let name = key.hasPrefix("irregular") ? "irregular" : key
      switch name {
      case "dedicated": parts.append("\(c.count) dedicated")
      case "antipodal pair":
        parts.append(c.count == 1 ? "1 antipodal pair" : "\(c.count) antipodal pairs")
      case "irregular":
        let group = c.size == 1 ? "1 irregular feature" : "\(c.size) features irregular in \(c.d)-D"
        parts.append(c.count == 1 ? group : "\(c.count)× \(group)")
      default:
        let article = name.first.map { "aeiou".contains($0) } == true ? "an" : "a"
        parts.append(
          c.count == 1
            ? "\(c.size) features in \(article) \(name)" : "\(c.count) \(name)s of \(c.size)")
      }
    }
    if !dropped.isEmpty { parts.append("\(dropped.count) dropped") }
    return parts.isEmpty ? "no features" : parts.joined(separator: ", ")
  }
}
