import ArgumentParser
import Foundation
import Synchronization
import TMSCore
import TMSFiles

/// `tms sweep run`: any grid (or random points) over any configuration fields, k seeds per
/// point, appended to a result file a line per finished point; resumable and shardable.
struct SweepRun: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Sweep any configuration fields: a result line per point, resumable, shardable.",
    discussion: """
      Each point (one value per axis) trains --seeds models and keeps the one with the lowest \
      held-out loss; every seed is recorded. Points of the same shape train together as the \
      instances of one run, and each point's models depend on its configuration alone, so a \
      shard, a resumed run and a one-machine run write the same lines. Each finished point is \
      appended to --output and flushed; after a kill, --resume skips the finished points.
      """)

  @OptionGroup var sweep: SweepSpecOptions

  @Option(name: [.short, .long], help: "The result file (JSON Lines, one line per point).")
  var output: String

  @Option(help: "Train only shard K of N (0-based, points i with i mod N = K).")
  var shard: String?

  @Flag(help: "Continue an existing result file of this sweep (and shard), skipping its points.")
  var resume = false

  @Flag(help: "Start over when the result file exists (its points are discarded).")
  var force = false

  @Option(help: "Worker threads (default: all cores).")
  var threads: Int?

  @Option(help: "Most models (points × seeds) trained together in one run.")
  var pack: Int = 96

  @Option(help: "Also write the whole result file as CSV to this file when done.")
  var csv: String?

  @Flag(help: "Print the wall time, points/s and model-steps/s when done.")
  var time = false

  func run() throws {
    let spec = try sweep.makeSpec()
    let shard = try parseShard(self.shard)
    guard pack >= 1 && pack <= RunConfig.maxInstances else {
      throw CLIError("--pack: must be an integer in 1…\(RunConfig.maxInstances), got \(pack)")
    }
    if resume && force { throw CLIError("--resume and --force: give one") }
    let threadCount = try resolveThreads(threads)
    let runner: SweepRunner
    do {
      runner = try SweepRunner(
        spec: spec, shard: shard ?? (0, 1), threads: threadCount, packCapacity: pack)
    } catch {
      throw CLIError(cliMessage(error, flag: SweepSpec.flag(forField:)))
    }
    let writer: SweepResultWriter
    do {
      writer = try SweepResultWriter(
        path: output, spec: spec, shard: shard, resume: resume, force: force)
    } catch {
      throw CLIError(error.description)
    }
    if writer.droppedBytes > 0 {
      printError(
        "tms: \(output): dropped a torn last line (\(writer.droppedBytes) bytes) left by an interrupted run"
      )
    }
    let mine = runner.pointIndexes
    let todo = mine.filter { !writer.done.contains($0) }.count
    if writer.done.count > 0 {
      printError(
        "tms: \(output): \(mine.count - todo) of \(mine.count) points already done; \(todo) to go")
    }
    let progress = ProgressBar(total: todo, enabled: stderrIsTTY)
    let clock = ContinuousClock()
    let start = clock.now
    // The packs train on their own thread, so that Ctrl-C, SIGTERM and SIGHUP end the
    // command within 10 ms even mid-pack (a background job ignores SIGINT unless a handler
    // is installed): every finished point is already a whole line of the file, the pack in
    // progress is dropped, and --resume trains it again.
    Interrupt.install()
    let tally = SweepTally()
    let work = UncheckedSendable((runner, writer, progress, writer.done))
    let outcome = Interrupt.waiting(for: { () -> Result<Void, any Error> in
      let (runner, writer, progress, skipping) = work.value
      return Result {
        try runner.run(skipping: skipping) { result in
          try writer.append(result)
          let done = tally.done.add(1, ordering: .relaxed).newValue
          tally.modelSteps.add(
            result.point.seeds * result.point.config.training.steps, ordering: .relaxed)
          progress.update(
            done: done, elapsed: clock.now - start,
            loss: [result.seeds[result.best].evalLoss])
        } packDone: {
          try writer.sync()
        }
      }
    })
    guard let outcome else {
      progress.finish()
      printError(
        "tms: interrupted; \(output) holds \(writer.done.count + tally.done.load(ordering: .relaxed)) of "
          + "\(mine.count) points (--resume continues)")
      Interrupt.exit()
    }
    let done = tally.done.load(ordering: .relaxed)
    let modelSteps = tally.modelSteps.load(ordering: .relaxed)
    do {
      try outcome.get()
    } catch let error as SweepFileError {
      progress.finish()
      throw CLIError(error.description)
    } catch let error as ConfigError {
      progress.finish()
      throw CLIError(cliMessage(error, flag: SweepSpec.flag(forField:)))
    }
    progress.finish()
    let seconds = (clock.now - start).secondsValue
    if let csv {
      try SweepCSV.write(resultsOf: output, to: csv)
    }
    let summary = String(
      format: "%d points trained in %.2f s on %d thread%@ (%d cores): %.1f points/s, %.3g "
        + "model-steps/s (%d seeds per point)%@", done, seconds, threadCount,
      threadCount == 1 ? "" : "s", ProcessInfo.processInfo.activeProcessorCount,
      Double(done) / max(seconds, 1e-9), Double(modelSteps) / max(seconds, 1e-9), spec.seeds,
      writer.done.isEmpty ? "" : "; \(writer.done.count) were already done")
    if time { print(summary) } else { printError("tms: \(summary)") }
  }
}

