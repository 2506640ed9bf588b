/// A snapshot that cannot be read, written or restored: names the file and the problem.
///
/// `description` is the one line the CLI prints: `FILE: problem`, where the problem names the
/// field (`instances[2].parameters.W[4]: has 3 values, expected m = 2`) or the system error
/// (`cannot create a file in snapshots/: Read-only file system`).
public struct SnapshotError: Error, Equatable, CustomStringConvertible, Sendable {
  /// The file concerned (empty when there is none yet).
  public var file: String
  /// What is wrong.
  public var message: String

  /// Creates an error about `file`.
  public init(file: String, _ message: String) {
    self.file = file
    self.message = message
  }

  /// The same problem, now attributed to `file`.
  public func naming(_ file: String) -> SnapshotError {
    SnapshotError(file: file, message)
  }

  /// `file: message` (just the message when there is no file).
  public var description: String { file.isEmpty ? message : "\(file): \(message)" }
}
