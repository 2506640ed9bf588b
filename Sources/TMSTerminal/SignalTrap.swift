import CNcurses
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Set by SIGINT, SIGTERM or SIGHUP; the app polls it through ``Terminal/interruptRequested``.
let interruptFlag = Atomic<Bool>(false)
/// The signal that set ``interruptFlag`` (0 when none has arrived).
let interruptSignal = Atomic<Int32>(0)
/// Set by SIGCONT: after Ctrl-Z and `fg` ncurses restores its own mouse mode (1000), so
/// the terminal asks again for drag reports on the next tick.
let resumedFlag = Atomic<Bool>(false)
/// True between a successful `newterm` and `endwin`, so handlers know whether to restore.
let cursesActive = Atomic<Bool>(false)
/// The descriptor the open terminal draws on when it turned on drag reports (mode 1002,
/// which `endwin` does not know about), else −1: the crash handler switches 1002 off there.
let dragReportsDescriptor = Atomic<Int32>(-1)

/// The dispositions in place before ``SignalTrap/install()``, indexed by signal number.
///
/// Written only by `install` before the handlers exist, read by the handlers and `uninstall`:
/// a fixed C buffer because a signal handler must not allocate or take locks.
nonisolated(unsafe) let savedActions = UnsafeMutablePointer<sigaction>.allocate(
  capacity: SignalTrap.slots)

/// SIGINT/SIGTERM/SIGHUP: only record the request; the UI loop exits and restores the terminal.
private let interruptHandler: @convention(c) (Int32) -> Void = { signal in
  interruptSignal.store(signal, ordering: .relaxed)
  interruptFlag.store(true, ordering: .releasing)
}

/// SIGCONT: only note that the process was resumed.
private let resumeHandler: @convention(c) (Int32) -> Void = { _ in
  resumedFlag.store(true, ordering: .releasing)
}

/// Crash signals: put the terminal back, let the handler that was there before report the
/// crash (Swift's backtracer prints its report), then end the process by the same signal.
///
/// The earlier handler is called directly, with the signal's own information and context,
/// rather than by re-raising: for a signal sent with `kill` (nothing to re-execute) the
/// backtracer returns after its report, and the process would carry on drawing into the
/// restored terminal. Ending here makes every crash an ending.
private let crashHandler:
  @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = {
    signal, info, context in
    SignalTrap.restoreTerminalForCrash()
    if signal >= 0, signal < Int32(SignalTrap.slots) {
      SignalTrap.chain(savedActions[Int(signal)], signal, info, context)
    }
    SignalTrap.die(by: signal)
  }

/// Process-wide signal handling while the explorer owns the terminal.
enum SignalTrap {
  /// Room for every classic signal number.
  static let slots = 32
  /// Signals that mean "please quit": they only set a flag. SIGHUP is the terminal going
  /// away (a closed window, a dropped SSH connection, `kill -HUP`).
  static let interruptSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
  /// Signals that end the process abnormally; SIGQUIT (Ctrl-\ in cbreak mode) is one too.
  static let crashSignals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGQUIT]
  /// Interrupts that end the process by the same signal once the terminal is restored, so a
  /// parent sees how it stopped (SIGINT, the user's own Ctrl-C, is an ordinary quit).
  static let terminatingSignals: [Int32] = [SIGTERM, SIGHUP]
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
      var action = Self.action(interruptHandler, flags: SA_RESTART)
      _ = sigaction(signal, &action, savedActions + Int(signal))
    }
    var resume = Self.action(resumeHandler, flags: SA_RESTART)
    _ = sigaction(SIGCONT, &resume, savedActions + Int(SIGCONT))
    for signal in crashSignals {
      var action = Self.action(crashHandler, flags: Int32(SA_ONSTACK))
      _ = sigaction(signal, &action, savedActions + Int(signal))
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
  static let uiThreadSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT, SIGWINCH]

  /// Blocks ``uiThreadSignals`` on the calling thread so the kernel delivers them elsewhere.
  static func blockUISignalsOnThisThread() {
    var set = sigset_t()
    sigemptyset(&set)
    for signal in uiThreadSignals { sigaddset(&set, signal) }
    _ = pthread_sigmask(SIG_BLOCK, &set, nil)
  }

  /// Ends the process by SIGTERM or SIGHUP, with the default action, if that is what
  /// interrupted it; returns otherwise.
  static func propagateTermination() {
    let signal = interruptSignal.load(ordering: .acquiring)
    guard terminatingSignals.contains(signal) else { return }
    var action = Self.action(nil, flags: 0)
    _ = sigaction(signal, &action, nil)
    var unblock = sigset_t()
    sigemptyset(&unblock)
    sigaddset(&unblock, signal)
    _ = pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    _ = raise(signal)
  }

  /// What the crash handler does before anything else: mouse drag reports off (ncurses does
  /// not know it turned them on), then `endwin`, which restores the screen, the cursor, the
  /// keypad mode, ncurses' own mouse mode and the terminal's settings.
  static func restoreTerminalForCrash() {
    guard cursesActive.load(ordering: .acquiring) else { return }
    let descriptor = dragReportsDescriptor.exchange(-1, ordering: .acquiringAndReleasing)
    if descriptor >= 0 {
      let off: StaticString = "\u{1B}[?1002l"
      _ = write(descriptor, off.utf8Start, off.utf8CodeUnitCount)
    }
    _ = endwin()
  }

  /// Calls the disposition that was in place before ours, when it is a handler (not the
  /// default action or "ignore"), the way the kernel would have.
  static func chain(
    _ saved: sigaction, _ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?,
    _ context: UnsafeMutableRawPointer?
  ) {
    #if canImport(Glibc)
      let plain = saved.__sigaction_handler.sa_handler
      let detailed = saved.__sigaction_handler.sa_sigaction
    #elseif canImport(Darwin)
      let plain = saved.__sigaction_u.__sa_handler
      let detailed = saved.__sigaction_u.__sa_sigaction
    #endif
    // SIG_DFL is 0 and SIG_IGN 1 in both C libraries.
    let raw = unsafeBitCast(plain, to: Int.self)
    guard raw != 0, raw != 1 else { return }
    if saved.sa_flags & Int32(SA_SIGINFO) != 0 {
      detailed?(signal, info, context)
    } else {
      plain?(signal)
    }
  }

  /// Ends the process by `signal` with its default action (a core dump where enabled, and
  /// the status a shell reports as 128 + signal).
  static func die(by signal: Int32) {
    var action = Self.action(nil, flags: 0)
    _ = sigaction(signal, &action, nil)
    var unblock = sigset_t()
    sigemptyset(&unblock)
    sigaddset(&unblock, signal)
    _ = pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    _ = raise(signal)
    _exit(128 + signal)
  }

  /// A `sigaction` running `handler` (nil: the default action) with an empty mask. The
  /// handler field is spelled differently by the two C libraries (a union in both, named
  /// apart).
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

  /// A `sigaction` running `handler` with the signal's information and context
  /// (`SA_SIGINFO`) and an empty mask.
  private static func action(
    _ handler:
      @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?)
      -> Void, flags: Int32
  ) -> sigaction {
    var action = sigaction()
    #if canImport(Glibc)
      action.__sigaction_handler.sa_sigaction = handler
    #elseif canImport(Darwin)
      action.__sigaction_u.__sa_sigaction = handler
    #endif
    sigemptyset(&action.sa_mask)
    action.sa_flags = flags | Int32(SA_SIGINFO)
    return action
  }
}
