/// A Buffer as text for a terminal that is not under curses: `tms show`, CI logs, READMEs.
extension Buffer {
  /// The grid row by row with ANSI SGR escapes for colours and attributes.
  ///
  /// Each change of style emits one `ESC[0;…m` (a reset, then bold 1, dim 2, underline 4,
  /// reverse 7, and the colours: `38;5;N`/`48;5;N` at xterm-256, `3N`/`4N` with the nearest
  /// ANSI colour at eight colours); every line that set a style ends with `ESC[0m`, so lines
  /// can be printed, cut or interleaved independently. Trailing plain blanks are dropped. In
  /// ``ColorDepth/monochrome`` the result is plain text with no escapes at all (``text``).
  public func ansiText(depth: ColorDepth) -> String {
    guard depth != .monochrome else { return text }
    var out = ""
    for row in 0..<height {
      var end = width
      while end > 0, cells[row * width + end - 1] == .blank { end -= 1 }
      var current = Style.plain
      var line = String.UnicodeScalarView()
      for col in 0..<end {
        let cell = cells[row * width + col]
        if cell.style != current {
          line.append(contentsOf: Self.sgr(cell.style, depth: depth).unicodeScalars)
          current = cell.style
        }
        line.append(cell.symbol)
      }
      if current != .plain { line.append(contentsOf: "\u{1B}[0m".unicodeScalars) }
      out += String(line)
      if row < height - 1 { out += "\n" }
    }
    return out
  }

  /// The escape that selects `style` from a reset state.
  static func sgr(_ style: Style, depth: ColorDepth) -> String {
    var codes = ["0"]
    if style.bold { codes.append("1") }
    if style.dim { codes.append("2") }
    if style.underline { codes.append("4") }
    if style.reverse { codes.append("7") }
    func color(_ c: Color, base: Int) -> String? {
      guard case .indexed(let i) = c else { return nil }
      switch depth {
      case .xterm256: return "\(base + 8);5;\(i)"
      case .ansi8: return "\(base + c.ansi8)"
      case .monochrome: return nil
      }
    }
    if let fg = color(style.fg, base: 30) { codes.append(fg) }
    if let bg = color(style.bg, base: 40) { codes.append(bg) }
    return "\u{1B}[" + codes.joined(separator: ";") + "m"
  }
}
