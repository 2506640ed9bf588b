import TMSFiles

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Everything `tms` writes to stdout and stderr goes through here.
///
/// Foundation's `FileHandle.write` traps when a write fails (`tms train --json > /dev/full`
/// died with a 43-line backtrace), and stdio's buffer loses a failed write without a word
/// (`tms show > /dev/full` exited 0 with nothing written). These write with `write(2)`,
/// retry short writes and interruptions, and turn a failed write to stdout into one line on
/// stderr and exit status 1. A closed pipe (`tms show | head -1`) still ends the process by
/// SIGPIPE, quietly, as in any Unix tool.
enum Output {
  /// Writes `bytes` to stdout; on failure prints `tms: cannot write to stdout: REASON` and
  /// exits 1 (nothing else can be reported: the output is what failed).
  static func write(_ bytes: [UInt8]) {
    if let failure = writeAll(bytes, to: STDOUT_FILENO) {
      printError("tms: cannot write to stdout: \(failure)")
      exit(1)
    }
  }

  /// Writes `text` and a newline to stdout (see ``write(_:)``).
  static func line(_ text: String) {
    write(Array((text + "\n").utf8))
  }

  /// Writes `text` to stderr; a failure there has nowhere to be reported and is ignored.
  static func error(_ text: String) {
    _ = writeAll(Array(text.utf8), to: STDERR_FILENO)
  }

  /// Writes every byte, retrying short writes and EINTR; the reason when a write fails.
  static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { raw in
        systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        return String(cString: strerror(errno))
      }
      offset += written
    }
    return nil
  }

  private static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.write(fd, buffer, count)
    #elseif canImport(Darwin)
      Darwin.write(fd, buffer, count)
    #endif
  }
}

/// `print` for this module: one line to stdout through ``Output/line(_:)``, so that every
/// `print` in `tms` (the tables, `tms show`, the benchmarks) reports a failed write in one
/// line and exits 1 instead of losing the output and exiting 0. It shadows Swift's `print`
/// inside the module on purpose.
func print(_ text: String) {
  Output.line(text)
}

/// Writes one line to stderr, control characters escaped (see ``shown(_:limit:)``): a
/// message may quote a file or an argument, and the terminal must never act on an escape
/// sequence in it. A line is cut at 4,000 characters as a last guard; the parts of a
/// message that come from a file are cut much shorter where they are put in.
func printError(_ message: String) {
  Output.error(DisplayText.escaped(message, limit: 4000) + "\n")
}

/// A string from a file (a preset's or snapshot's name, a description, a divergence text),
/// as every `tms` message shows it: control characters escaped (`ESC` as `^[`) and cut to
/// `limit` characters with a final `…` (see ``TMSFiles/DisplayText``).
func shown(_ text: String, limit: Int = DisplayText.limit) -> String {
  DisplayText.escaped(text, limit: limit)
}
