/// What one instance's kernels compute, in the terms the maths needs.
///
/// With pre = W₁x, h = σ_h(pre), out = W₂h + b, y = σ_o(out) and target t:
/// - `tied`: W₂ = W₁ᵀ (one matrix W encodes and decodes);
/// - `hiddenReLU`: σ_h = ReLU, else the identity;
/// - `outputReLU`: σ_o = ReLU, else the identity;
/// - `signedInputs`: active values are uniform on [−1, 1] and t = |x|, else on [0, 1] and t = x.
/// The engine's model kinds map onto these flags; the kernels know nothing else about them.
package struct KernelModel: Sendable, Equatable {
  package var tied: Bool
  package var hiddenReLU: Bool
  package var outputReLU: Bool
  package var signedInputs: Bool

  package init(tied: Bool, hiddenReLU: Bool, outputReLU: Bool, signedInputs: Bool) {
    self.tied = tied
    self.hiddenReLU = hiddenReLU
    self.outputReLU = outputReLU
    self.signedInputs = signedInputs
  }
}

/// A set of features drawn jointly: `correlated` (one draw makes the whole set active) or
/// not (anticorrelated: when the set is active, exactly one member, chosen uniformly, is).
package struct KernelGroup: Sendable, Equatable {
  package var correlated: Bool
  package var members: [Int]

  package init(correlated: Bool, members: [Int]) {
    self.correlated = correlated
    self.members = members
  }
}

/// The data and loss settings of one instance that can change between two steps.
package struct KernelData: Sendable, Equatable {
  /// p_i, one per feature.
  package var featureProbability: [Double]
  /// I_i, one per feature.
  package var importance: [Double]
  /// Jointly drawn sets (a grouped feature's own p is replaced by its set's mean p).
  package var groups: [KernelGroup]
  /// Samples per step.
  package var batchSize: Int

  package init(
    featureProbability: [Double], importance: [Double], groups: [KernelGroup], batchSize: Int
  ) {
    self.featureProbability = featureProbability
    self.importance = importance
    self.groups = groups
    self.batchSize = batchSize
  }
}
