import Foundation
import TMSCore
import TMSFiles

/// PyTorch's steps/s per benchmark configuration and thread count, and where they came from.
struct PyTorchFigures {
  /// One line for the report: measured now, read from a file, or recorded constants.
  var source: String
  /// Whether the figures were measured on this machine (now or in the file), so that a
  /// ratio against them is a requirement rather than a hint.
  var measuredHere: Bool
  /// Steps/s by configuration name, then thread count.
  var rates: [String: [Int: Double]]

  /// PyTorch's steps/s on configuration `name` with `threads` threads, if known.
  func rate(_ name: String, threads: Int) -> Double? { rates[name]?[threads] }

  /// The constants recorded on the project's machine kind, for when PyTorch cannot run.
  static func recorded(_ cases: [BenchmarkCase], reason: String) -> PyTorchFigures {
    var rates: [String: [Int: Double]] = [:]
    for c in cases { rates[c.name] = [2: c.pytorchTwoThreads, 1: c.pytorchOneThread] }
    return PyTorchFigures(
      source:
        "PyTorch: figures recorded on a 2-core AMD EPYC (Zen 4), not this machine (\(reason))",
      measuredHere: false, rates: rates)
  }

  /// Figures from `scripts/pytorch-bench.py --json` output: {"torch": version,
  /// "steps_per_second": {config: {threads: rate}}}.
  static func parse(_ bytes: [UInt8], file: String) throws -> PyTorchFigures {
    let root = try JSONDocument.parse(bytes, file: file)
    guard case .object(let top) = root, case .object(let table)? = top["steps_per_second"] else {
      throw CLIError(
        "\(file): not the output of scripts/pytorch-bench.py --json (no steps_per_second)")
    }
    var rates: [String: [Int: Double]] = [:]
    for name in table.keys {
      guard case .object(let byThreads)? = table[name] else {
        throw CLIError("\(file): steps_per_second.\(name) is not an object")
      }
      for key in byThreads.keys {
        guard let t = Int(key), t > 0, case .number(let text)? = byThreads[key],
          let r = Double(text), r.isFinite, r > 0
        else {
          throw CLIError(
            "\(file): steps_per_second.\(name).\(key) must map a thread count to a rate > 0")
        }
        rates[name, default: [:]][t] = r
      }
    }
    var version = "unknown version"
    if case .string(let v)? = top["torch"] { version = v }
    return PyTorchFigures(source: "torch \(version)", measuredHere: true, rates: rates)
  }

  /// The repository's `scripts/pytorch-bench.py`, found from this source file's place.
  static var scriptPath: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("scripts/pytorch-bench.py").path
  }

  /// Runs the PyTorch loop now (`seconds` per configuration, the given thread counts), or
  /// says in one line why it could not.
  static func measure(seconds: Double, threads: [Int]) -> Result<PyTorchFigures, CLIError> {
    let script = scriptPath
    guard FileManager.default.isReadableFile(atPath: script) else {
      return .failure(CLIError("\(script) not found (tms built outside its source tree)"))
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      ["python3", script, "--json", "--seconds", String(seconds), "--threads"]
      + threads.map(String.init)
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    do { try process.run() } catch {
      return .failure(CLIError("python3 could not start: \(error)"))
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let last =
        String(decoding: stderr, as: UTF8.self).split(separator: "\n").last.map(String.init)
        ?? "exit status \(process.terminationStatus)"
      return .failure(CLIError(last))
    }
    do {
      var figures = try parse(Array(stdout), file: "scripts/pytorch-bench.py output")
      figures.source = "PyTorch: measured now by scripts/pytorch-bench.py (\(figures.source))"
      return .success(figures)
    } catch let error as CLIError {
      return .failure(error)
    } catch {
      return .failure(CLIError("\(error)"))
    }
  }
}
