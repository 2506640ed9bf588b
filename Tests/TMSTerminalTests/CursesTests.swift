import CNcurses
import Glibc
import Synchronization
import TMSRender
import Testing

@testable import TMSTerminal

/// Every test that starts ncurses: it is process-global state, so they run one at a time.
@Suite(.serialized) struct CursesTests {
  /// One screen cell read back from ncurses' window.
  struct ScreenCell {
    var symbol: Unicode.Scalar
    var attributes: attr_t
    var pair: Int32
    var fg: Int32
    var bg: Int32
    var bold: Bool { attributes & cn_a_bold() != 0 }
  }

  func cell(_ terminal: Terminal, _ x: Int, _ y: Int) -> ScreenCell {
    var stored = cchar_t()
    _ = mvwin_wch(terminal.window, Int32(y), Int32(x), &stored)
    var text = [wchar_t](repeating: 0, count: Int(CCHARW_MAX) + 1)
    var attributes: attr_t = 0
    var shortPair: Int16 = 0
    var pair: Int32 = 0
    _ = getcchar(&stored, &text, &attributes, &shortPair, &pair)
    var fg: Int32 = 0
    var bg: Int32 = 0
    _ = extended_pair_content(pair, &fg, &bg)
    return ScreenCell(
      symbol: Unicode.Scalar(UInt32(bitPattern: text[0])) ?? "?", attributes: attributes,
      pair: pair, fg: fg, bg: bg)
  }

  func row(_ terminal: Terminal, _ y: Int, width: Int) -> String {
    var scalars = String.UnicodeScalarView()
    for x in 0..<width { scalars.append(cell(terminal, x, y).symbol) }
    return String(scalars)
  }

  // MARK: - Drawing

  @Test func halfBlockKeepsItsForegroundAndBackground() throws {
    let terminal = try Terminal.headless(term: "xterm-256color")
    defer { terminal.close() }
    #expect(terminal.depth == .xterm256)
    #expect(terminal.size == (80, 24))
    var buffer = Buffer(width: 80, height: 24)
    buffer.set(3, 2, "▀", Style(fg: .indexed(196), bg: .indexed(21)))
    buffer.set(4, 2, "▀", Style(fg: .indexed(21), bg: .indexed(196)))
    terminal.draw(buffer)

    let first = cell(terminal, 3, 2)
    #expect(first.symbol == "▀")
    #expect(first.fg == 196)
    #expect(first.bg == 21)
    let second = cell(terminal, 4, 2)
    #expect(second.fg == 21)
    #expect(second.bg == 196)
    let plain = cell(terminal, 0, 0)
    #expect(plain.symbol == " ")
    #expect(plain.fg == -1)
    #expect(plain.bg == -1)
  }

  @Test func boldTextCarriesTheBoldAttribute() throws {
    let terminal = try Terminal.headless(term: "xterm-256color")
    defer { terminal.close() }
    var buffer = Buffer(width: 80, height: 24)
    buffer.write("loss", x: 1, y: 1, style: Style(fg: .indexed(45), bold: true))
    buffer.write("step", x: 1, y: 2, style: Style(underline: true))
    terminal.draw(buffer)

    #expect(row(terminal, 1, width: 6) == " loss ")
    #expect(cell(terminal, 1, 1).bold)
    #expect(cell(terminal, 1, 1).fg == 45)
    #expect(!cell(terminal, 1, 2).bold)
    #expect(cell(terminal, 1, 2).attributes & cn_a_underline() != 0)
    #expect(!cell(terminal, 0, 1).bold)
  }

  @Test func eightColourTerminalMapsThePaletteDown() throws {
    let terminal = try Terminal.headless(term: "xterm")
    defer { terminal.close() }
    #expect(terminal.depth == .ansi8)
    var buffer = Buffer(width: 80, height: 24)
    buffer.set(0, 0, "▀", Style(fg: .indexed(196), bg: .indexed(21)))
    buffer.set(1, 0, "▀", Style(fg: .indexed(46), bg: .indexed(255)))
    terminal.draw(buffer)

    #expect(cell(terminal, 0, 0).fg == COLOR_RED)
    #expect(cell(terminal, 0, 0).bg == COLOR_BLUE)
    #expect(cell(terminal, 1, 0).fg == COLOR_GREEN)
    #expect(cell(terminal, 1, 0).bg == COLOR_WHITE)
  }

