import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP during a headless run (`tms train`, `tms sweep`).
///
/// The first one only sets ``requested``: the run stops at its next check (training checks
/// between pieces of about 50 ms, a phase sweep within 1,000 steps of a tiny model, the
/// final evaluation is abandoned), saves when `--save` was given, and ends through
/// ``exit()``. The handler puts back the default action of all three signals as it runs, so
/// a second one ends the process at once; a save in progress then leaves the earlier file
/// intact (the write is atomic) and at worst a temporary file that the next save removes.
enum Interrupt {
  /// The signals handled.
  static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
  /// The signal that arrived first (0 while none has).
  static let received = Atomic<Int32>(0)

  /// True once one of ``signals`` has arrived.
  static var requested: Bool { received.load(ordering: .acquiring) != 0 }

  /// Installs the handler for ``signals``.
  static func install() {
    for signal in signals {
      var action = sigaction()
      #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = handler
      #elseif canImport(Darwin)
        action.__sigaction_u.__sa_handler = handler
      #endif
      sigemptyset(&action.sa_mask)
      action.sa_flags = SA_RESTART
      _ = sigaction(signal, &action, nil)
    }
  }

  /// Records the signal and restores the default action of every handled signal (only
  /// async-signal-safe calls: an atomic store and `sigaction`).
  private static let handler: @convention(c) (Int32) -> Void = { signal in
    _ = Interrupt.received.compareExchange(
      expected: 0, desired: signal, ordering: .acquiringAndReleasing)
    for s in Interrupt.signals {
      var action = sigaction()
      sigemptyset(&action.sa_mask)
      _ = sigaction(s, &action, nil)
    }
  }

  /// Ends an interrupted command: exit status 130 after Ctrl-C (what shells report for it);
  /// after SIGTERM or SIGHUP the process ends by that signal (status 143 or 129), so a
  /// parent sees how it stopped.
  static func exit() -> Never {
    let signal = received.load(ordering: .acquiring)
    if signal == SIGTERM || signal == SIGHUP {
      // The handler already put back the default action.
      _ = raise(signal)
    }
    #if canImport(Glibc)
      Glibc.exit(130)
    #elseif canImport(Darwin)
      Darwin.exit(130)
    #endif
  }

  /// Runs `work` on a background thread and waits for it, checking ``requested`` every
  /// 10 ms: its result, or nil when an interrupt came first (the work is then abandoned and
  /// must not be waited for; the caller ends the process).
  static func waiting<T: Sendable>(for work: @escaping @Sendable () -> T) -> T? {
    let done = DispatchSemaphore(value: 0)
    let result = Mutex<T?>(nil)
    let thread = Thread {
      let value = work()
      result.withLock { $0 = value }
      done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    while done.wait(timeout: .now() + .milliseconds(10)) == .timedOut {
      if requested { return nil }
    }
    return result.withLock { $0 }
  }
}
