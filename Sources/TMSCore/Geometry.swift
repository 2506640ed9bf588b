import TMSKernels

/// Names the arrangement the features of one instance have settled into.
///
/// Theory (paper §7 of the notes): k equal-norm features forming a tight frame in a
/// d-dimensional subspace orthogonal to the rest have D_i = d/k each. So the labeller
/// 1. keeps the represented features (‖W_i‖ above the threshold);
/// 2. calls a feature with D_i ≥ `dedicatedAbove` (0.95) dedicated and sets it aside, and
///    likewise features pointing the same way (cos > 0.95) as a collapsed pair (or set);
/// 3. links two of the others when their directions interfere, |Ŵ_i·Ŵ_j| > `linkCosine`,
///    and takes connected components (features of one polytope are linked through their
///    neighbours; orthogonal polytopes stay apart);
/// 4. for a component of k features finds d = round(k · mean D_i) and accepts the named
///    arrangement when every D_i lies within `tolerance` of d/k (two features on one line
///    are an antipodal pair when opposite, a collapsed pair when pointing the same way).
/// `2 antipodal pairs, 1 dedicated`, `5 features in a pentagon, 2 dropped` are typical labels.
public struct GeometryLabel: Sendable, Equatable {
  /// One group of features sharing a subspace.
  public struct Group: Sendable, Equatable {
    /// The features, zero-based.
    public var features: [Int]
    /// The subspace dimension d implied by the D_i (d = k · D).
    public var dimensions: Int
    /// The arrangement's name (`pentagon`, `antipodal pair`, `collapsed pair`, `collapsed set`,
    /// `2-D tight frame of 9`, …) or `irregular`.
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
  /// Features with ‖W_i‖ ≤ `threshold` are dropped. Dimensionalities are counted *among kept
  /// features*, D_i = ‖W_i‖² / Σ_{j kept} (Ŵ_i·W_j)², so a dropped feature's small leftover
  /// weight along a dedicated direction does not turn "2 dedicated, 3 dropped" into
  /// "irregular". Kept features with D_i ≥ `dedicatedAbove` own a dimension and are peeled
  /// off as dedicated before linking, so a slight tilt towards a neighbour neither drags
  /// them into an "irregular" group nor spoils the neighbour's arrangement. The rest are
  /// linked when |cos(W_a, W_b)| > `linkCosine`; for each linked group of k features,
  /// d = round(k · mean D_i). The D_i *say the frame* when every D_i is within `tolerance` of
  /// d/k; the arrangement is then named only when it also passes `regularity` (D_i, norms and,
  /// for d ≤ 2, the angular gaps between consecutive directions; see
  /// ``GeometryLabel/Regularity``) and is called `near-<name>` otherwise. A regular square is
  /// reported as its two diagonals, `2 antipodal pairs`, so the label does not depend on
  /// whether the pairs are orthogonal enough to stay unlinked.
  ///
  /// `groups` are the run's feature groups: with anticorrelated groups, the antipodal pairs'
  /// phrase says whether the partners are the anticorrelated pairs. (A model that keeps no
  /// feature but shares a projection among all of them is labelled by
  /// ``sharedProjection(directions:gram:hidden:norms:tolerance:)`` instead.)
  ///
  /// The default `dedicatedAbove` = 0.95 lets a feature spend up to ~5% of its norm² on
  /// interference (three features at pairwise |cos| 0.15 have D ≈ 0.957 and stay "3 dedicated"
  /// instead of flipping with training jitter), while a feature with a clearly tilted
  /// neighbour (|cos| ≈ 0.4, D ≈ 0.91) stays in its group; it is far above 4/5, the largest
  /// named fraction below 1, so no named frame is ever peeled apart.
  public static func classify(
    gram: [Float], norms: [Double], threshold: Double = 0.5,
    linkCosine: Double = 0.05, tolerance: Double = 0.04, dedicatedAbove: Double = 0.95,
    collapsedCosine: Double = 0.95, regularity: Regularity = Regularity(),
    groups featureGroups: [FeatureGroup] = []
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
    func dedicated(_ i: Int) -> Group {
      Group(features: [i], dimensions: 1, name: "dedicated", isTightFrame: true)
    }
    let peeled = kept.filter { dimensionality[$0] >= dedicatedAbove }
    // Features pointing the same way (cos > `collapsedCosine`) collapsed onto one direction
    // (correlated features the model stores as their sum): each such set is its own group,
    // and the rest of the arrangement is judged without it.
    var collapsedGroups: [Group] = []
    var collapsedMembers = Set<Int>()
    for a in kept where !collapsedMembers.contains(a) && dimensionality[a] < dedicatedAbove {
      let same = kept.filter { b in
        b != a && !collapsedMembers.contains(b) && dimensionality[b] < dedicatedAbove
          && Double(gram[a * n + b]) / (norms[a] * norms[b]) > collapsedCosine
      }
      guard !same.isEmpty else { continue }
      let f = ([a] + same).sorted()
      collapsedMembers.formUnion(f)
      let alone = f.allSatisfy { abs(dimensionality[$0] - 1 / Double(f.count)) <= tolerance }
      collapsedGroups.append(
        Group(
          features: f, dimensions: 1,
          name: f.count == 2 ? "collapsed pair" : "collapsed set", isTightFrame: alone))
    }
    let linked = kept.filter {
      dimensionality[$0] < dedicatedAbove && !collapsedMembers.contains($0)
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
    for (ai, a) in linked.enumerated() {
      for b in linked[(ai + 1)...] {
        let cos = Double(gram[a * n + b]) / (norms[a] * norms[b])
        if abs(cos) > linkCosine { parent[find(a)] = find(b) }
      }
    }
    var members: [Int: [Int]] = [:]
    for i in linked { members[find(i), default: []].append(i) }
    let shape = Shape(gram: gram, norms: norms, dimensionality: dimensionality)
    var groups: [Group] = peeled.map(dedicated) + collapsedGroups
    groups += members.values.flatMap { f -> [Group] in
      let f = f.sorted()
      let k = f.count
      let meanD = f.map { dimensionality[$0] }.reduce(0, +) / Double(k)
      let d = max(1, Int((Double(k) * meanD).rounded()))
      let target = Double(d) / Double(k)
      let tight = f.allSatisfy { abs(dimensionality[$0] - target) <= tolerance }
      // k features with a dimension each, only slightly non-orthogonal: dedicated.
      if tight && d == k { return f.map(dedicated) }
      guard tight else {
        return [Group(features: f, dimensions: d, name: "irregular", isTightFrame: false)]
      }
      if k == 2 && d == 1 && gram[f[0] * n + f[1]] > 0 {
        // Both on one line pointing the same way: a correlated pair that collapsed onto one
        // direction.
        return [Group(features: f, dimensions: 1, name: "collapsed pair", isTightFrame: true)]
      }
      if k == 4 && d == 2, let pairs = shape.antipodalPairs(f, regularity: regularity) {
        return pairs.map {
          Group(features: $0, dimensions: 1, name: "antipodal pair", isTightFrame: true)
        }
      }
      let named = k == 2 && d == 1 ? "antipodal pair" : TightFrame.name(k: k, d: d)
      let regular = shape.isRegular(
        f, dimensions: d, checkAngles: named != nil && d <= 2, regularity: regularity)
      let name = named ?? unnamedTightFrame(k: k, d: d)
      return [
        Group(
          features: f, dimensions: d, name: regular ? name : "near-" + name, isTightFrame: true)
      ]
    }
    groups.sort { ($0.features.count, -$0.features[0]) > ($1.features.count, -$1.features[0]) }
    let anticorrelated = featureGroups.filter { $0.kind == .anticorrelated }.map {
      Set($0.features)
    }
    return GeometryLabel(
      groups: groups, dropped: dropped,
      text: describe(groups, dropped: dropped, anticorrelated: anticorrelated))
  }

  /// The name of a tight frame of k features in d dimensions without a name of its own.
  static func unnamedTightFrame(k: Int, d: Int) -> String { "\(d)-D tight frame of \(k)" }

  /// One phrase per kind of group (same name, size and dimension), in the groups' order.
  /// With `anticorrelated` sets, antipodal pairs say whether they are those sets
  /// (`2 antipodal pairs (the anticorrelated pairs)`, `(not the anticorrelated pairs)`,
  /// `(1 of them an anticorrelated pair)`).
  static func describe(
    _ groups: [Group], dropped: [Int], anticorrelated: [Set<Int>] = []
  ) -> String {
    struct Kind: Hashable {
      var name: String
      var size: Int
      var dimensions: Int
    }
    var counts: [Kind: Int] = [:]
    var partnered: [Kind: Int] = [:]
    var order: [Kind] = []
    for g in groups {
      let kind = Kind(name: g.name, size: g.features.count, dimensions: g.dimensions)
      if counts[kind] == nil { order.append(kind) }
      counts[kind, default: 0] += 1
      if anticorrelated.contains(where: { Set(g.features).isSubset(of: $0) }) {
        partnered[kind, default: 0] += 1
      }
    }
    var parts: [String] = []
    for kind in order {
      let count = counts[kind] ?? 0
      let (name, k, d) = (kind.name, kind.size, kind.dimensions)
      let near = name.hasPrefix("near-")
      let base = near ? String(name.dropFirst(5)) : name
      switch base {
      case "dedicated": parts.append("\(count) dedicated")
      case "antipodal pair":
        let phrase = count == 1 ? "1 \(name)" : "\(count) \(name)s"
        let note =
          anticorrelated.isEmpty
          ? "" : " " + partners(partnered[kind] ?? 0, of: count)
        parts.append(phrase + note)
      case "collapsed pair":
        parts.append(count == 1 ? "1 \(name)" : "\(count) \(name)s")
      case "collapsed set":
        let group = "\(k) features collapsed onto one direction"
        parts.append(count == 1 ? group : "\(count)× \(group)")
      case "irregular":
        let group = k == 1 ? "1 irregular feature" : "\(k) features irregular in \(d)-D"
        parts.append(count == 1 ? group : "\(count)× \(group)")
      case unnamedTightFrame(k: k, d: d):
        let frame = "\(d)-D tight frame"
        let one =
          near
          ? "\(k) features near \(article(frame)) \(frame)"
          : "\(k) features in \(article(frame)) \(frame)"
        parts.append(count == 1 ? one : "\(count) \(near ? "near-" : "")\(frame)s of \(k)")
      default:
        parts.append(
          count == 1
            ? "\(k) features in \(article(name)) \(name)" : "\(count) \(plural(name)) of \(k)")
      }
    }
    if !dropped.isEmpty { parts.append("\(dropped.count) dropped") }
    return parts.isEmpty ? "no features" : parts.joined(separator: ", ")
  }

  /// Whether `count` antipodal pairs, `partnered` of them anticorrelated pairs, are the
  /// anticorrelated pairs, in brackets.
  static func partners(_ partnered: Int, of count: Int) -> String {
    if count == 1 {
      return partnered == 1 ? "(an anticorrelated pair)" : "(not an anticorrelated pair)"
    }
    if partnered == count { return "(the anticorrelated pairs)" }
    if partnered == 0 { return "(not the anticorrelated pairs)" }
    return
      "(\(partnered) of them \(partnered == 1 ? "an anticorrelated pair" : "anticorrelated pairs"))"
  }

  /// "a" or "an" before `word` as read aloud, numerals included ("an 8-D", "an 11-D",
  /// "a 4-simplex", "an icosahedron").
  static func article(_ word: String) -> String {
    let digits = word.prefix { $0.isASCII && $0.isNumber }
    if !digits.isEmpty {
      // eight…, eighty…, eight hundred…; eleven / eighteen (thousand, million, …).
      let an =
        digits.hasPrefix("8")
        || ((digits.hasPrefix("11") || digits.hasPrefix("18")) && digits.count % 3 == 2)
      return an ? "an" : "a"
    }
    return word.first.map { "aeiou".contains($0) } == true ? "an" : "a"
  }

  /// The plural of an arrangement's name ("4-simplices", "pentagons").
  static func plural(_ name: String) -> String {
    name.hasSuffix("simplex") ? String(name.dropLast(2)) + "ices" : name + "s"
  }
}