  @Test func monochromeUsesNoPairsButKeepsAttributes() throws {
    let terminal = try Terminal.headless(
      term: "xterm-256color", options: TerminalOptions(monochrome: true))
    defer { terminal.close() }
    #expect(terminal.depth == .monochrome)
    var buffer = Buffer(width: 80, height: 24)
    buffer.set(2, 0, "▓", Style(fg: .indexed(196), bg: .indexed(21), reverse: true))
    buffer.write("ok", x: 0, y: 1, style: Style(fg: .indexed(46), bold: true))
    terminal.draw(buffer)

    let shaded = cell(terminal, 2, 0)
    #expect(shaded.symbol == "▓")
    #expect(shaded.pair == 0)
    #expect(shaded.attributes & cn_a_reverse() != 0)
    #expect(cell(terminal, 0, 1).pair == 0)
    #expect(cell(terminal, 0, 1).bold)
  }

  @Test func terminalWithoutColoursIsMonochrome() throws {
    let terminal = try Terminal.headless(term: "vt100")
    defer { terminal.close() }
    #expect(terminal.depth == .monochrome)
    var buffer = Buffer(width: 80, height: 24)
    buffer.set(0, 0, "x", Style(fg: .indexed(196)))
    terminal.draw(buffer)
    #expect(cell(terminal, 0, 0).symbol == "x")
    #expect(cell(terminal, 0, 0).pair == 0)
  }

  @Test func bufferLargerThanTheScreenIsClipped() throws {
    let terminal = try Terminal.headless(term: "xterm-256color")
    defer { terminal.close() }
    var buffer = Buffer(width: 200, height: 100)
    buffer.fill(buffer.area, with: Cell("·"))
    buffer.set(79, 23, "┘", Style(fg: .indexed(226)))
    buffer.set(80, 0, "X")
    buffer.set(0, 24, "X")
    terminal.draw(buffer)

    #expect(terminal.size == (80, 24))
    #expect(cell(terminal, 79, 23).symbol == "┘")
    #expect(cell(terminal, 79, 23).fg == 226)
    #expect(cell(terminal, 79, 0).symbol == "·")
    #expect(cell(terminal, 0, 23).symbol == "·")
  }

  @Test func bufferSmallerThanTheScreenLeavesTheRestBlank() throws {
    let terminal = try Terminal.headless(term: "xterm-256color")
    defer { terminal.close() }
    var full = Buffer(width: 80, height: 24)
    full.fill(full.area, with: Cell("#"))
    terminal.draw(full)
    var small = Buffer(width: 10, height: 3)
    small.fill(small.area, with: Cell("o"))
    terminal.draw(small)

    #expect(row(terminal, 0, width: 12) == "oooooooooo  ")
    #expect(cell(terminal, 0, 3).symbol == " ")
    #expect(cell(terminal, 79, 23).symbol == " ")
  }

  @Test func emptyBufferOnlyClears() throws {
    let terminal = try Terminal.headless(term: "xterm-256color")
    defer { terminal.close() }
    var full = Buffer(width: 80, height: 24)
    full.fill(full.area, with: Cell("#"))
    terminal.draw(full)
    terminal.draw(Buffer(width: 0, height: 0))
    #expect(cell(terminal, 0, 0).symbol == " ")
  }

