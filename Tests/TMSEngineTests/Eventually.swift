import Foundation

/// Waits until `condition` holds, polling every millisecond, for at most `timeout`: a
/// bounded wait for something another thread does, instead of a sleep followed by a guess
/// about how far it got. Returns whether the condition came true.
func eventually(timeout: Duration = .seconds(30), _ condition: () -> Bool) -> Bool {
  let clock = ContinuousClock()
  let deadline = clock.now + timeout
  while !condition() {
    if clock.now >= deadline { return false }
    Thread.sleep(forTimeInterval: 0.001)
  }
  return true
}
