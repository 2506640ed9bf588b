import Foundation
import TMSApp
import TMSCore
import TMSFiles
import TMSRender
import Testing

@testable import tms

/// `tms show` draws the explorer's panels: for the same snapshot, its instance block holds
/// exactly the cells the explorer's focus view draws under its status line.
@Suite struct ShowTests {
  @Test(arguments: [ColorDepth.xterm256, .monochrome])
  func showDrawsWhatTheExplorerDraws(depth: ColorDepth) throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("TMSAppTests/Fixtures/intro-3000.json")
      .path
    let snapshot = try SnapshotStore.load(path)
    let width = 100
    let shown = SnapshotView(snapshot: snapshot, depth: depth, width: width).panels(instance: 7)
    // The explorer on the same run, focus view, instance 7, at a size whose body has the
    // height the instance block gives its panels.
    let panelsHeight = shown.height - 1 - 8
    let trainer = SteppedTrainer(run: try Run(snapshot: snapshot))
    let explorer = Explorer(trainer: trainer)
    explorer.handle(.key(.char("2")))
    for _ in 0..<7 { explorer.handle(.key(.char("n"))) }
    let screen = explorer.render(
      snapshot.trainingSnapshot(), width: width, height: panelsHeight + 2, depth: depth)
    #expect(screen.lines.count == panelsHeight + 2)
    for row in 0..<panelsHeight {
      for col in 0..<width {
        let a = shown[col, 1 + row]
        let b = screen[col, 1 + row]
        #expect(a == b, "row \(row), column \(col): show \(a) vs explorer \(b)")
        if a != b { return }
      }
    }
    #expect(shown.text.contains("5 features in a pentagon"))
  }
}

/// `tms show` on a snapshot with an SAE: its SAE block holds exactly the cells the explorer's
/// SAE view draws above its sliders, and its table one line per SAE instance.
@Suite struct ShowSAETests {
  @Test func showDrawsTheExplorersSAEView() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("TMSAppTests/Fixtures/sae-intro.json")
      .path
    let snapshot = try SnapshotStore.load(path)
    let width = 100
    let view = SnapshotView(snapshot: snapshot, depth: .xterm256, width: width)
    let shown = view.saePanels(instance: 3)
    let trainer = SteppedTrainer(run: try Run(snapshot: snapshot))
    let explorer = Explorer(trainer: trainer)
    explorer.handle(.key(.char("0")))
    for _ in 0..<3 { explorer.handle(.key(.char("n"))) }
    // The explorer's body: the status line, then the panels, the sliders and the footer.
    let sliders = Control.saeControls.count + 2
    let screen = explorer.render(
      snapshot.trainingSnapshot(), width: width, height: shown.height - 1 + sliders + 2,
      depth: .xterm256)
    for row in 0..<(shown.height - 1) {
      for col in 0..<width {
        let a = shown[col, 1 + row]
        let b = screen[col, 1 + row]
        #expect(a == b, "row \(row), column \(col): show \(a) vs explorer \(b)")
        if a != b { return }
      }
    }
    #expect(shown.text.contains("2/5 latents dead: λ too large"))
    let table = view.saeTable().text
    #expect(table.split(separator: "\n").count == 5)
    #expect(table.contains("  3      3  3         "), "\(table)")
  }
}
