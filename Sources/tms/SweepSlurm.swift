#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import ArgumentParser
import Foundation
import TMSCore
import TMSFiles

/// `tms sweep slurm`: the sweep as a Slurm job array of N shards plus a merge job.
struct SweepSlurm: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "slurm",
    abstract: "Write a Slurm batch script: a job array of N shards and a merge job after it.",
    discussion: """
      Writes DIR/sweep.json (the sweep, which every shard reads) and DIR/sweep.sbatch. \
      Submit with `bash DIR/sweep.sbatch`: it submits itself as the array (task K trains shard \
      K/N into DIR/shard-K.jsonl, resuming after a requeue) and then a merge job that depends \
      on the whole array and writes DIR/results.jsonl and DIR/results.csv.
      """)

  @OptionGroup var sweep: SweepSpecOptions

  @Option(help: "Number of shards (array tasks).")
  var shards: Int

  @Option(help: "Folder for the script, the sweep file, the shards, logs and the results.")
  var dir: String

  @Option(help: "CPUs (and tms threads) per array task.")
  var cpusPerTask: Int = 2

  @Option(help: "Memory per task in Slurm's notation (e.g. 2G); default: the cluster's.")
  var mem: String?

  @Option(help: "Time limit per task (e.g. 01:00:00); default: the partition's.")
  var time: String?

  @Option(help: "Partition; default: the cluster's default.")
  var partition: String?

  @Option(help: "Account to charge.")
  var account: String?

  @Option(help: "The tms executable the jobs run (default: this one).")
  var tms: String?

  @Flag(help: "Replace an existing sweep.sbatch and sweep.json in --dir.")
  var force = false

  func run() throws {
    let spec = try sweep.makeSpec()
    guard shards >= 1 && shards <= min(spec.pointCount, 100_000) else {
      throw CLIError(
        "--shards: must be an integer in 1…\(min(spec.pointCount, 100_000)) (the sweep has \(spec.pointCount) points), got \(shards)"
      )
    }
    guard cpusPerTask >= 1 && cpusPerTask <= 256 else {
      throw CLIError("--cpus-per-task: must be an integer in 1…256, got \(cpusPerTask)")
    }
    for (flag, value) in [
      ("--mem", mem), ("--time", time), ("--partition", partition), ("--account", account),
    ] {
      if let value,
        value.isEmpty || value.contains(where: { $0.isWhitespace || $0 == "'" || $0 == "\"" })
      {
        throw CLIError("\(flag): must be one word without spaces or quotes, got '\(value)'")
      }
    }
    let folder = Self.absolute(dir)
    guard !folder.contains(where: { $0.isWhitespace || $0 == "%" }) else {
      throw CLIError("--dir: Slurm's #SBATCH lines cannot hold spaces or %; got '\(folder)'")
    }
    let executable = Self.absolute(tms ?? Self.ownPath())
    guard FileManager.default.isExecutableFile(atPath: executable) else {
      throw CLIError("--tms: \(executable) is not an executable file")
    }
    do {
      try FileManager.default.createDirectory(
        atPath: folder + "/logs", withIntermediateDirectories: true)
    } catch {
      throw CLIError("--dir: cannot create \(folder)/logs: \(error.localizedDescription)")
    }
    let script = SlurmScript(
      executable: executable, sweepFile: folder + "/sweep.json", folder: folder, shards: shards,
      cpusPerTask: cpusPerTask, memory: mem, time: time, partition: partition, account: account,
      jobName: "tms-sweep-" + spec.id.prefix(8))
    do {
      try AtomicFile.write(SweepSpecFile.encode(spec), to: folder + "/sweep.json", replace: force)
      try AtomicFile.write(Array(script.text.utf8), to: folder + "/sweep.sbatch", replace: force)
    } catch {
      throw CLIError(error.description)
    }
    chmod(folder + "/sweep.sbatch", 0o755)
    print(
      "wrote \(folder)/sweep.sbatch (\(shards) shards of \(spec.pointCount) points, sweep \(spec.id)) and \(folder)/sweep.json"
    )
    print("submit with: bash \(folder)/sweep.sbatch")
  }

  /// `path` made absolute against the working directory.
  static func absolute(_ path: String) -> String {
    var p = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
    return (p as NSString).standardizingPath
  }

  /// This executable's path (`/proc/self/exe` on Linux, else the first argument).
  static func ownPath() -> String {
    #if os(Linux)
      if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        return p
      }
    #endif
    return CommandLine.arguments[0]
  }
}
