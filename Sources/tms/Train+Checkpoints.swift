import ArgumentParser
import Foundation
import TMSCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `tms train --checkpoints SPEC --checkpoints-csv FILE`: every instance's losses and D_i at
/// chosen steps (e.g. the learning-dynamics run's log-spaced checkpoints), as CSV rows
/// `step,instance,train_loss,eval_loss,dimensions_per_feature,D_0,…,D_{n−1}`, written as each
/// checkpoint is reached so an interrupted run keeps the rows it reached.
extension Train {
  /// The steps of `--checkpoints` (absolute step numbers), empty without it; one-line errors
  /// for a bad specification or one flag without the other.
  func checkpointSteps() throws -> [Int] {
    switch (checkpoints, checkpointsCsv) {
    case (nil, nil): return []
    case (nil, _?): throw CLIError("--checkpoints-csv: needs --checkpoints")
    case (_?, nil): throw CLIError("--checkpoints: needs --checkpoints-csv FILE")
    case (let spec?, _?):
      do {
        return try CheckpointSteps.parse(spec)
      } catch {
        throw CLIError("--checkpoints: \(error.description)")
      }
    }
  }
}

/// The open `--checkpoints-csv` file.
final class CheckpointWriter {
  let path: String
  let descriptor: Int32
  let loss: LossEstimate.Settings

  /// Creates (or truncates) `path` and writes the header for `features` features; a
  /// one-line error when the file cannot be opened.
  init(path: String, features: Int, loss: LossEstimate.Settings) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else {
      throw CLIError("--checkpoints-csv: cannot write \(path): \(String(cString: strerror(errno)))")
    }
    self.path = path
    descriptor = fd
    self.loss = loss
    let columns =
      ["step", "instance", "train_loss", "eval_loss", "eval_loss_se", "dimensions_per_feature"]
      + (0..<features).map { "D_\($0)" }
    try write(columns.joined(separator: ",") + "\n")
  }

  deinit { close(descriptor) }

  /// One row per instance at the run's current step: the training loss (moving average),
  /// the held-out loss estimated with `loss` (`--eval-error`, `--eval-samples`,
  /// `--eval-seed`) with its standard error, D* and every D_i.
  func record(_ run: Run) throws {
    let eval = run.estimateLosses(settings: loss)
    var text = ""
    for k in 0..<run.config.instances {
      let m = run.metrics(instance: k)
      let values =
        [m.trainLoss, eval[k].mean, eval[k].standardError, m.dimensionsPerFeature]
        + m.dimensionality
      text +=
        "\(run.step),\(k)," + values.map { String(format: "%.6g", $0) }.joined(separator: ",")
        + "\n"
    }
    try write(text)
  }

  private func write(_ text: String) throws {
    if let failure = Output.writeAll(Array(text.utf8), to: descriptor) {
      throw CLIError("--checkpoints-csv: cannot write \(path): \(failure)")
    }
  }
}
