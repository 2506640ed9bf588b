/// One instance's trainable parameters in the paper's orientation.
///
/// `W[i]` is feature i's direction W_i ∈ ℝᵐ (the i-th column of W ∈ ℝ^{m×n}); for `abs` it is
/// the encoder W₁'s column and `W2[i]` the decoder W₂'s row i (feature i's output weights).
/// `b` is the output bias. Values are Float, as trained.
public struct Parameters: Sendable, Equatable {
  /// Feature directions, n arrays of length m.
  public var W: [[Float]]
  /// For `abs` only: decoder rows, n arrays of length m; `nil` for tied models.
  public var W2: [[Float]]?
  /// Output bias, length n.
  public var b: [Float]

  /// Creates parameters.
  public init(W: [[Float]], W2: [[Float]]? = nil, b: [Float]) {
    self.W = W
    self.W2 = W2
    self.b = b
  }

  /// True when every value is finite.
  public var isFinite: Bool {
    W.allSatisfy { $0.allSatisfy(\.isFinite) } && b.allSatisfy(\.isFinite)
      && (W2?.allSatisfy { $0.allSatisfy(\.isFinite) } ?? true)
  }
}

/// Loss and gradient of one instance on a given batch, as the training kernels compute them.
public struct LossAndGradient: Sendable {
  /// Notebook-convention loss: mean over batch and features of I_i (target_i − x'_i)².
  public var loss: Double
  /// ∂loss/∂parameters, laid out like ``Parameters``.
  public var gradient: Parameters
}
