import CNcurses
import TMSRender

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The screen, keyboard and mouse, through ncursesw: the explorer's only door to the terminal.
///
/// Deliberately not `Sendable`: ncurses is single-threaded, so the compiler must stop the
/// trainer thread from touching it. Create it on the main thread, draw and read input there,
/// and ``close()`` it (or let it deinitialise) to give the terminal back. Only one may be
/// open at a time.
///
/// A run of the explorer looks like:
/// ```swift
/// let terminal = try Terminal.open(options: .init(monochrome: mono))
/// while !terminal.interruptRequested {
///   if let event = terminal.nextEvent(timeoutMilliseconds: 33) { /* update state */ }
///   terminal.draw(render(state, size: terminal.size))
/// }
/// terminal.close()
/// Terminal.propagateTermination()
/// ```
public final class Terminal {
  /// How many colours cells are drawn with.
  public let depth: ColorDepth

  let screen: OpaquePointer
  let window: UnsafeMutablePointer<WINDOW>
  let output: UnsafeMutablePointer<FILE>
  private let input: UnsafeMutablePointer<FILE>
  private let ownsSignals: Bool
  var buttonEventTracking = false
  private let defaultColorsAllowed: Bool
  var pairs: ColorPairs
  let attributeBits: (bold: attr_t, dim: attr_t, reverse: attr_t, underline: attr_t)
  /// The buffer last flushed, with the screen size at that moment, for skipping unchanged cells.
  var flushed: (buffer: Buffer, width: Int, height: Int)?
  /// Set by a resize: the next draw clears the terminal and repaints everything.
  var repaintOnNextDraw = false
  var pendingEvents: [InputEvent] = []
  var mouseButtonHeld = false
  private(set) var isClosed = false

  /// Takes over the real terminal (stdin and stdout), as the explorer does.
  ///
  /// Refuses, with a message fit for stderr, when either stream is not a TTY or `TERM` is
  /// unset, `dumb` or unknown. Installs the SIGINT/SIGTERM/SIGHUP flag and the crash
  /// handlers before curses starts, so a signal at any later point leaves a sane terminal
  /// and a crash ends the process after its report.
  /// `NO_COLOR` (set and not empty) forces monochrome, as does `options.monochrome`.
  public static func open(options: TerminalOptions = TerminalOptions()) throws(TerminalError)
    -> Terminal
  {
    let term = try TerminalError.preflight(
      stdinIsTTY: isatty(STDIN_FILENO) == 1, stdoutIsTTY: isatty(STDOUT_FILENO) == 1,
      term: environment("TERM"))
    var options = options
    if let noColor = environment("NO_COLOR"), !noColor.isEmpty { options.monochrome = true }
    let outputDescriptor = dup(STDOUT_FILENO)
    let inputDescriptor = dup(STDIN_FILENO)
    guard outputDescriptor >= 0, inputDescriptor >= 0,
      let output = fdopen(outputDescriptor, "w"), let input = fdopen(inputDescriptor, "r")
    else {
      for descriptor in [outputDescriptor, inputDescriptor] where descriptor >= 0 {
        closeDescriptor(descriptor)
      }
      throw .setupFailed("cannot duplicate stdin/stdout")
    }
    SignalTrap.install()
    do {
      return try Terminal(
        term: term, options: options, output: output, input: input, headless: false)
    } catch {
      SignalTrap.uninstall()
      throw error
    }
  }

  /// A terminal of type `term` that draws into `/dev/null` and reads nothing, for tests.
  ///
  /// Its size comes from terminfo (80×24 for the xterm family), not from any real window,
  /// and `NO_COLOR` is ignored so tests see the same colours everywhere. No signal handlers
  /// are installed.
  public static func headless(term: String, options: TerminalOptions = TerminalOptions())
    throws(TerminalError) -> Terminal
  {
    guard let input = fopen("/dev/null", "r") else {
      throw .setupFailed("cannot open /dev/null")
    }
    return try headless(term: term, options: options, input: input)
  }

  /// A headless terminal reading keys from `input` and writing its escape sequences to
  /// `output` (default `/dev/null`); it takes ownership of both files.
  static func headless(
    term: String, options: TerminalOptions, input: UnsafeMutablePointer<FILE>,
    output: UnsafeMutablePointer<FILE>? = nil
  ) throws(TerminalError) -> Terminal {
    guard let output = output ?? fopen("/dev/null", "w") else {
      fclose(input)
      throw .setupFailed("cannot open /dev/null")
    }
    return try Terminal(term: term, options: options, output: output, input: input, headless: true)
  }

