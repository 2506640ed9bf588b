import TMSCore

/// One experiment of the paper as `tms reproduce` runs it: what the paper claims, how tms
/// trains it (full or `--quick`), and the rules that turn the trained models into verdicts.
///
/// Training and checking are separate so a test can hand `check` known weights — the right
/// ones and wrong ones — without training.
public struct Experiment: Sendable {
  /// Short name, used by `--only`, file names and results.json.
  public var name: String
  /// Section title.
  public var title: String
  /// The paper's claim in one sentence.
  public var claim: String
  /// How the section is trained, in the report's words (seeds, steps, sizes; full and quick).
  public var setup: @Sendable (_ quick: Bool) -> String
  /// Trains the models the checks need.
  public var train: @Sendable (ReproductionContext) throws -> ExperimentData
  /// The verdict table.
  public var check: @Sendable (ExperimentData) -> [ClaimRow]
}

/// What a section trained: best-of-seeds runs by role, a phase diagram, a recorded history.
public struct ExperimentData: Sendable {
  /// Trained runs by role ("relu-output", "linear", …), in training order.
  public var runs: [(role: String, run: TrainedRun)] = []
  /// A phase diagram, for the phase-change sections.
  public var phase: PhaseSweepResult?
  /// Loss and every D_i at recorded steps, for learning dynamics.
  public var history: TrainingHistory?
  /// Whether the run was the `--quick` size.
  public var quick: Bool

  /// Empty data for a quick or full run.
  public init(quick: Bool) { self.quick = quick }

  /// The run trained for `role`.
  public func run(_ role: String) -> TrainedRun? { runs.first { $0.role == role }?.run }

  /// Seeds tried, summed over the runs (phase cells count their seeds).
  public var seedsUsed: Int {
    runs.map { $0.run.seeds }.reduce(0, +)
      + (phase?.seedsTrained ?? 0)
      + (history == nil ? 0 : 1)
  }
}

/// Loss and D_i of one instance at chosen steps.
public struct TrainingHistory: Sendable, Equatable {
  /// The steps recorded, increasing.
  public var steps: [Int] = []
  /// Held-out loss at each step (notebook convention).
  public var loss: [Double] = []
  /// D_i at each step: `dimensionality[t][i]`.
  public var dimensionality: [[Double]] = []
  /// ‖W_i‖ at each step.
  public var norms: [[Double]] = []

  /// An empty history.
  public init() {}
}

/// A finished section: its experiment, data, verdicts and cost.
public struct SectionResult: Sendable {
  /// The experiment.
  public var experiment: Experiment
  /// What it trained.
  public var data: ExperimentData
  /// The verdict table.
  public var rows: [ClaimRow]
  /// Wall seconds spent training and checking.
  public var seconds: Double

  /// Rows that failed.
  public var failures: Int { rows.filter { $0.verdict == .fail }.count }
}
