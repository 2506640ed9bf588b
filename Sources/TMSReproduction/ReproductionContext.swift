import TMSCore

/// Thrown when the user stopped a reproduction (Ctrl-C): the section in progress is dropped,
/// the finished ones are kept.
public struct ReproductionCancelled: Error, Sendable {
  /// Creates the error.
  public init() {}
}

/// What a section trains with: the run's size (full or `--quick`), threads, and the hooks for
/// cancellation and progress.
public struct ReproductionContext: Sendable {
  /// Shorter runs and fewer seeds (documented per section in the report).
  public var quick: Bool
  /// Worker threads per run.
  public var threads: Int
  /// Returns true once the user asked to stop.
  public var isCancelled: @Sendable () -> Bool
  /// Receives the section's progress in [0, 1].
  public var progress: @Sendable (Double) -> Void

  /// A context.
  public init(
    quick: Bool, threads: Int, isCancelled: @escaping @Sendable () -> Bool = { false },
    progress: @escaping @Sendable (Double) -> Void = { _ in }
  ) {
    self.quick = quick
    self.threads = threads
    self.isCancelled = isCancelled
    self.progress = progress
  }

  /// `full` normally, `quick` under `--quick`.
  public func pick<T>(full: T, quick: T) -> T { self.quick ? quick : full }

  /// Throws ``ReproductionCancelled`` once the user asked to stop.
  public func checkCancelled() throws(ReproductionCancelled) {
    if isCancelled() { throw ReproductionCancelled() }
  }
}