  private init(
    term: String, options: TerminalOptions, output: UnsafeMutablePointer<FILE>,
    input: UnsafeMutablePointer<FILE>, headless: Bool
  ) throws(TerminalError) {
    guard
      cursesActive.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        .exchanged
    else {
      fclose(output)
      fclose(input)
      throw .alreadyOpen
    }
    ensureUTF8CharacterLocale()
    use_env(!headless)
    guard let screen = newterm(term, output, input), let window = cn_stdscr() else {
      DeferredMessages.release()
      fclose(output)
      fclose(input)
      throw .unknownTerminal(term)
    }
    self.screen = screen
    self.window = window
    self.output = output
    self.input = input
    ownsSignals = !headless

    _ = cbreak()
    _ = noecho()
    _ = nonl()
    _ = keypad(window, true)
    _ = intrflush(window, false)
    _ = leaveok(window, true)
    _ = curs_set(0)
    _ = set_escdelay(25)
    _ = typeahead(-1)

    var defaultColorsAllowed = true
    if !options.monochrome, has_colors(), start_color() == OK {
      defaultColorsAllowed = use_default_colors() == OK
      let colors = cn_colors()
      depth = colors >= 256 ? .xterm256 : colors >= 8 ? .ansi8 : .monochrome
    } else {
      depth = .monochrome
    }
    self.defaultColorsAllowed = defaultColorsAllowed
    pairs = ColorPairs(colorPairs: depth == .monochrome ? 0 : Int(cn_color_pairs()))
    attributeBits = (cn_a_bold(), cn_a_dim(), cn_a_reverse(), cn_a_underline())
    if options.mouse {
      buttonEventTracking = enableMouse()
      if buttonEventTracking && !headless {
        dragReportsDescriptor.store(fileno(output), ordering: .releasing)
      }
    } else {
      _ = keyok(KEY_MOUSE, false)
    }
  }

  deinit { close() }

  /// Columns and rows of the screen; changes after a ``TMSRender/InputEvent/resize``.
  public var size: (width: Int, height: Int) {
    (Int(getmaxx(window)), Int(getmaxy(window)))
  }

  /// True once SIGINT (Ctrl-C), SIGTERM or SIGHUP has arrived; the app checks it every tick and,
  /// when set, leaves its loop and calls ``close()``.
  public var interruptRequested: Bool { interruptFlag.load(ordering: .acquiring) }

  /// Gives the terminal back: mouse reporting off, `endwin`, `delscreen`, signal handlers
  /// restored, then any ``deferMessage(_:)`` lines written to stderr. Safe to call twice.
  public func close() {
    guard !isClosed else { return }
    isClosed = true
    if ownsSignals { dragReportsDescriptor.store(-1, ordering: .releasing) }
    if buttonEventTracking { writeAll("\u{1B}[?1002l", to: fileno(output)) }
    _ = mousemask(0, nil)
    _ = endwin()
    delscreen(screen)
    fclose(output)
    fclose(input)
    if ownsSignals { SignalTrap.uninstall() }
    DeferredMessages.release()
  }

  /// Queues a line for stderr until the terminal is restored (written at once when no
  /// terminal is open). Nothing may be printed while curses owns the screen; safe from any
  /// thread, so the trainer can report errors through it.
  public static func deferMessage(_ line: String) {
    DeferredMessages.add(line)
  }

  /// Keeps SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT and SIGWINCH off the calling thread; the
  /// trainer thread calls it first thing.
  ///
  /// The kernel hands a process signal to any thread that does not block it. The flags
  /// set by this module's handlers are fine anywhere, but ncurses' own Ctrl-Z handler
  /// redraws the screen and must run on the thread that owns ncurses.
  public static func blockTerminalSignalsOnThisThread() {
    SignalTrap.blockUISignalsOnThisThread()
  }

  /// After ``close()``: if SIGTERM or SIGHUP is what ended the loop, ends the process by that
  /// signal with the default action (a shell reports status 143 or 129), so callers see how
  /// it stopped.
  /// Returns normally otherwise, including after Ctrl-C, which is an ordinary way to quit.
  public static func propagateTermination() {
    SignalTrap.propagateTermination()
  }

  /// Turns on press, release and wheel reports, plus drag reports where the protocol allows.
  ///
  /// ncurses asks xterm-style terminals for mode 1000 (press/release only); mode 1002
  /// (button-event tracking) adds motion while a button is held, which is what drags need,
  /// without the flood of hover reports that 1003 sends. The report encoding ncurses chose
  /// (SGR 1006 or X10, from terminfo) is kept, so its parser still understands every report.
  /// `mousemask` has flushed ncurses' own mode string by the time it returns, and `putp`
  /// would go to stdout rather than this screen's output, so 1002 is written straight to the
  /// output descriptor, after it. Returns whether 1002 was switched on.
  private func enableMouse() -> Bool {
    _ = mouseinterval(0)
    let granted = mousemask(cn_all_mouse_events() | cn_report_mouse_position(), nil)
    guard granted != 0, has_mouse() else { return false }
    guard let capability = tigetstr("kmous"), cn_is_capability_string(capability) != 0,
      String(cString: capability).hasPrefix("\u{1B}[")
    else { return false }
    writeAll("\u{1B}[?1002h", to: fileno(output))
    return true
  }

  /// The colour index ncurses should use for `color` at this depth.
  func colorIndex(_ color: Color, foreground: Bool) -> Int32 {
    switch (color, depth) {
    case (.terminalDefault, _):
      return defaultColorsAllowed ? -1 : (foreground ? Int32(COLOR_WHITE) : Int32(COLOR_BLACK))
    case (.indexed(let index), .xterm256): return Int32(index)
    case (_, _): return Int32(color.ansi8)
    }
  }
}

/// Closes a raw descriptor (the name `close` is taken by ``Terminal/close()`` inside the class).
private func closeDescriptor(_ descriptor: Int32) {
  #if canImport(Glibc)
    _ = Glibc.close(descriptor)
  #else
    _ = Darwin.close(descriptor)
  #endif
}

/// An environment variable, or nil when unset.
private func environment(_ name: String) -> String? {
  getenv(name).map { String(cString: $0) }
}
