import ArgumentParser
import Foundation
import TMSCore
import TMSFiles

/// `tms bench`: steps/s of the standard configurations, against the PyTorch notebook.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure training speed on the standard configurations.")

  @Option(help: "Worker threads (default: all cores).")
  var threads: Int?

  @Option(help: "Seconds of timed training per configuration and thread count.")
  var seconds: Double = 3

  @Flag(help: "Also measure with one thread.")
  var single = false

  @Option(
    help: ArgumentHelp(
      "Where PyTorch's figures come from: auto, recorded or a FILE.",
      discussion: """
        auto (the default) runs scripts/pytorch-bench.py first, on this machine, when python3 \
        can import torch, and otherwise uses the figures recorded on the project's machine \
        kind; recorded always uses those; FILE reads the script's --json output.
        """, valueName: "auto|recorded|FILE"))
  var pytorch = "auto"

  func run() throws {
    let all = try resolveThreads(threads)
    guard seconds > 0 && seconds.isFinite else {
      throw CLIError("--seconds: must be a number > 0, got \(seconds)")
    }
    let cases = BenchmarkCase.standard()
    let counts = single && all > 1 ? [all, 1] : [all]
    let torch = try pytorchFigures(cases, threads: counts)
    print("tms bench: \(cpuModel()), \(ProcessInfo.processInfo.activeProcessorCount) cores")
    print("kernels of the large models: \(KernelInstructionSet.summary)")
    print(torch.source)
    let header =
      "config                 threads   steps/s  required   PyTorch   × PyTorch  mean eval loss"
      + "  result"
    print(header)
    var failed = false
    for c in cases {
      for t in counts {
        let (rate, loss) = try measure(c.config, threads: t)
        let reference = torch.rate(c.name, threads: t)
        let ratio = reference.map { rate / $0 }
        let fast = t == 1 || rate >= c.required
        let ratioMet =
          t == 1 || !torch.measuredHere || c.requiredRatio == nil
          || (ratio ?? 0) >= c.requiredRatio!
        failed = failed || !fast || !ratioMet
        let required =
          t == 1
          ? "-" : String(Int(c.required)) + (c.requiredRatio.map { ",\(Int($0))×" } ?? "")
        let verdict = t == 1 ? "" : !fast ? "SLOW" : !ratioMet ? "SLOW vs PyTorch" : "ok"
        print(
          c.name.padding(toLength: 21, withPad: " ", startingAt: 0)
            + String(format: "  %7d  %8.0f  ", t, rate)
            + String(repeating: " ", count: max(0, 9 - required.count)) + required
            + (reference.map { String(format: "  %8.1f", $0) } ?? "         -")
            + (ratio.map { String(format: "  %9.1f×", $0) } ?? "           -")
            + String(format: "  %14.6f  ", loss) + verdict)
      }
    }
    print(String(format: "peak resident memory: %.1f MB", PeakMemory.megabytes))
    if failed { throw ExitCode(1) }
  }

  /// PyTorch's figures as `--pytorch` asks: measured now, read from a file, or recorded.
  func pytorchFigures(_ cases: [BenchmarkCase], threads: [Int]) throws -> PyTorchFigures {
    switch pytorch {
    case "recorded":
      return .recorded(cases, reason: "--pytorch recorded")
    case "auto":
      switch PyTorchFigures.measure(seconds: seconds, threads: threads) {
      case .success(let figures): return figures
      case .failure(let why): return .recorded(cases, reason: "could not run PyTorch: \(why)")
      }
    default:
      let bytes: [UInt8]
      do {
        bytes = try FileReading.read(pytorch, limit: 1 << 20, what: "PyTorch figures")
      } catch {
        throw CLIError("--pytorch \(pytorch): \(error)")
      }
      var figures = try PyTorchFigures.parse(bytes, file: pytorch)
      figures.source = "PyTorch: read from \(pytorch) (\(figures.source))"
      return figures
    }
  }

  /// Steps/s after a warm-up, and the mean held-out loss reached.
  func measure(_ config: RunConfig, threads: Int) throws -> (Double, Double) {
    let run = try Run(config: config, threads: threads)
    run.train(steps: 20)
    let clock = ContinuousClock()
    let start = clock.now
    var steps = 0
    var chunk = 10
    while true {
      let t0 = clock.now
      run.train(steps: chunk)
      steps += chunk
      let elapsed = clock.now - start
      if elapsed >= .seconds(seconds) { break }
      let dt = clock.now - t0
      if dt < .milliseconds(100) { chunk *= 2 }
    }
    let secs = (clock.now - start).secondsValue
    let losses = run.evaluate(samples: 8192)
    return (Double(steps) / secs, losses.reduce(0, +) / Double(losses.count))
  }

  func cpuModel() -> String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
      return "unknown CPU"
    }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
      return line.split(separator: ":", maxSplits: 1).last.map {
        $0.trimmingCharacters(in: .whitespaces)
      } ?? "unknown CPU"
    }
    return "unknown CPU"
  }
}
