import CNcurses
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Set by SIGINT or SIGTERM; the app polls it through ``Terminal/interruptRequested``.
let interruptFlag = Atomic<Bool>(false)
/// The signal that set ``interruptFlag`` (0 when none has arrived).
let interruptSignal = Atomic<Int32>(0)
/// Set by SIGCONT: after Ctrl-Z and `fg` ncurses restores its own mouse mode (1000), so
/// the terminal asks again for drag reports on the next tick.
let resumedFlag = Atomic<Bool>(false)
/// True between a successful `newterm` and `endwin`, so handlers know whether to restore.
let cursesActive = Atomic<Bool>(false)

/// The dispositions in place before ``SignalTrap/install()``, indexed by signal number.
///
/// Written only by `install` before the handlers exist, read by the handlers and `uninstall`:
/// a fixed C buffer because a signal handler must not allocate or take locks.
nonisolated(unsafe) let savedActions = UnsafeMutablePointer<sigaction>.allocate(
  capacity: SignalTrap.slots)

/// SIGINT/SIGTERM: only record the request; the UI loop exits and restores the terminal.
private let interruptHandler: @convention(c) (Int32) -> Void = { signal in
  interruptSignal.store(signal, ordering: .relaxed)
  interruptFlag.store(true, ordering: .releasing)
}

/// SIGCONT: only note that the process was resumed.
private let resumeHandler: @convention(c) (Int32) -> Void = { _ in
  resumedFlag.store(true, ordering: .releasing)
}

/// Crash signals: put the terminal back, then die by the same signal through the handler
/// that was there before (Swift's backtracer, or the default action).
///
/// The re-raised signal stays pending while this handler runs and is delivered, to the
/// restored disposition, as soon as it returns.
private let crashHandler: @convention(c) (Int32) -> Void = { signal in
  if cursesActive.load(ordering: .acquiring) { _ = endwin() }
  if signal >= 0, signal < Int32(SignalTrap.slots) {
    _ = sigaction(signal, savedActions + Int(signal), nil)
  }
  _ = raise(signal)
}

/// Process-wide signal handling while the explorer owns the terminal.
enum SignalTrap {
  /// Room for every classic signal number.
  static let slots = 32
  /// Signals that mean "please quit": they only set a flag.
  static let interruptSignals: [Int32] = [SIGINT, SIGTERM]
  /// Signals that end the process abnormally; SIGQUIT (Ctrl-\ in cbreak mode) is one too.
  static let crashSignals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGQUIT]
  private static let installed = Atomic<Bool>(false)

  /// Installs the handlers (once) and clears any earlier interrupt request.
  ///
  /// Must run before `newterm`: ncurses installs its own SIGINT/SIGTERM handlers, which
  /// `exit`, only where the disposition is still the default.
  static func install() {
    guard
      installed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        .exchanged
    else { return }
    interruptFlag.store(false, ordering: .relaxed)
    interruptSignal.store(0, ordering: .relaxed)
    for signal in interruptSignals {
      replace(signal, with: interruptHandler, flags: SA_RESTART)
    }
    replace(SIGCONT, with: resumeHandler, flags: SA_RESTART)
    for signal in crashSignals {
      replace(signal, with: crashHandler, flags: Int32(SA_ONSTACK))
    }
  }

  /// Puts back the dispositions that ``install()`` replaced, so after the terminal is closed
  /// Ctrl-C and crashes behave as in any other program.
  static func uninstall() {
    guard
      installed.compareExchange(expected: true, desired: false, ordering: .acquiringAndReleasing)
        .exchanged
    else { return }
    for signal in interruptSignals + [SIGCONT] + crashSignals {
      _ = sigaction(signal, savedActions + Int(signal), nil)
    }
  }

  /// Signals whose handlers must run on the UI thread: ours only set flags, but ncurses'
  /// SIGTSTP handler redraws the screen, which is only safe where ncurses is in use.
  static let uiThreadSignals: [Int32] = [SIGINT, SIGTERM, SIGTSTP, SIGCONT, SIGWINCH]

  /// Blocks ``uiThreadSignals`` on the calling thread so the kernel delivers them elsewhere.
  static func blockUISignalsOnThisThread() {
    var set = sigset_t()
    sigemptyset(&set)
    for signal in uiThreadSignals { sigaddset(&set, signal) }
    _ = pthread_sigmask(SIG_BLOCK, &set, nil)
  }

  /// Ends the process by SIGTERM, with the default action, if SIGTERM was what interrupted it.
  static func propagateTermination() {
    guard interruptSignal.load(ordering: .acquiring) == SIGTERM else { return }
    var action = Self.action(SIG_DFL, flags: 0)
    _ = sigaction(SIGTERM, &action, nil)
    var unblock = sigset_t()
    sigemptyset(&unblock)
    sigaddset(&unblock, SIGTERM)
    _ = pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    _ = raise(SIGTERM)
  }

  private static func replace(
    _ signal: Int32, with handler: @convention(c) (Int32) -> Void, flags: Int32
  ) {
    var action = Self.action(handler, flags: flags)
    _ = sigaction(signal, &action, savedActions + Int(signal))
  }

  /// A `sigaction` running `handler` with an empty mask. The handler field is spelled
  /// differently by the two C libraries (a union in both, named apart).
  private static func action(_ handler: (@convention(c) (Int32) -> Void)?, flags: Int32)
    -> sigaction
  {
    var action = sigaction()
    #if canImport(Glibc)
      action.__sigaction_handler.sa_handler = handler
    #elseif canImport(Darwin)
      action.__sigaction_u.__sa_handler = handler
    #endif
    sigemptyset(&action.sa_mask)
    action.sa_flags = flags
    return action
  }
}
