import Testing

@testable import TMSRender

@Suite struct FooterTests {
  let footer = Footer(hints: [
    KeyHint("q", "quit"), KeyHint("space", "pause"), KeyHint("?", "help"),
  ])

  @Test func allHintsWhenTheyFit() {
    let buffer = draw(30, 1) { b, a in footer.render(into: &b, area: a) }
    #expect(buffer.text == "q quit  space pause  ? help")
    #expect(buffer[0, 0].style == Style(fg: .indexed(75), bold: true))
    #expect(buffer[2, 0].style == .plain)
    #expect(buffer[8, 0].style.bold && !buffer[14, 0].style.bold)
  }

  @Test func wholeHintsAreDroppedWithAnEllipsis() {
    #expect(draw(20, 1) { b, a in footer.render(into: &b, area: a) }.text == "q quit  …  ? help")
    #expect(draw(16, 1) { b, a in footer.render(into: &b, area: a) }.text == "q quit  …")
    #expect(draw(4, 1) { b, a in footer.render(into: &b, area: a) }.text == "q q…")
    #expect(draw(1, 1) { b, a in footer.render(into: &b, area: a) }.text == "…")
  }

  @Test func monochromeKeysAreBoldOnly() {
    var mono = footer
    mono.depth = .monochrome
    let buffer = draw(30, 1) { b, a in mono.render(into: &b, area: a) }
    #expect(isColourless(buffer))
    #expect(buffer[0, 0].style.bold)
  }
}

@Suite struct HelpOverlayTests {
  @Test func centredBoxClearsWhatIsUnder() {
    let help = HelpOverlay(
      title: "Keys",
      entries: [KeyHint("q", "quit"), KeyHint("?", "help"), KeyHint("space", "pause")])
    let buffer = draw(20, 7, fill: "x") { b, a in help.render(into: &b, area: a) }
    #expect(
      buffer.lines == [
        "xxxxxxxxxxxxxxxxxxxx",
        "xx╭─ Keys ───────╮xx",
        "xx│ q      quit  │xx",
        "xx│ ?      help  │xx",
        "xx│ space  pause │xx",
        "xx╰──────────────╯xx",
        "xxxxxxxxxxxxxxxxxxxx",
      ])
    #expect(buffer[4, 2].style.bold)
    #expect(!buffer[11, 2].style.bold)
  }

  @Test func overflowScrollsAndSaysWhatIsHidden() {
    var help = HelpOverlay(entries: [
      KeyHint("a", "one"), KeyHint("b", "two"), KeyHint("c", "three"), KeyHint("d", "four"),
      KeyHint("e", "five"),
    ])
    #expect(help.maxScroll(in: Rect(x: 0, y: 0, width: 36, height: 5)) == 3)
    #expect(help.maxScroll(in: Rect(x: 0, y: 0, width: 36, height: 7)) == 0)
    let top = draw(36, 5) { b, a in help.render(into: &b, area: a) }
    #expect(
      top.lines == [
        " ╭─ Help ────────────────────────╮  ",
        " │ a  one                        │  ",
        " │ b  two                        │  ",
        " │ ↓ 3 more · ↑↓ scroll          │  ",
        " ╰───────────────────────────────╯  ",
      ])
    help.scroll = 1
    #expect(
      draw(36, 5) { b, a in help.render(into: &b, area: a) }.lines[1...3] == [
        " │ b  two                        │  ",
        " │ c  three                      │  ",
        " │ ↓ 2 more, 1 above · ↑↓ scroll │  ",
      ])
    help.scroll = 99
    #expect(
      draw(36, 5) { b, a in help.render(into: &b, area: a) }.lines[1...3] == [
        " │ d  four                       │  ",
        " │ e  five                       │  ",
        " │ ↑ 3 above · ↑↓ scroll         │  ",
      ])
  }
}

