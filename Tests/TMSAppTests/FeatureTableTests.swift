import TMSApp
import TMSCore
import TMSFiles
import TMSRender
import Testing

/// The features view (9): every feature of the focused instance as a sortable table.
@Suite struct FeatureTableTests {
  /// Instance 7 of the fixed intro run (a pentagon) in the features view at 100×30.
  func explorer() -> (Explorer, TrainingSnapshot) {
    let (run, snap) = ExplorerRenderTests.trained
    let e = Explorer.forTests(SteppedTrainer(run: try! Run(config: run.config)))
    e.handle(.key(.char("9")))
    for _ in 0..<7 { e.handle(.key(.char("n"))) }
    return (e, snap)
  }

  /// The feature column of the table's rows, top to bottom.
  func order(_ buf: Buffer) -> [Int] {
    buf.lines.compactMap { line -> Int? in
      guard line.hasPrefix("│"), let first = line.dropFirst().split(separator: " ").first else {
        return nil
      }
      return Int(first)
    }
  }

  @Test func sortsByAnyColumn() throws {
    let (e, snap) = explorer()
    var buf = e.render(snap, width: 100, height: 30, depth: .xterm256)
    #expect(e.state.view == .features)
    #expect(buf.text.contains("features of #7 by i ↑"))
    #expect(order(buf) == [0, 1, 2, 3, 4])
    // Three times `o`: by ‖W_i‖, smallest first; `O` reverses.
    for _ in 0..<3 { e.handle(.key(.char("o"))) }
    buf = e.render(snap, width: 100, height: 30, depth: .xterm256)
    #expect(buf.text.contains("by ‖W_i‖ ↑"))
    let norms = snap.instances[7].metrics.norms
    let ascending = order(buf)
    #expect(ascending.count == 5)
    #expect(zip(ascending, ascending.dropFirst()).allSatisfy { norms[$0] <= norms[$1] })
    e.handle(.key(.char("O")))
    buf = e.render(snap, width: 100, height: 30, depth: .xterm256)
    #expect(order(buf) == ascending.reversed())
  }

  /// ↓ moves the feature cursor, whose row is drawn highlighted; the heatmap shares it.
  @Test func cursorRowIsHighlighted() throws {
    let (e, snap) = explorer()
    e.handle(.key(.down))
    e.handle(.key(.down))
    #expect(e.state.cursor.row == 2)
    let buf = e.render(snap, width: 100, height: 30, depth: .xterm256)
    let row = try #require(buf.lines.firstIndex { $0.hasPrefix("│2 ") })
    #expect(buf[1, row].style.reverse)
    let other = try #require(buf.lines.firstIndex { $0.hasPrefix("│3 ") })
    #expect(!buf[1, other].style.reverse)
  }
}
