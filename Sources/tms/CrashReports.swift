import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Crash reports that do not wait for a key.
///
/// Swift's runtime prints a backtrace when the process crashes. On a terminal it is
/// interactive by default: "Press space to interact, D to debug, or any other key to quit
/// (30s)" — a crashed explorer would sit there for 30 s. `SWIFT_BACKTRACE=interactive=no`
/// turns that off, but the runtime reads the variable once, as the program starts, before
/// `main`; setting it later changes nothing. So the explorer, when the user has not set
/// `SWIFT_BACKTRACE` themselves, sets it and executes itself again (the same program, the
/// same arguments, the same process id) before it touches the terminal.
enum CrashReports {
  /// The setting the explorer runs with when none is given.
  static let setting = "interactive=no"

  /// Makes this process's crash reports non-interactive (see the type): returns at once
  /// when `SWIFT_BACKTRACE` is already set, else re-executes the program with it set. If
  /// the program cannot be executed again, carries on as it is: the explorer's crash
  /// handler still restores the terminal and ends the process after the report.
  static func makeNonInteractive() {
    guard getenv("SWIFT_BACKTRACE") == nil else { return }
    guard let path = Bundle.main.executablePath else { return }
    setenv("SWIFT_BACKTRACE", setting, 1)
    _ = execv(path, CommandLine.unsafeArgv)
  }
}