@Suite struct ToastTests {
  @Test func boxNearTheBottomRight() {
    let buffer = draw(20, 6, fill: ".") { b, a in Toast("saved").render(into: &b, area: a) }
    #expect(
      buffer.lines == [
        "....................",
        "....................",
        "..........╭───────╮.",
        "..........│ saved │.",
        "..........╰───────╯.",
        "....................",
      ])
    #expect(buffer[10, 2].style.fg == .indexed(75))
  }

  @Test func kindColoursTheBorder() {
    let error = draw(12, 4) { b, a in Toast("bad", kind: .error).render(into: &b, area: a) }
    #expect(isReddish(error[4, 0].style.fg))
    let mono = draw(12, 4) { b, a in
      Toast("bad", kind: .warning, depth: .monochrome).render(into: &b, area: a)
    }
    #expect(isColourless(mono) && mono[4, 0].style.bold)
  }

  @Test func tooShortForABorderShowsTheMessage() {
    #expect(draw(3, 1) { b, a in Toast("saved").render(into: &b, area: a) }.lines == ["sa…"])
  }
}

@Suite struct TooSmallScreenTests {
  @Test func oneLineWhenItFits() {
    let buffer = draw(44, 3, fill: "x") { b, a in
      TooSmallScreen(width: 44, height: 3).render(into: &b, area: a)
    }
    #expect(
      buffer.lines == [
        String(repeating: " ", count: 44),
        " terminal too small: have 44×3, need 80×24  ",
        String(repeating: " ", count: 44),
      ])
    #expect(isReddish(buffer[26, 1].style.fg) && isReddish(buffer[27, 1].style.fg))
    #expect(buffer[28, 1].style == .plain)
    #expect(isReddish(buffer[29, 1].style.fg))
    for x in 37...41 { #expect(buffer[x, 1].style.fg == .indexed(46)) }
  }

  @Test func narrowTerminalsGetThreeLines() {
    let buffer = draw(12, 3) { b, a in
      TooSmallScreen(width: 12, height: 3).render(into: &b, area: a)
    }
    #expect(buffer.lines == ["terminal to…", " have 12×3  ", " need 80×24 "])
    #expect(
      draw(1, 1) { b, a in TooSmallScreen(width: 1, height: 1).render(into: &b, area: a) }
        .lines == ["…"])
    #expect(
      draw(9, 1) { b, a in TooSmallScreen(width: 9, height: 1).render(into: &b, area: a) }
        .lines == ["terminal…"])
  }

  @Test func onlyTheShortDimensionIsRed() {
    let buffer = draw(60, 1) { b, a in
      TooSmallScreen(width: 100, height: 20).render(into: &b, area: a)
    }
    #expect(buffer.text == "        terminal too small: have 100×20, need 80×24")
    #expect(buffer[34, 0].style == .plain)
    #expect(isReddish(buffer[38, 0].style.fg))
  }

  @Test func monochromeBoldsTheShortValues() {
    let buffer = draw(44, 1) { b, a in
      TooSmallScreen(width: 44, height: 1, depth: .monochrome).render(into: &b, area: a)
    }
    #expect(isColourless(buffer))
    #expect(buffer[26, 0].style.bold)
  }
}

@Suite struct StatusLineTests {
  let segments = [Span("step 12.3k"), Span("loss 0.0366", style: Style(fg: .indexed(214)))]

  @Test func segmentsWithSeparators() {
    let buffer = draw(30, 1) { b, a in StatusLine(segments: segments).render(into: &b, area: a) }
    #expect(buffer.text == "step 12.3k │ loss 0.0366")
    #expect(buffer[13, 0].style.fg == .indexed(214))
  }

  @Test func overflowIsCutWithAnEllipsis() {
    let buffer = draw(15, 1) { b, a in StatusLine(segments: segments).render(into: &b, area: a) }
    #expect(buffer.lines == ["step 12.3k │ l…"])
  }

  @Test func backgroundFillsTheLine() {
    let buffer = draw(30, 2) { b, a in
      StatusLine(segments: segments, background: Style(reverse: true)).render(into: &b, area: a)
    }
    #expect((0..<30).allSatisfy { buffer[$0, 0].style.reverse })
    #expect(!buffer[0, 1].style.reverse)
  }

  @Test func monochromeDropsSegmentColours() {
    let buffer = draw(30, 1) { b, a in
      StatusLine(segments: segments, depth: .monochrome).render(into: &b, area: a)
    }
    #expect(isColourless(buffer))
  }
}