  @Test func redrawsEverythingAfterTheScreenChangesSize() throws {
    let terminal = try Terminal.headless(term: "xterm-256color")
    defer { terminal.close() }
    var before = Buffer(width: 80, height: 24)
    before.fill(before.area, with: Cell("a"))
    terminal.draw(before)

    _ = resizeterm(30, 100)
    #expect(terminal.size == (100, 30))
    var after = Buffer(width: 100, height: 30)
    after.fill(after.area, with: Cell("a"))
    after.set(99, 29, "z", Style(fg: .indexed(196), bg: .indexed(21)))
    terminal.draw(after)

    #expect(cell(terminal, 85, 0).symbol == "a")
    #expect(cell(terminal, 0, 27).symbol == "a")
    #expect(cell(terminal, 99, 29).symbol == "z")
    #expect(cell(terminal, 99, 29).fg == 196)

    _ = resizeterm(10, 20)
    #expect(terminal.size == (20, 10))
    terminal.draw(after)
    #expect(cell(terminal, 19, 9).symbol == "a")
  }

  @Test func unchangedCellsAreSkippedUntilAForcedRepaint() throws {
    let terminal = try Terminal.headless(term: "xterm-256color")
    defer { terminal.close() }
    var buffer = Buffer(width: 80, height: 24)
    buffer.fill(buffer.area, with: Cell("."))
    terminal.draw(buffer)

    _ = mvwaddstr(terminal.window, 5, 5, "!")
    buffer.set(1, 1, "+")
    terminal.draw(buffer)
    #expect(cell(terminal, 1, 1).symbol == "+")
    #expect(cell(terminal, 5, 5).symbol == "!", "an unchanged cell was written again")

    terminal.forceRepaint()
    #expect(cell(terminal, 5, 5).symbol == ".")
    #expect(cell(terminal, 1, 1).symbol == "+")
  }

  @Test func coloursAreRightAfterThePairTableIsReset() throws {
    let terminal = try Terminal.headless(term: "xterm")
    defer { terminal.close() }
    #expect(terminal.pairs.capacity == 63)
    let colours: [Color] = [.terminalDefault] + (0..<8).map { Color.indexed(UInt8($0)) }
    let styles = colours.flatMap { fg in colours.map { bg in Style(fg: fg, bg: bg) } }
    func expected(_ color: Color) -> Int32 { Int32(color.ansi8) }

    var buffer = Buffer(width: 80, height: 24)
    for (x, style) in styles.prefix(40).enumerated() { buffer.set(x, 0, "▀", style) }
    terminal.draw(buffer)
    for x in 20..<40 { buffer.set(x, 0, " ") }
    for (x, style) in styles.dropFirst(40).prefix(30).enumerated() { buffer.set(x, 1, "▀", style) }
    terminal.draw(buffer)

    for (x, style) in styles.prefix(20).enumerated() {
      let shown = cell(terminal, x, 0)
      #expect(shown.fg == expected(style.fg), "row 0 column \(x)")
      #expect(shown.bg == expected(style.bg), "row 0 column \(x)")
    }
    for (x, style) in styles.dropFirst(40).prefix(30).enumerated() {
      let shown = cell(terminal, x, 1)
      #expect(shown.fg == expected(style.fg), "row 1 column \(x)")
      #expect(shown.bg == expected(style.bg), "row 1 column \(x)")
    }
  }

  @Test func keptCellsKeepTheirColoursWhenPairsRunOut() throws {
    // 32767 pairs for 257 × 257 combinations: ncurses would recycle the oldest pairs,
    // which belong to row 0, still on screen and never redrawn by the diff.
    let terminal = try Terminal.headless(term: "rxvt-unicode-256color")
    defer { terminal.close() }
    #expect(terminal.depth == .xterm256)
    #expect(terminal.pairs.capacity == 32766)
    func color(_ index: Int) -> Color { index < 0 ? .terminalDefault : .indexed(UInt8(index)) }
    func style(_ combination: Int) -> Style {
      Style(fg: color(combination % 257 - 1), bg: color(combination / 257 - 1))
    }
    var buffer = Buffer(width: 80, height: 24)
    for x in 0..<80 { buffer.set(x, 0, "▀", style(1000 + x)) }
    var next = 2000
    for _ in 0..<19 {
      for y in 1..<24 {
        for x in 0..<80 {
          buffer.set(x, y, "▀", style(next))
          next += 1
        }
      }
      terminal.draw(buffer)
    }
    #expect(next > 33_280 + 2000, "the frames must ask for more pairs than ncurses has")

    for x in 0..<80 {
      let shown = cell(terminal, x, 0)
      let wanted = style(1000 + x)
      #expect(shown.fg == terminal.colorIndex(wanted.fg, foreground: true), "column \(x)")
      #expect(shown.bg == terminal.colorIndex(wanted.bg, foreground: false), "column \(x)")
    }
    let last = cell(terminal, 79, 23)
    #expect(last.fg == terminal.colorIndex(style(next - 1).fg, foreground: true))
    #expect(last.bg == terminal.colorIndex(style(next - 1).bg, foreground: false))
  }

