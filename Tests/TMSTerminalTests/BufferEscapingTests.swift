import TMSRender
import Testing

/// A Buffer cell never holds a control character: strings from files (a preset's name, a
/// snapshot's divergence text) are shown escaped by `Buffer.write`, in the explorer and in
/// `tms show` alike, and cut by the width they are given.
@Suite struct BufferEscapingTests {
  static func hasControl(_ text: String) -> Bool {
    text.unicodeScalars.contains(where: \.isTerminalControl)
  }

  @Test func writeShowsControlsEscaped() {
    var buffer = Buffer(width: 40, height: 1)
    let end = buffer.write("a\u{1B}]52;c;SGk=\u{07}b\u{9B}2J\u{7F}", x: 0, y: 0)
    #expect(buffer.text == "a^[]52;c;SGk=^Gb\\x9b2J^?")
    #expect(end == buffer.text.unicodeScalars.count)
    #expect(!Self.hasControl(buffer.ansiText(depth: .xterm256)))
  }

  @Test func writeKeepsPrintableText() {
    var buffer = Buffer(width: 20, height: 1)
    buffer.write("WᵀW ‖W_i‖ 1−S", x: 0, y: 0)
    #expect(buffer.text == "WᵀW ‖W_i‖ 1−S")
  }

  @Test func escapesAreCutByTheWidthLikeText() {
    var buffer = Buffer(width: 10, height: 2)
    buffer.write(String(repeating: "\u{1B}", count: 50), x: 0, y: 0)
    #expect(buffer.lines[0] == "^[^[^[^[^[")
    buffer.write("ab\u{1B}cd", x: 0, y: 1, maxWidth: 3)
    #expect(buffer.lines[1] == "ab^       ")
  }

  @Test func clippedWriteEscapesToo() {
    var buffer = Buffer(width: 12, height: 1)
    let clip = Rect(x: 2, y: 0, width: 6, height: 1)
    buffer.write("\u{1B}[2Jxyz", x: 0, y: 0, clip: clip)
    #expect(buffer.lines[0] == "  [2Jxyz    ")
  }

  @Test func controlGlyphSetDirectlyBecomesAReplacement() {
    var buffer = Buffer(width: 3, height: 1)
    buffer.set(0, 0, "\u{1B}")
    buffer[1, 0] = Cell("\u{9B}")
    buffer.set(2, 0, "x")
    #expect(buffer.lines[0] == "\u{FFFD}\u{FFFD}x")
  }

  /// A 50 MB string costs the row it fills, not its length.
  @Test func hugeTextCostsTheWidth() {
    let huge = String(repeating: "x\u{1B}", count: 25_000_000)
    let clock = ContinuousClock()
    let start = clock.now
    var buffer = Buffer(width: 80, height: 2)
    let end = buffer.write(huge, x: 0, y: 0)
    let clipped = buffer.write(huge, x: 0, y: 1, clip: Rect(x: 0, y: 1, width: 80, height: 1))
    #expect(end == 80)
    #expect(clipped >= 80 && clipped <= 82)
    #expect(clock.now - start < .seconds(1))
  }

  @Test func stringsForStderrAreEscapedTheSameWay() {
    #expect("ok ‖W‖".escapingTerminalControls == "ok ‖W‖")
    #expect("x\u{1B}[2J\u{0}\u{9F}".escapingTerminalControls == "x^[[2J^@\\x9f")
  }
}
