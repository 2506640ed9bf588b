/// The batch script `tms sweep slurm` writes: a Slurm job array of N shards and a merge job
/// that waits for it, in one file.
///
/// Run with `bash FILE`, the script submits itself as the array (its `#SBATCH` lines) and
/// then once more as the merge job (`--array=0 --dependency=afterok:ID`, told apart by
/// `TMS_SWEEP_PART=merge`), and prints both job ids. Inside the array, Slurm runs it once per task: task
/// `$SLURM_ARRAY_TASK_ID` trains shard `K/N` into `DIR/shard-K.jsonl` with `--resume`, so a
/// requeued or restarted task continues where it stopped. The merge job writes
/// `DIR/results.jsonl` and `DIR/results.csv`. Every path is absolute and every argument
/// quoted, so the jobs run from any working directory.
public struct SlurmScript: Sendable {
  /// The tms executable the jobs run (absolute).
  public var executable: String
  /// The sweep file every shard reads (absolute).
  public var sweepFile: String
  /// Where shards, logs and the merged results go (absolute).
  public var folder: String
  /// N.
  public var shards: Int
  /// Threads (and CPUs) per task.
  public var cpusPerTask: Int
  /// Memory per task, in Slurm's notation (`2G`), or nil for the cluster's default.
  public var memory: String?
  /// Time limit per task (`HH:MM:SS`), or nil.
  public var time: String?
  /// Partition, or nil for the default.
  public var partition: String?
  /// Account, or nil.
  public var account: String?
  /// The jobs' name.
  public var jobName: String

  /// A script from its settings.
  public init(
    executable: String, sweepFile: String, folder: String, shards: Int, cpusPerTask: Int,
    memory: String?, time: String?, partition: String?, account: String?, jobName: String
  ) {
    self.executable = executable
    self.sweepFile = sweepFile
    self.folder = folder
    self.shards = shards
    self.cpusPerTask = cpusPerTask
    self.memory = memory
    self.time = time
    self.partition = partition
    self.account = account
    self.jobName = jobName
  }

  /// `s` quoted for a POSIX shell: in single quotes, each `'` written as `'\''`.
  public static func quote(_ s: String) -> String {
    "'" + s.replacingAll("'", with: "'\\''") + "'"
  }

  /// The script's text.
  public var text: String {
    let q = Self.quote
    var directives = [
      "#SBATCH --job-name=\(jobName)",
      "#SBATCH --array=0-\(shards - 1)",
      "#SBATCH --cpus-per-task=\(cpusPerTask)",
      "#SBATCH --ntasks=1",
      "#SBATCH --output=\(folder)/logs/shard-%a.out",
    ]
    if let memory { directives.append("#SBATCH --mem=\(memory)") }
    if let time { directives.append("#SBATCH --time=\(time)") }
    if let partition { directives.append("#SBATCH --partition=\(partition)") }
    if let account { directives.append("#SBATCH --account=\(account)") }
    return """
      #!/bin/bash
      # A tms sweep as a Slurm job array: \(shards) shard\(shards == 1 ? "" : "s") of \(sweepFile),
      # results in \(folder). Written by `tms sweep slurm`; submit it with: bash THIS_FILE
      \(directives.joined(separator: "\n"))
      set -euo pipefail
      TMS=\(q(executable))
      SWEEP=\(q(sweepFile))
      DIR=\(q(folder))
      SHARDS=\(shards)
      if [ "${TMS_SWEEP_PART:-}" = merge ]; then
        # The merge job: every shard's file into one, checked.
        files=()
        for ((k = 0; k < SHARDS; k++)); do files+=("$DIR/shard-$k.jsonl"); done
        exec "$TMS" sweep merge --output "$DIR/results.jsonl" --csv "$DIR/results.csv" --force \\
          "${files[@]}"
      fi
      if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
        # Run by hand: submit this file as the array, then as the merge that waits for it.
        mkdir -p "$DIR/logs"
        array=$(sbatch --parsable "$0")
        array=${array%%;*}
        merge=$(sbatch --parsable --array=0 --job-name=\(q(jobName + "-merge")) --cpus-per-task=1 \\
          --dependency=afterok:"$array" --export=ALL,TMS_SWEEP_PART=merge \\
          --output="$DIR/logs/merge.out" "$0")
        merge=${merge%%;*}
        echo "submitted array job $array (\(shards) shards) and merge job $merge"
        echo "results: $DIR/results.jsonl and $DIR/results.csv once job $merge has finished"
        exit 0
      fi
      exec "$TMS" sweep run --file "$SWEEP" --shard "$SLURM_ARRAY_TASK_ID/$SHARDS" \\
        --threads "${SLURM_CPUS_PER_TASK:-\(cpusPerTask)}" \\
        --output "$DIR/shard-$SLURM_ARRAY_TASK_ID.jsonl" --resume

      """
  }
}

extension String {
  /// Every occurrence of `target` replaced by `replacement`, without Foundation.
  func replacingAll(_ target: String, with replacement: String) -> String {
    split(separator: Character(target), omittingEmptySubsequences: false)
      .joined(separator: replacement)
  }
}
