import ArgumentParser
import TMSEngine

/// `tms export`: a snapshot as NumPy arrays or a paper-style SVG figure.
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Export a snapshot (placeholder).")
  @Argument var file: String
  func run() throws {}
}
