import Synchronization
import TMSRender

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Lines for stderr that wait until curses has let go of the screen.
///
/// Anything written while curses is up lands in the middle of the drawing and is wiped by
/// the next frame, so it is held here and written by ``Terminal/close()``.
enum DeferredMessages {
  private static let queue = Mutex<[String]>([])

  /// Queues `line`, or writes it at once when no terminal is open. Safe from any thread.
  static func add(_ line: String) {
    let now: String? = queue.withLock { lines in
      guard cursesActive.load(ordering: .acquiring) else { return line }
      lines.append(line)
      return nil
    }
    if let now { writeLine(now, to: STDERR_FILENO) }
  }

  /// Marks curses as no longer active and writes every queued line to `descriptor`.
  ///
  /// Both happen under the lock, so a line added concurrently is either in this batch or
  /// written directly by ``add(_:)``, never stranded.
  static func release(to descriptor: Int32 = STDERR_FILENO) {
    let lines = queue.withLock { lines in
      cursesActive.store(false, ordering: .releasing)
      defer { lines.removeAll() }
      return lines
    }
    for line in lines { writeLine(line, to: descriptor) }
  }

  /// Writes `line` and a newline, its control characters escaped (a message may quote a
  /// file's text, and the terminal must not act on an escape sequence in it).
  private static func writeLine(_ line: String, to descriptor: Int32) {
    let text = line.hasSuffix("\n") ? String(line.dropLast()) : line
    writeAll(text.escapingTerminalControls + "\n", to: descriptor)
  }
}
