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

  func run() throws {
    let all = try resolveThreads(threads)
    guard seconds > 0 && seconds.isFinite else {
      throw CLIError("--seconds: must be a number > 0, got \(seconds)")
    }
    print("tms bench: \(cpuModel()), \(ProcessInfo.processInfo.activeProcessorCount) cores")
    print("(PyTorch = the notebook's own loop on PyTorch 2 CPU, this machine kind)")
    let header =
      "config            threads   steps/s  required  PyTorch   × PyTorch  mean eval loss  result"
    print(header)
    var failed = false
    for c in BenchmarkCase.standard() {
      for t in single && all > 1 ? [all, 1] : [all] {
        let (rate, loss) = try measure(c.config, threads: t)
        let torch = t == 1 ? c.pytorchOneThread : c.pytorchTwoThreads
        let ok = t == 1 || rate >= c.required
        failed = failed || !ok
        let required = t == 1 ? "-" : String(Int(c.required))
        print(
          c.name.padding(toLength: 16, withPad: " ", startingAt: 0)
            + String(format: "  %7d  %8.0f  ", t, rate)
            + String(repeating: " ", count: max(0, 8 - required.count)) + required
            + String(format: "  %7.1f  %9.1f×  %14.6f  ", torch, rate / torch, loss)
            + (t == 1 ? "" : ok ? "ok" : "SLOW"))
      }
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print(String(format: "peak resident memory: %.1f MB", Double(usage.ru_maxrss) / 1024))
    if failed { throw ExitCode(1) }
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
