import ArgumentParser
import Foundation
import TMSCore
import TMSFiles

/// `tms snapshot-bench`: how long saving (and loading) a snapshot of the largest paper
/// configuration takes — n = 200, m = 20, 20 instances (the dimensionality experiment).
struct SnapshotBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snapshot-bench",
    abstract: "Time saving and loading a snapshot of n=200, m=20, 20 instances.",
    discussion: """
      Saving = copying the state out of the run + encoding the JSON + writing a temporary \
      file, fsync and rename (the full path of `tms train --save` and the explorer's save). \
      Files go to a temporary folder in --folder, removed afterwards.
      """)

  @Option(help: "Repetitions.")
  var repeats: Int = 20
  @Option(help: "Folder to write in (its file system is what is measured).")
  var folder: String = "."
  @Option(help: "Training steps before measuring (so the optimiser state is non-trivial).")
  var warmup: Int = 100
  @Option(help: "Fail (exit 1) when the median save takes longer than this many milliseconds.")
  var budget: Double = 100

  func run() throws {
    guard repeats >= 1 else { throw CLIError("--repeats: must be ≥ 1, got \(repeats)") }
    var c = RunConfig(name: "dimensionality", features: 200, hidden: 20, instances: 20)
    c.setProbabilitySweep(from: 1, to: 0.05)
    let run = try Run(config: c, threads: ProcessInfo.processInfo.activeProcessorCount)
    var history = LossHistory()
    for _ in 0..<max(1, warmup / 10) {
      run.train(steps: 10)
      history.record(step: run.step, losses: run.trainLossEMA)
    }
    let dir = folder + "/.tms-snapshot-bench-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let clock = ContinuousClock()
    var capture: [Double] = []
    var encode: [Double] = []
    var write: [Double] = []
    var total: [Double] = []
    var load: [Double] = []
    var bytes = 0
    for r in 0..<repeats {
      let t0 = clock.now
      let snap = run.snapshot(history: history)
      let t1 = clock.now
      let data = try snap.encoded()
      let t2 = clock.now
      let path = dir + "/bench-\(r).json"
      try AtomicFile.write(data, to: path, replace: false)
      let t3 = clock.now
      _ = try SnapshotStore.load(path)
      let t4 = clock.now
      bytes = data.count
      capture.append((t1 - t0).ms)
      encode.append((t2 - t1).ms)
      write.append((t3 - t2).ms)
      total.append((t3 - t0).ms)
      load.append((t4 - t3).ms)
    }
    func line(_ name: String, _ v: [Double]) -> String {
      let s = v.sorted()
      return String(
        format: "  %@ median %7.2f ms   min %7.2f   max %7.2f",
        name.padding(toLength: 28, withPad: " ", startingAt: 0) as NSString, s[s.count / 2],
        s[0], s[s.count - 1])
    }
    print(
      "tms snapshot-bench: n=200 m=20 K=20 (\(c.model.rawValue)), step \(run.step), \(repeats) saves"
    )
    print(
      "  file size: \(bytes) bytes (\(String(format: "%.2f", Double(bytes) / 1_048_576)) MiB), "
        + "\(ProcessInfo.processInfo.activeProcessorCount) cores, folder \(folder)")
    print(line("copy state out of the run", capture))
    print(line("encode JSON", encode))
    print(line("write + fsync + rename", write))
    print(line("save total", total))
    print(line("load + validate (for info)", load))
    let median = total.sorted()[total.count / 2]
    let ok = median <= budget
    print(
      String(
        format: "  result: %@ (median save %.1f ms, budget %.0f ms)", ok ? "ok" : "SLOW", median,
        budget))
    if !ok { throw ExitCode(1) }
  }
}

extension Duration {
  /// Milliseconds as a Double.
  var ms: Double { secondsValue * 1000 }
}