  @Test func glyphsWiderThanOneColumnBecomeAQuestionMark() throws {
    let terminal = try Terminal.headless(term: "xterm-256color")
    defer { terminal.close() }
    var buffer = Buffer(width: 80, height: 24)
    buffer.write("a漢\u{7}⣿b", x: 0, y: 0)
    terminal.draw(buffer)
    // The wide glyph becomes `?`; the control character never reaches a cell (the buffer
    // shows it escaped, `^G`).
    #expect(row(terminal, 0, width: 6) == "a?^G⣿b")
  }

  // MARK: - Opening and closing

  @Test func unknownTerminalTypeIsReportedByName() {
    #expect(throws: TerminalError.unknownTerminal("no-such-term-xyz")) {
      try Terminal.headless(term: "no-such-term-xyz")
    }
    #expect(
      TerminalError.unknownTerminal("no-such-term-xyz").description
        == "tms: unknown terminal type 'no-such-term-xyz' (TERM); try TERM=xterm-256color")
    let afterwards = try? Terminal.headless(term: "xterm-256color")
    #expect(afterwards != nil, "a failed open must not block the next one")
    afterwards?.close()
  }

  @Test func onlyOneTerminalAtATime() throws {
    let terminal = try Terminal.headless(term: "xterm-256color")
    #expect(throws: TerminalError.alreadyOpen) { try Terminal.headless(term: "xterm-256color") }
    terminal.close()
    terminal.close()
    let next = try Terminal.headless(term: "xterm-256color")
    next.close()
  }

  @Test func deferredMessagesWaitForClose() throws {
    var pipeEnds: [Int32] = [0, 0]
    #expect(pipe(&pipeEnds) == 0)
    _ = fcntl(pipeEnds[0], F_SETFL, O_NONBLOCK)
    let savedStderr = dup(STDERR_FILENO)
    _ = dup2(pipeEnds[1], STDERR_FILENO)
    defer {
      _ = dup2(savedStderr, STDERR_FILENO)
      _ = Glibc.close(savedStderr)
      _ = Glibc.close(pipeEnds[0])
      _ = Glibc.close(pipeEnds[1])
    }
    func drain() -> String {
      var bytes = [UInt8](repeating: 0, count: 4096)
      let count = read(pipeEnds[0], &bytes, bytes.count)
      return count > 0 ? String(decoding: bytes[..<count], as: UTF8.self) : ""
    }

    let terminal = try Terminal.headless(term: "xterm-256color")
    Terminal.deferMessage("tms: trainer stopped: NaN loss")
    #expect(drain() == "")
    terminal.close()
    #expect(drain() == "tms: trainer stopped: NaN loss\n")
    Terminal.deferMessage("after")
    #expect(drain() == "after\n")
    // A line quoting a file's text reaches the terminal with its controls escaped.
    Terminal.deferMessage("tms: bad name evil\u{1B}]52;c;SGk=\u{07}\u{9B}2J\n")
    #expect(drain() == "tms: bad name evil^[]52;c;SGk=^G\\x9b2J\n")
  }

  @Test func mouseModesAreSwitchedOnAndOffAgain() throws {
    var template = Array("/tmp/tms-term-XXXXXX".utf8CString)
    let descriptor = mkstemp(&template)
    #expect(descriptor >= 0)
    let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    defer { unlink(path) }
    let output = try #require(fdopen(descriptor, "w"))
    let input = try #require(fopen("/dev/null", "r"))
    let terminal = try Terminal.headless(
      term: "xterm-256color", options: TerminalOptions(), input: input, output: output)
    terminal.draw(Buffer(width: 80, height: 24))
    terminal.close()

    let file = try #require(fopen(path, "r"))
    defer { fclose(file) }
    var bytes: [UInt8] = []
    while true {
      let byte = fgetc(file)
      if byte == EOF { break }
      bytes.append(UInt8(byte))
    }
    func offset(of text: String) -> Int? {
      let needle = Array(text.utf8)
      guard bytes.count >= needle.count else { return nil }
      return (0...(bytes.count - needle.count)).first {
        bytes[$0..<$0 + needle.count].elementsEqual(needle)
      }
    }
    let on = try #require(offset(of: "\u{1B}[?1002h"))
    let off = try #require(offset(of: "\u{1B}[?1002l"))
    let ncursesOff = try #require(offset(of: "\u{1B}[?1006;1000l"))
    #expect(on < off)
    #expect(off < ncursesOff)
  }

  @Test func dragReportsAreAskedForAgainAfterCtrlZ() throws {
    var template = Array("/tmp/tms-term-XXXXXX".utf8CString)
    let descriptor = mkstemp(&template)
    let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    defer { unlink(path) }
    let output = try #require(fdopen(descriptor, "w"))
    let input = try #require(fopen("/dev/null", "r"))
    let terminal = try Terminal.headless(
      term: "xterm-256color", options: TerminalOptions(), input: input, output: output)
    SignalTrap.install()
    defer { SignalTrap.uninstall() }
    _ = kill(getpid(), SIGCONT)
    for _ in 0..<200 where !resumedFlag.load(ordering: .acquiring) { usleep(5000) }
    _ = terminal.nextEvent(timeoutMilliseconds: 0)
    terminal.close()

    let file = try #require(fopen(path, "r"))
    defer { fclose(file) }
    var bytes: [UInt8] = []
    while case let byte = fgetc(file), byte != EOF { bytes.append(UInt8(byte)) }
    let needle = Array("\u{1B}[?1002h".utf8)
    let count = (0...(bytes.count - needle.count)).filter {
      bytes[$0..<$0 + needle.count].elementsEqual(needle)
    }.count
    #expect(count == 2)
  }

  // MARK: - Input through ncurses' own parser

  /// A headless terminal whose keyboard is a pipe the test writes into.
  final class PipedTerminal {
    let terminal: Terminal
    let keyboard: Int32

    init(term: String = "xterm-256color", mouse: Bool = true) throws {
      var ends: [Int32] = [0, 0]
      guard pipe(&ends) == 0, let input = fdopen(ends[0], "r") else {
        throw TerminalError.setupFailed("pipe")
      }
      keyboard = ends[1]
      terminal = try Terminal.headless(
        term: term, options: TerminalOptions(mouse: mouse), input: input)
    }

    deinit {
      terminal.close()
      _ = Glibc.close(keyboard)
    }

    func type(_ text: String) {
      let bytes = Array(text.utf8)
      _ = bytes.withUnsafeBytes { write(keyboard, $0.baseAddress, $0.count) }
    }

    func next(_ text: String) -> InputEvent? {
      type(text)
      return terminal.nextEvent(timeoutMilliseconds: 200)
    }
  }

  @Test func keysArriveDecoded() throws {
    let piped = try PipedTerminal()
    #expect(piped.next("q") == .key(.char("q")))
    #expect(piped.next("é") == .key(.char("é")))
    #expect(piped.next("\u{3}") == .key(.ctrl("c")))
    #expect(piped.next("\u{C}") == .key(.ctrl("l")))
    #expect(piped.next("\r") == .key(.enter))
    #expect(piped.next("\t") == .key(.tab))
    #expect(piped.next("\u{7F}") == .key(.backspace))
    #expect(piped.next("\u{1B}OA") == .key(.up))
    #expect(piped.next("\u{1B}OD") == .key(.left))
    #expect(piped.next("\u{1B}[Z") == .key(.backTab))
    #expect(piped.next("\u{1B}[5~") == .key(.pageUp))
    #expect(piped.next("\u{1B}[3~") == .key(.delete))
    #expect(piped.next("\u{1B}OP") == .key(.function(1)))
    #expect(piped.next("\u{1B}[24~") == .key(.function(12)))
    #expect(piped.terminal.nextEvent(timeoutMilliseconds: 10) == nil)
  }

  @Test func bareEscapeIsEscapeButAltAndUnknownSequencesAreSwallowed() throws {
    let piped = try PipedTerminal()
    #expect(piped.next("\u{1B}") == .key(.escape))
    #expect(piped.next("\u{1B}x") == nil)
    #expect(piped.terminal.nextEvent(timeoutMilliseconds: 50) == nil, "Alt-x leaked an x")
    #expect(piped.next("\u{1B}[99;99~") == nil)
    #expect(piped.terminal.nextEvent(timeoutMilliseconds: 50) == nil)
    #expect(piped.next("a") == .key(.char("a")))
  }

  @Test func sgrMouseReportsPressDragReleaseAndWheel() throws {
    let piped = try PipedTerminal()
    #expect(piped.next("\u{1B}[<0;11;6M") == .mouse(MouseEvent(kind: .press, x: 10, y: 5)))
    #expect(piped.next("\u{1B}[<32;12;6M") == .mouse(MouseEvent(kind: .drag, x: 11, y: 5)))
    #expect(piped.next("\u{1B}[<32;13;7M") == .mouse(MouseEvent(kind: .drag, x: 12, y: 6)))
    #expect(piped.next("\u{1B}[<0;13;7m") == .mouse(MouseEvent(kind: .release, x: 12, y: 6)))
    #expect(piped.next("\u{1B}[<35;20;10M") == nil, "a hover is not a drag")
    #expect(piped.next("\u{1B}[<64;3;4M") == .mouse(MouseEvent(kind: .wheelUp, x: 2, y: 3)))
    #expect(piped.next("\u{1B}[<65;3;4M") == .mouse(MouseEvent(kind: .wheelDown, x: 2, y: 3)))
  }

  @Test func x10MouseReportsUnderTmux() throws {
    let piped = try PipedTerminal(term: "tmux-256color")
    func report(_ button: Int, _ x: Int, _ y: Int) -> String {
      String(
        decoding: [0x1B, 0x5B, 0x4D, UInt8(32 + button), UInt8(33 + x), UInt8(33 + y)],
        as: UTF8.self)
    }
    #expect(piped.next(report(0, 10, 5)) == .mouse(MouseEvent(kind: .press, x: 10, y: 5)))
    #expect(piped.next(report(32, 11, 5)) == .mouse(MouseEvent(kind: .drag, x: 11, y: 5)))
    #expect(piped.next(report(3, 11, 5)) == .mouse(MouseEvent(kind: .release, x: 11, y: 5)))
    #expect(piped.next(report(64, 4, 4)) == .mouse(MouseEvent(kind: .wheelUp, x: 4, y: 4)))
  }

  @Test func withMouseOffAStrayReportIsSwallowedWhole() throws {
    let piped = try PipedTerminal(mouse: false)
    #expect(piped.next("\u{1B}[<0;11;6M") == nil)
    #expect(piped.next("k") == .key(.char("k")))
  }

  @Test func resizeIsReportedAndForcesAFullRepaint() throws {
    let piped = try PipedTerminal()
    var buffer = Buffer(width: 80, height: 24)
    buffer.fill(buffer.area, with: Cell("."))
    piped.terminal.draw(buffer)
    _ = ungetch(KEY_RESIZE)
    #expect(piped.terminal.nextEvent(timeoutMilliseconds: 100) == .resize)
    _ = mvwaddstr(piped.terminal.window, 3, 3, "!")
    piped.terminal.draw(buffer)
    #expect(cell(piped.terminal, 3, 3).symbol == ".")
  }

  // MARK: - Signals

  @Test func interruptSignalsOnlySetTheFlag() throws {
    SignalTrap.install()
    defer { SignalTrap.uninstall() }
    /// Signals the whole process, as a terminal does, and waits for some thread to take it.
    func deliver(_ signal: Int32) -> Int32 {
      _ = kill(getpid(), signal)
      for _ in 0..<200 where interruptSignal.load(ordering: .acquiring) != signal {
        usleep(5000)
      }
      return interruptSignal.load(ordering: .acquiring)
    }
    let before = interruptFlag.load(ordering: .relaxed)
    #expect(!before)
    #expect(deliver(SIGINT) == SIGINT)
    let afterInterrupt = interruptFlag.load(ordering: .relaxed)
    #expect(afterInterrupt)
    SignalTrap.propagateTermination()
    #expect(deliver(SIGTERM) == SIGTERM)
    // The terminal going away is a request to quit like the others.
    #expect(deliver(SIGHUP) == SIGHUP)
  }

  /// SIGHUP, like SIGTERM, ends the process by its signal once the terminal is restored.
  @Test func hangupEndsTheProcessByItsSignal() async {
    await #expect(processExitsWith: .signal(SIGHUP)) {
      SignalTrap.install()
      _ = kill(getpid(), SIGHUP)
      for _ in 0..<200 where interruptSignal.load(ordering: .acquiring) != SIGHUP {
        usleep(5000)
      }
      SignalTrap.propagateTermination()
    }
  }

  /// A crash signal sent with `kill` (nothing to re-execute, so a crash reporter returns
  /// after its report) ends the process by that signal: the explorer never carries on.
  @Test(arguments: [SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL])
  func crashSignalsEndTheProcess(_ signal: Int32) async {
    await #expect(processExitsWith: .signal(signal)) { [signal = signal as Int32] in
      SignalTrap.install()
      _ = kill(getpid(), signal)
      // Still alive 2 s later would mean the process carried on: the closure returns and
      // the process exits 0, which fails the expectation.
      for _ in 0..<200 { usleep(10_000) }
    }
  }

  /// The crash handler hands the signal to the handler that was there before (Swift's
  /// crash reporter), with its information and context, the way the kernel would have.
  @Test func crashHandlerChainsToTheEarlierHandler() {
    let reporter:
      @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?)
        -> Void = { signal, info, _ in
          chainedSignal.store(signal, ordering: .relaxed)
          chainedWithInfo.store(info != nil, ordering: .relaxed)
        }
    var saved = sigaction()
    saved.__sigaction_handler.sa_sigaction = reporter
    saved.sa_flags = SA_SIGINFO
    var info = siginfo_t()
    SignalTrap.chain(saved, SIGSEGV, &info, nil)
    let signal = chainedSignal.load(ordering: .relaxed)
    let withInfo = chainedWithInfo.load(ordering: .relaxed)
    #expect(signal == SIGSEGV)
    #expect(withInfo)
    // The default action and "ignore" are not called (they are not functions).
    chainedSignal.store(0, ordering: .relaxed)
    var standard = sigaction()
    standard.__sigaction_handler.sa_handler = nil
    SignalTrap.chain(standard, SIGSEGV, &info, nil)
    let after = chainedSignal.load(ordering: .relaxed)
    #expect(after == 0)
  }

  @Test func uninstallRestoresTheEarlierHandlers() {
    var before = sigaction()
    _ = sigaction(SIGINT, nil, &before)
    var crashBefore = sigaction()
    _ = sigaction(SIGSEGV, nil, &crashBefore)
    SignalTrap.install()
    var during = sigaction()
    _ = sigaction(SIGINT, nil, &during)
    SignalTrap.uninstall()
    var after = sigaction()
    _ = sigaction(SIGINT, nil, &after)
    var crashAfter = sigaction()
    _ = sigaction(SIGSEGV, nil, &crashAfter)

    func handler(_ action: sigaction) -> Int {
      unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
    }
    #expect(handler(during) != handler(before))
    #expect(handler(after) == handler(before))
    #expect(handler(crashAfter) == handler(crashBefore))
  }
}

/// What ``CursesTests/crashHandlerChainsToTheEarlierHandler()``'s stand-in reporter saw.
let chainedSignal = Atomic<Int32>(0)
let chainedWithInfo = Atomic<Bool>(false)
