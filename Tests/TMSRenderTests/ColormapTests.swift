import Testing

@testable import TMSRender

@Suite struct ColormapTests {
  @Test func divergingEndsAndMiddleAtXterm256() {
    let map = DivergingColormap(scale: 1, depth: .xterm256)
    #expect(isBlueish(map.color(for: -1)))
    #expect(isReddish(map.color(for: 1)))
    #expect(isNeutral(map.color(for: 0)))
    #expect(map.color(for: .nan) == map.color(for: 0))
  }

  @Test func divergingClampsToScaleAndUsesIt() {
    let map = DivergingColormap(scale: 2)
    #expect(map.swatch(for: -50) == map.swatch(for: -2))
    let unit = DivergingColormap(scale: 1)
    #expect(map.color(for: 2) == unit.color(for: 1))
    #expect(map.color(for: 1) == unit.color(for: 0.5))
    #expect(map.color(for: -1) == unit.color(for: -0.5))
    #expect(DivergingColormap(scale: 0).domain == -1...1)
  }

  @Test func divergingHasSevenDistinctStepsEachSide() {
    let map = DivergingColormap()
    let colours = (-7...7).map { map.color(for: Float($0) / 7) }
    #expect(Set(colours).count == 15)
    let negatives = (1...7).map { map.color(for: -Float($0) / 7) }
    let positives = (1...7).map { map.color(for: Float($0) / 7) }
    #expect(negatives.allSatisfy { c in rgb(c).b >= rgb(c).r && rgb(c).b >= rgb(c).g })
    #expect(positives.allSatisfy { c in rgb(c).r >= rgb(c).g && rgb(c).r >= rgb(c).b })
    for (weak, strong) in zip(positives, positives.dropFirst()) {
      #expect(luminance(weak) > luminance(strong))
    }
    for (weak, strong) in zip(negatives, negatives.dropFirst()) {
      #expect(luminance(weak) > luminance(strong))
    }
  }

  @Test func divergingAnsi8UsesBlueWhiteRedWithIntensity() {
    let map = DivergingColormap(depth: .ansi8)
    #expect(map.swatch(for: -1) == Swatch(color: .indexed(4), glyph: "█", bold: true))
    #expect(map.swatch(for: 0) == Swatch(color: .indexed(7), glyph: " "))
    #expect(map.swatch(for: 0.25) == Swatch(color: .indexed(1), glyph: "░", dim: true))
    #expect(map.swatch(for: 0.5) == Swatch(color: .indexed(1), glyph: "▒"))
  }

  @Test func divergingMonochromeEncodesSignByGlyphFamily() {
    let map = DivergingColormap(depth: .monochrome)
    let glyphs = [-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1].map {
      map.swatch(for: Float($0)).glyph
    }
    #expect(String(String.UnicodeScalarView(glyphs)) == "≡=-· ░▒▓█")
    for v: Float in [-1, 0, 1] { #expect(map.color(for: v) == .terminalDefault) }
  }

  @Test func sequentialRisesInLuminance() {
    let map = SequentialColormap()
    let colours = (0...7).map { map.color(for: Float($0) / 7) }
    #expect(Set(colours).count == 8)
    for (a, b) in zip(colours, colours.dropFirst()) { #expect(luminance(a) < luminance(b)) }
    #expect(map.color(for: -3) == colours[0])
    #expect(map.color(for: 3) == colours[7])
  }

  @Test func sequentialRangeAndOtherDepths() {
    let map = SequentialColormap(range: 10...20)
    #expect(map.color(for: 10) == SequentialColormap().color(for: 0))
    #expect(map.color(for: 15) == SequentialColormap().color(for: 0.5))
    #expect(map.color(for: 20) == SequentialColormap().color(for: 1))
    let mono = SequentialColormap(depth: .monochrome)
    #expect(
      [0, 0.25, 0.5, 0.75, 1].map { mono.swatch(for: Float($0)).glyph } == [
        " ", "░", "▒", "▓", "█",
      ])
    #expect(mono.color(for: 1) == .terminalDefault)
    let ansi = SequentialColormap(depth: .ansi8)
    #expect(ansi.swatch(for: 1) == Swatch(color: .indexed(3), glyph: "█", bold: true))
    #expect(SequentialColormap(range: 1...1).swatch(for: 1) == SequentialColormap().swatch(for: 1))
  }

  /// The palette's colours in the terminal are the nearest xterm-256 entries (cube and
  /// greys), and in figures their hex codes.
  @Test func rgbToTerminalAndHex() {
    #expect(RGB(255, 0, 0).terminal == .indexed(196))
    #expect(RGB(0, 0, 0).terminal == .indexed(16))
    #expect(RGB(128, 128, 128).terminal == .indexed(244))
    #expect(RGB(95, 135, 175).terminal == .indexed(67))
    #expect(RGB(250, 250, 252).terminal == .indexed(231))
    #expect(RGB(33, 102, 172).hex == "#2166ac")
    #expect(RGB(300, -4, 15.4).hex == "#ff000f")
  }

  /// Ramps interpolate between stops and clamp at the ends; the phase colours blend as the
  /// paper's figure does.
  @Test func rampsAndPhaseColours() {
    let ramp = ColorRamp([(0, RGB(0, 0, 0)), (1, RGB(200, 100, 50))])
    #expect(ramp.color(at: 0.5) == RGB(100, 50, 25))
    #expect(ramp.color(at: -3) == RGB(0, 0, 0) && ramp.color(at: 9) == RGB(200, 100, 50))
    #expect(ramp.color(at: .nan) == RGB(0, 0, 0))
    #expect(Palette.phase(norm: 0, superposition: 1) == Palette.notLearned)
    #expect(Palette.phase(norm: 1, superposition: 0) == Palette.dedicated)
    #expect(Palette.phase(norm: 1, superposition: 1) == Palette.superposition)
    let half = Palette.phase(norm: 0.5, superposition: 0)
    #expect(half.blue > half.red && half.red > Palette.dedicated.red)
  }

  @Test func paletteComponents() {
    #expect(Color.indexed(16).rgbComponents! == (0, 0, 0))
    #expect(Color.indexed(196).rgbComponents! == (255, 0, 0))
    #expect(Color.indexed(244).rgbComponents! == (128, 128, 128))
    #expect(Color.terminalDefault.rgbComponents == nil)
  }
}
