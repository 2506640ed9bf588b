import Foundation
import Synchronization
import TMSApp
import TMSCore
import TMSFiles
import TMSRender
import Testing

/// The phase-diagram view (8): golden frames of a finished and a partial diagram, the
/// paper's colours, the analytic boundary over the cells, the cell cursor, and the sweep's
/// life cycle (a phase preset starts it, another preset or quitting stops it).
@Suite struct PhaseViewTests {
  /// A finished 10×10 2→1 diagram of prototype weights (``PhaseFixtures``).
  static let twoToOne = PhaseSweep(finished: PhaseFixtures.result(features: 2, grid: 10))

  /// A 3→2 8×8 diagram with its first 20 cells (coarse to fine) filled, cancelled there.
  static let partialThreeToTwo = PhaseSweep(
    finished: PhaseFixtures.result(features: 3, grid: 8, cells: 20))

  func explorer() -> Explorer {
    let (run, _) = ExplorerRenderTests.trained
    return Explorer.forTests(SteppedTrainer(run: try! Run(config: run.config)))
  }

  func render(_ e: Explorer, _ w: Int = 80, _ h: Int = 24, depth: ColorDepth = .xterm256)
    -> Buffer
  {
    e.render(ExplorerRenderTests.trained.1, width: w, height: h, depth: depth)
  }

  // MARK: - Golden frames

  /// The finished 2→1 diagram with the cursor on a sparse cell (row 7, column 2).
  @Test func finishedTwoToOneAt80x24() {
    let e = explorer()
    e.showPhaseSweep(Self.twoToOne)
    for _ in 0..<7 { e.handle(.key(.down)) }
    for _ in 0..<2 { e.handle(.key(.char("l"))) }
    #expect(e.state.phaseCursor == MatrixIndex(row: 7, col: 2))
    expectGolden(render(e).text, named: "view-phase-80x24")
  }

  /// A partial 3→2 diagram in monochrome: finished cells as shades, the rest `·`.
  @Test func partialThreeToTwoMonochrome() {
    let e = explorer()
    e.showPhaseSweep(Self.partialThreeToTwo)
    let buf = render(e, 100, 30, depth: .monochrome)
    expectGolden(buf.text, named: "view-phase-partial-mono-100x30")
    #expect(buf.text.contains("cancelled 20/64"))
  }

  /// View 8 without a sweep says how to start one.
  @Test func phaseViewWithoutASweep() {
    let e = explorer()
    e.handle(.key(.char("8")))
    #expect(e.state.view == .phase)
    let text = render(e).text
    #expect(text.contains("no phase diagram is training"))
    #expect(text.contains("phase-2-1"))
  }

  // MARK: - Meaning of the picture

  /// The layout of the 10×10 grid at 80×24: cells 4 columns wide from column 6 and 2 rows
  /// high from line 2 (after the status line and the title).
  func cellOrigin(row: Int, col: Int) -> (x: Int, y: Int) { (6 + 4 * col, 2 + 2 * row) }

  /// Dense and r small: not learned, white. Dense and r large: dedicated, blue. Sparse: red.
  @Test func cellColoursFollowThePaper() throws {
    let e = explorer()
    e.showPhaseSweep(Self.twoToOne)
    e.handle(.key(.down))  // the cursor off the corner cell
    let buf = render(e)
    let result = Self.twoToOne.snapshot
    func rgb(_ row: Int, _ col: Int) throws -> (r: Int, g: Int, b: Int) {
      let (x, y) = cellOrigin(row: row, col: col)
      return try #require(buf[x + 1, y].style.bg.rgbComponents, "cell \(row),\(col)")
    }
    #expect(result.cells[0][0]?.label == .notLearned)
    let white = try rgb(0, 0)
    #expect(white.r > 200 && white.g > 200 && white.b > 200, "\(white)")
    #expect(result.cells[0][9]?.label == .dedicated)
    let blue = try rgb(0, 9)
    #expect(blue.b > blue.r + 80, "\(blue)")
    #expect(result.cells[9][0]?.label == .superposition)
    let red = try rgb(9, 0)
    #expect(red.r > red.b + 80, "\(red)")
  }

  /// The analytic boundary `▁` sits under the last row with p ≥ p*(r), in every column
  /// where that row is inside the grid, and nowhere else.
  @Test func analyticBoundaryIsDrawnPerColumn() throws {
    let e = explorer()
    e.showPhaseSweep(Self.twoToOne)
    for _ in 0..<9 { e.handle(.key(.down)) }  // cursor out of the way, bottom-left
    let buf = render(e)
    let result = Self.twoToOne.snapshot
    let boundary = try #require(result.analyticBoundary)
    for col in 0..<10 {
      let k = result.featureProbability.lastIndex { $0 >= boundary[col] } ?? -1
      for row in 0..<10 {
        let (x, y) = cellOrigin(row: row, col: col)
        let drawn = buf[x + 1, y + 1].symbol == "▁"
        #expect(buf[x + 1, y].symbol != "▁")
        #expect(drawn == (row == k && k < 9), "column \(col) row \(row), boundary row \(k)")
      }
    }
  }

