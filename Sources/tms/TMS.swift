import ArgumentParser
import Foundation
import TMSCore

/// `tms`: Toy Models of Superposition, live in the terminal.
struct TMS: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tms",
    abstract: "Train the toy models of superposition live, or headless.",
    discussion: "With no subcommand, opens the explorer on the intro preset.",
    subcommands: [
      Explore.self, Train.self, Bench.self, Presets.self, Export.self, Show.self,
      SnapshotBench.self, Sweep.self, SAECommand.self, Reproduce.self,
    ],
    defaultSubcommand: Explore.self)
}

/// True when stderr is a terminal (progress bars go there only then).
var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }

@main
enum Main {
  static func main() {
    do {
      var command = try TMS.parseAsRoot(Array(CommandLine.arguments.dropFirst()))
      if let problem = KernelInstructionSet.environmentProblem { throw CLIError(problem) }
      if command is Explore { CrashReports.makeNonInteractive() }
      try command.run()
      // Anything still in stdio's buffer (nothing of tms's own: see Output.swift) must not
      // be lost without a word either.
      if fflush(nil) != 0 {
        printError("tms: cannot write to stdout: \(String(cString: strerror(errno)))")
        exit(1)
      }
    } catch let error as CLIError {
      printError("tms: \(error.description)")
      exit(2)
    } catch let error as ConfigError {
      printError("tms: \(error.description)")
      exit(2)
    } catch let error as ExitCode {
      exit(error.rawValue)
    } catch {
      let code = TMS.exitCode(for: error)
      if code == .success {
        // --help, --version: through the checked stdout too.
        Output.line(TMS.fullMessage(for: error))
        exit(0)
      }
      let message = TMS.message(for: error).split(separator: "\n").first.map(String.init) ?? ""
      printError("tms: \(message) (see `tms help`)")
      exit(2)
    }
  }
}
