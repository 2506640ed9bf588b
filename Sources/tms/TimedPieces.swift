/// Training in pieces timed to about 50 ms, so that an interrupt (``Interrupt``) is seen
/// within one piece whatever a step costs: the piece doubles while one takes under 25 ms and
/// halves while one takes over 100 ms, never below one step nor above 2²⁰ steps. A piece is
/// only a count of steps: the steps themselves are the same however they are cut.
struct TimedPieces {
  /// Steps in the next piece.
  private(set) var size = 1

  /// Adapts the next piece's size to the last one, which took `seconds`.
  mutating func took(_ seconds: Double) {
    if seconds < 0.025 {
      size = min(size * 2, 1 << 20)
    } else if seconds > 0.1 {
      size = max(1, size / 2)
    }
  }
}
