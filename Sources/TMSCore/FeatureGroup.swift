import TMSKernels

/// A set of features whose activity is drawn jointly instead of independently.
///
/// - `correlated`: one draw with the set's probability p decides whether the whole set is
///   active; the active values are then independent uniforms.
/// - `anticorrelated`: with probability p the set is active, and then exactly one member,
///   chosen uniformly, is; each member's density is p/k.
///
/// The set's p is the mean of its members' `featureProbability` in that instance.
public struct FeatureGroup: Sendable, Hashable {
  /// How the members' activity is coupled.
  public enum Kind: String, Sendable, CaseIterable {
    case correlated, anticorrelated
  }
  /// How the members' activity is coupled.
  public var kind: Kind
  /// Zero-based feature indexes, at least two, disjoint from every other group.
  public var features: [Int]

  /// Creates a group.
  public init(kind: Kind, features: [Int]) {
    self.kind = kind
    self.features = features
  }

  /// The group as the kernels draw it.
  package var kernel: KernelGroup {
    switch kind {
    case .correlated: KernelGroup(correlated: true, members: features)
    case .anticorrelated: KernelGroup(correlated: false, members: features)
    }
  }

  /// `count` groups of `size` consecutive features starting at feature 0.
  public static func consecutive(_ kind: Kind, count: Int, size: Int) -> [FeatureGroup] {
    (0..<count).map { g in FeatureGroup(kind: kind, features: Array(g * size..<(g + 1) * size)) }
  }
}
