import TMSKernels

/// The four toy models of the paper (Elhage et al. 2022, §2 of the notes).
///
/// With W ∈ ℝ^{m×n} whose column W_i is feature i's direction and the output bias b ∈ ℝⁿ:
/// - `linear`:       h = W x,         x' = Wᵀh + b
/// - `reluOutput`:   h = W x,         x' = ReLU(Wᵀh + b)          (the main model)
/// - `reluHidden`:   h = ReLU(W x),   x' = ReLU(Wᵀh + b)          (privileged basis)
/// - `abs`:          h = ReLU(W₁x),   y' = ReLU(W₂h + b), target |x|, x ∈ [−1, 1]
///   (untied W₁ ∈ ℝ^{m×n}, W₂ ∈ ℝ^{n×m}; computation in superposition).
public enum ModelKind: String, Sendable, CaseIterable {
  case linear
  case reluOutput = "relu-output"
  case reluHidden = "relu-hidden"
  case abs

  /// What the kernels compute for this model. Every other property derives from this
  /// exhaustive switch, so a new kind is a compile error here until it is described.
  package var kernel: KernelModel {
    switch self {
    case .linear:
      KernelModel(tied: true, hiddenReLU: false, outputReLU: false, signedInputs: false)
    case .reluOutput:
      KernelModel(tied: true, hiddenReLU: false, outputReLU: true, signedInputs: false)
    case .reluHidden:
      KernelModel(tied: true, hiddenReLU: true, outputReLU: true, signedInputs: false)
    case .abs:
      KernelModel(tied: false, hiddenReLU: true, outputReLU: true, signedInputs: true)
    }
  }

  /// True when the hidden layer has a ReLU, which gives it a privileged basis (neurons).
  public var hasHiddenReLU: Bool { kernel.hiddenReLU }
  /// True when the output has a ReLU.
  public var hasOutputReLU: Bool { kernel.outputReLU }
  /// True when encoder and decoder share W (all but `abs`).
  public var isTied: Bool { kernel.tied }
  /// True when active feature values are drawn from [−1, 1] and the target is |x|.
  public var isSigned: Bool { kernel.signedInputs }
}
