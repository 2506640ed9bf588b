import Foundation
import TMSCore

/// Every experiment of the paper, trained and checked in order: what `tms reproduce` runs.
public struct Reproduction: Sendable {
  /// The sections, in report order.
  public static let catalogue: [Experiment] = [
    .intro, .basic, .phase21, .phase32, .dimensionality, .neurons, .arrangements,
    .learningDynamics, .adversarial,
  ]

  /// The finished sections.
  public var sections: [SectionResult] = []
  /// Whether the run was `--quick`.
  public var quick: Bool
  /// True when the user stopped the run before every requested section finished.
  public var partial = false
  /// The sections asked for, by name.
  public var requested: [String]
  /// Worker threads.
  public var threads: Int
  /// Wall seconds of the whole run.
  public var seconds: Double = 0

  /// Failed rows over all sections.
  public var failures: Int { sections.map(\.failures).reduce(0, +) }
  /// Rows reported without a verdict because `--quick` cannot judge them.
  public var notJudgedInQuick: Int {
    sections.flatMap(\.rows).filter { $0.tolerance.hasPrefix("not judged in --quick") }.count
  }

  /// The experiments named in `only` (all when empty), refusing an unknown name in one line.
  public static func select(_ only: [String]) throws -> [Experiment] {
    guard !only.isEmpty else { return catalogue }
    return try only.map { name in
      guard let e = catalogue.first(where: { $0.name == name }) else {
        throw ReproductionError(
          "--only: no experiment named \(name) (have: \(catalogue.map(\.name).joined(separator: ", ")))"
        )
      }
      return e
    }
  }

  /// Trains and checks `experiments`; `sectionDone` sees each finished section (the report
  /// is rewritten after each, so an interrupted run keeps them). Stops at the first
  /// cancellation, marking the result partial.
  public static func run(
    _ experiments: [Experiment], quick: Bool, threads: Int,
    isCancelled: @escaping @Sendable () -> Bool,
    progress: @escaping @Sendable (_ section: Int, _ fraction: Double) -> Void,
    sectionDone: (Reproduction) throws -> Void
  ) throws -> Reproduction {
    var result = Reproduction(quick: quick, requested: experiments.map(\.name), threads: threads)
    let clock = ContinuousClock()
    let start = clock.now
    for (index, experiment) in experiments.enumerated() {
      let context = ReproductionContext(
        quick: quick, threads: threads, isCancelled: isCancelled,
        progress: { progress(index, $0) })
      let began = clock.now
      let data: ExperimentData
      do {
        data = try experiment.train(context)
      } catch is ReproductionCancelled {
        result.partial = true
        break
      }
      let rows = experiment.check(data)
      let took = clock.now - began
      result.sections.append(
        SectionResult(
          experiment: experiment, data: data, rows: rows,
          seconds: Double(took.components.seconds) + Double(took.components.attoseconds) * 1e-18))
      let total = clock.now - start
      result.seconds =
        Double(total.components.seconds) + Double(total.components.attoseconds) * 1e-18
      try sectionDone(result)
    }
    if isCancelled() && result.sections.count < experiments.count { result.partial = true }
    return result
  }
}
