import ArgumentParser
import TMSEngine

/// `tms show`: placeholder.
struct Show: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Show a snapshot (placeholder).")
  @Argument var file: String
  func run() throws {}
}