/// Points finished by a `tms sweep run`, counted on the training thread and read by the main
/// thread (after an interrupt, while that thread may still be counting).
final class SweepTally: Sendable {
  /// Points appended to the result file.
  let done = Atomic<Int>(0)
  /// Model steps of those points (points × seeds × steps).
  let modelSteps = Atomic<Int>(0)
}

/// `tms sweep merge`: shards into one result file, checked.
struct SweepMergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Join the result files of a sweep's shards into one, checking every point.",
    discussion: """
      Refuses, in one line, a file from a different sweep (and says what differs), a point in \
      two files or in the wrong shard, and a point whose configuration is not the sweep's; \
      lists missing points and the shards to run again. The merged file has the points in \
      order, each line copied byte for byte.
      """)

  @Argument(help: "Result files of the shards (any order).")
  var files: [String]

  @Option(name: [.short, .long], help: "The merged result file.")
  var output: String

  @Option(help: "Also write the merged results as CSV to this file.")
  var csv: String?

  @Flag(help: "Replace --output (and --csv) when they exist.")
  var force = false

  @Flag(help: "Merge what is there even when points are missing (they are still listed).")
  var allowMissing = false

  func run() throws {
    guard !files.isEmpty else { throw CLIError("tms sweep merge: give the shards' result files") }
    var inputs: [SweepResults] = []
    do {
      for f in files { inputs.append(try SweepResultFile.read(f)) }
      let merged = try SweepMerge.merge(inputs, allowMissing: allowMissing)
      try AtomicFile.write(merged.bytes, to: output, replace: force)
      if !merged.missing.isEmpty {
        printError(
          "tms: merged \(merged.points) points; \(merged.missing.count) missing: "
            + SweepMerge.ranges(merged.missing))
      } else {
        printError(
          "tms: merged \(merged.points) points from \(files.count) file\(files.count == 1 ? "" : "s") into \(output)"
        )
      }
    } catch let error as SweepFileError {
      throw CLIError(error.description)
    } catch let error as SnapshotError {
      throw CLIError(error.description)
    }
    if let csv { try SweepCSV.write(resultsOf: output, to: csv, force: force) }
  }
}

/// `tms sweep csv`: a result file as CSV.
struct SweepCSV: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "csv",
    abstract: "Write a sweep result file as CSV (one row per point) for spreadsheets and pandas.")

  @Argument(help: "A result file (a shard's, a merged one, or one still growing).")
  var file: String

  @Option(name: [.short, .long], help: "Write to this file instead of stdout.")
  var output: String?

  @Flag(help: "Replace --output when it exists.")
  var force = false

  func run() throws {
    if let output {
      try Self.write(resultsOf: file, to: output, force: force)
    } else {
      let results: SweepResults
      do {
        results = try SweepResultFile.read(file)
      } catch {
        throw CLIError(error.description)
      }
      Output.write(Array(results.csv().utf8))
    }
  }

  /// Reads `path` and writes its CSV to `csv` atomically.
  static func write(resultsOf path: String, to csv: String, force: Bool = true) throws {
    do {
      let results = try SweepResultFile.read(path)
      try AtomicFile.write(Array(results.csv().utf8), to: csv, replace: force)
    } catch let error as SweepFileError {
      throw CLIError(error.description)
    } catch let error as SnapshotError {
      throw CLIError("--csv: \(error.description)")
    }
  }
}
