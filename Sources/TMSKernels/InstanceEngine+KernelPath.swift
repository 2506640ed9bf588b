/// Which of the training kernels computes an instance's steps. Chosen from the model's shape
/// and mean p alone (never from the thread count), so a run's results do not depend on it
/// being observed or on where it runs.
package enum KernelPath: String, Sendable, CaseIterable {
  /// Samples in SIMD lanes (n·m ≤ 256), including the 5→2 special case.
  case samplesInLanes
  /// Tiled, the encoder and ∂ℓ/∂W₁ as dense blocked products.
  case tiledDense
  /// Tiled, the encoder and ∂ℓ/∂W₁ over each sample's active inputs.
  case tiledSparse
  /// Through the Gram matrix WᵀW (tied models without a hidden ReLU, sparse inputs).
  case gram
}

extension InstanceEngine {
  /// The kernel this instance's steps run through.
  package var path: KernelPath {
    if useSmallKernel { return .samplesInLanes }
    if useGram { return .gram }
    return denseInputs ? .tiledDense : .tiledSparse
  }

  /// The paths this instance can run: the samples-in-lanes kernel alone for small models,
  /// otherwise both tiled paths and, for eligible models, the Gram kernel.
  package var availablePaths: [KernelPath] {
    if useSmallKernel { return [.samplesInLanes] }
    return gram.count > 0 ? [.tiledDense, .tiledSparse, .gram] : [.tiledDense, .tiledSparse]
  }

  /// Runs the following steps through `path` (one of ``availablePaths``) until the data is
  /// next applied: for tests that check every path's gradients on one model.
  package func force(_ path: KernelPath) {
    precondition(availablePaths.contains(path), "\(path) is not available for this model")
    useGram = path == .gram
    denseInputs = path == .tiledDense
  }
}