  /// The cursor moves with the arrows and h j k l, stays inside the grid, and the side panel
  /// shows that cell's label, norm and weights.
  @Test func cursorSelectsACell() throws {
    let e = explorer()
    e.showPhaseSweep(Self.twoToOne)
    e.handle(.key(.up))
    e.handle(.key(.left))
    #expect(e.state.phaseCursor == MatrixIndex(row: 0, col: 0))
    for _ in 0..<30 { e.handle(.key(.char("j"))) }
    for _ in 0..<30 { e.handle(.key(.right)) }
    #expect(e.state.phaseCursor == MatrixIndex(row: 9, col: 9))
    let cell = try #require(Self.twoToOne.snapshot.cells[9][9])
    let text = render(e).text
    #expect(text.contains("■ superposition") == (cell.label == .superposition))
    #expect(text.contains("‖W_1‖ " + Format.number(cell.norm, significant: 3)))
    #expect(text.contains("p 0.01  r 10"))
    let (x, y) = cellOrigin(row: 9, col: 9)
    let buf = render(e)
    #expect(buf[x, y].symbol == "[" && buf[x + 3, y].symbol == "]")
  }

  /// A cell decided by a prototype carries a `*` in the grid, and the side panel names the
  /// prototype and keeps the best trained seed's label and loss; other cells carry no `*`.
  @Test func prototypeCellsAreMarked() throws {
    var result = PhaseFixtures.result(features: 2, grid: 10)
    var cell = try #require(result.cells[9][0])
    cell.trainedLabel = .notLearned
    cell.trainedLoss = 0.125
    cell.prototype = .antipodal
    result.cells[9][0] = cell
    let e = explorer()
    e.showPhaseSweep(PhaseSweep(finished: result))
    for _ in 0..<9 { e.handle(.key(.down)) }
    let text = render(e).text
    #expect(text.contains("* prototype antipodal"))
    #expect(text.contains("best seed: not learned"))
    #expect(text.contains("seed loss 0.125 (#1)"))
    #expect(text.contains("prototype beats seeds"))
    e.handle(.key(.right))  // the cursor's brackets off the marked cell
    let buf = render(e)
    #expect(!buf.text.contains("* prototype antipodal"))
    for row in 0..<10 {
      for col in 0..<10 {
        let (x, y) = cellOrigin(row: row, col: col)
        #expect((buf[x + 3, y].symbol == "*") == (row == 9 && col == 0), "cell \(row),\(col)")
      }
    }
  }

  /// A click on a cell puts the cursor there.
  @Test func clickSelectsACell() {
    let e = explorer()
    e.showPhaseSweep(Self.twoToOne)
    _ = render(e)
    let (x, y) = cellOrigin(row: 6, col: 3)
    e.handle(.mouse(MouseEvent(kind: .press, x: x + 2, y: y + 1)))
    #expect(e.state.phaseCursor == MatrixIndex(row: 6, col: 3))
  }

  // MARK: - Life cycle

  /// Loading a phase preset pauses the live trainer, starts its grid and shows it; loading
  /// another preset stops it and resumes the trainer. (The sweep trains in place here; the
  /// app runs it on background threads.)
  @Test func presetsStartAndStopTheSweep() throws {
    let t = SteppedTrainer(run: try Run(config: .intro(), threads: 1), paused: false)
    let e = Explorer.forTests(t)
    let presets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("presets")
    var phase = try Preset.load(
      path: presets.appendingPathComponent("phase-2-1.json").path, views: ExplorerView.names)
    var grid = try #require(phase.phase)
    grid.grid = 4
    grid.training.steps = 500
    phase.phase = grid
    e.load(phase)
    let first = try #require(e.phaseSweep)
    #expect(e.state.view == .phase && e.state.phaseGrid == 4)
    #expect(t.snapshot.status == .paused, "the sweep gets the cores")
    #expect(e.phaseProgress == 16 && first.snapshot.isComplete)
    #expect(render(e).text.contains("done 16/16"))
    // Another phase load replaces the sweep; a plain preset stops it.
    e.load(phase)
    #expect(first.isCancelled)
    let second = try #require(e.phaseSweep)
    #expect(second !== first)
    e.load(
      try Preset.load(
        path: presets.appendingPathComponent("intro.json").path, views: ExplorerView.names))
    #expect(second.isCancelled && e.phaseSweep == nil)
    #expect(t.snapshot.status == .running)
    e.load(phase)
    let third = try #require(e.phaseSweep)
    e.shutdown()
    #expect(third.isFinished && e.phaseSweep == nil)
  }

  /// The number keys still switch views while a sweep runs, and 8 comes back to it.
  @Test func numberKeysSwitchViews() {
    let e = explorer()
    e.showPhaseSweep(Self.twoToOne)
    e.handle(.key(.char("1")))
    #expect(e.state.view == .overview)
    #expect(!render(e).text.contains("phase diagram"))
    e.handle(.key(.char("8")))
    #expect(e.state.view == .phase)
    #expect(render(e).text.contains("2→1 phase diagram"))
  }
}
