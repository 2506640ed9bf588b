/// Control characters never reach a cell.
///
/// A cell is one visible glyph, so a C0 or C1 control character or DEL in a cell can only
/// be a string from a file (a preset's name, a snapshot's divergence text) on its way to the
/// terminal, where `ESC ] 52 …` would write the clipboard and `ESC [ 2 J` clear the screen.
/// ``Buffer/write(_:x:y:style:maxWidth:)`` therefore shows them escaped, one column per
/// character of the escape: C0 controls and DEL in caret notation (`ESC` is `^[`, a tab
/// `^I`, DEL `^?`), C1 controls as `\x9b`. A control glyph set directly into a cell becomes
/// `�`. Long text is cut by the width it is given anyway.
extension Unicode.Scalar {
  /// True for the C0 controls, DEL and the C1 controls: what a terminal may act on rather
  /// than show.
  public var isTerminalControl: Bool { value < 0x20 || (0x7F...0x9F).contains(value) }

  /// The visible escape of a control character (see above), or the scalar itself.
  var escapedForTerminal: [Unicode.Scalar] {
    if value < 0x20 { return ["^", Unicode.Scalar(UInt8(value + 0x40))] }
    if value == 0x7F { return ["^", "?"] }
    if (0x80...0x9F).contains(value) {
      return ["\\", "x"] + String(value, radix: 16).unicodeScalars
    }
    return [self]
  }
}

extension String {
  /// This text with its control characters escaped as cells show them, for text that goes
  /// to a terminal without a ``Buffer`` (stderr lines written once the screen is restored).
  public var escapingTerminalControls: String {
    guard unicodeScalars.contains(where: \.isTerminalControl) else { return self }
    var out = String.UnicodeScalarView()
    for scalar in unicodeScalars { out.append(contentsOf: scalar.escapedForTerminal) }
    return String(out)
  }
}

extension Cell {
  /// The replacement for a control character set straight into a cell.
  static let controlReplacement: Unicode.Scalar = "\u{FFFD}"
}
