import ArgumentParser
import Foundation
import TMSFiles
import TMSReproduction

/// `tms reproduce`: every experiment of the paper trained, checked against the paper's
/// numbers, and written up as a report with figures and a JSON of every number.
struct Reproduce: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train every experiment of the paper and check its claims (report, figures, JSON).",
    discussion: """
      Writes DIR/report.md (a table per experiment: quantity | paper | tms | tolerance | \
      verdict), DIR/figures/*.svg and DIR/results.json, rewritten after each section, so \
      Ctrl-C keeps the finished sections in a report marked partial. Exit status 1 when any \
      verdict fails. Experiments: \(Reproduction.catalogue.map(\.name).joined(separator: ", ")).
      """)

  @Flag(help: "Shorter runs and fewer seeds (each section's header says what it ran).")
  var quick = false

  @Option(help: ArgumentHelp("Folder for the report, figures and results.json.", valueName: "dir"))
  var out: String = "reproduction"

  @Option(
    parsing: .upToNextOption,
    help: ArgumentHelp("Run only these experiments.", valueName: "name"))
  var only: [String] = []

  @Option(help: "Worker threads (default: all cores).")
  var threads: Int?

  func run() throws {
    let threadCount = try resolveThreads(threads)
    let experiments: [Experiment]
    do { experiments = try Reproduction.select(only) } catch { throw CLIError("\(error)") }
    let folder = ReportFolder(path: out)
    do { try folder.prepare() } catch { throw CLIError("\(error)") }
    Interrupt.install()
    let bar = SectionProgress(names: experiments.map(\.name), enabled: stderrIsTTY)
    let result = try Reproduction.run(
      experiments, quick: quick, threads: threadCount, isCancelled: { Interrupt.requested },
      progress: { bar.update(section: $0, fraction: $1) },
      sectionDone: { partial in
        let last = partial.sections[partial.sections.count - 1]
        bar.finished(last)
        var writing = partial
        writing.partial = partial.sections.count < experiments.count
        try folder.write(writing, interrupted: false)
      })
    bar.clear()
    if result.partial {
      try folder.write(result, interrupted: true)
      printError(
        "interrupted: \(result.sections.count) of \(experiments.count) sections kept in \(folder.report)"
      )
      Interrupt.exit()
    }
    try folder.write(result, interrupted: false)
    let rows = result.sections.flatMap(\.rows)
    print(
      "\(rows.filter { $0.verdict == .pass }.count) passed, \(result.failures) failed, "
        + "\(rows.filter { $0.verdict == .info }.count) reported without a verdict"
        + (quick ? " (\(result.notJudgedInQuick) of them not judged in --quick)" : "")
        + String(format: " in %.0f s; report: %@", result.seconds, folder.report))
    if result.failures > 0 { throw ExitCode(1) }
  }
}

/// One line per finished section, and a bar for the one running when stderr is a terminal.
final class SectionProgress: @unchecked Sendable {
  let names: [String]
  let enabled: Bool
  private let lock = NSLock()
  private var lastDraw = ContinuousClock.now - .seconds(1)

  init(names: [String], enabled: Bool) {
    self.names = names
    self.enabled = enabled
  }

  func update(section: Int, fraction: Double) {
    guard enabled else { return }
    lock.lock()
    defer { lock.unlock() }
    let now = ContinuousClock.now
    guard now - lastDraw >= .milliseconds(100) else { return }
    lastDraw = now
    let width = 30
    let filled = max(0, min(width, Int(fraction * Double(width))))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    Output.error(
      "\r\u{1B}[2K[\(section + 1)/\(names.count)] \(names[section]) \(bar) \(Int(fraction * 100))%")
  }

  func finished(_ section: SectionResult) {
    lock.lock()
    defer { lock.unlock() }
    if enabled { Output.error("\r\u{1B}[2K") }
    let rows = section.rows
    let passed = rows.filter { $0.verdict == .pass }.count
    let failed = section.failures
    Output.error(
      String(
        format: "%@ %@: %d passed, %d failed, %d info, %.1f s\n",
        failed > 0 ? "FAIL" : "ok  ", section.experiment.name, passed, failed,
        rows.count - passed - failed, section.seconds))
  }

  func clear() {
    if enabled { Output.error("\r\u{1B}[2K") }
  }
}
