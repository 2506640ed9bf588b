import Foundation
import TMSApp
import TMSCore
import TMSFiles
import TMSRender
import Testing

/// Whole views of the explorer drawn into the cell grid at fixed sizes, compared with golden
/// text, plus the colours that carry meaning.
@Suite struct ExplorerRenderTests {
  /// Fixed weights: the intro sweep after 3,000 steps (seed 0), saved once to a snapshot
  /// file, so the view goldens never change with the engine (its numbers are pinned by the
  /// engine's own tests).
  static let trained: (Run, TrainingSnapshot) = {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/intro-3000.json").path
    let snapshot = try! SnapshotStore.load(path)
    return (try! Run(snapshot: snapshot, threads: 2), snapshot.trainingSnapshot())
  }()

  func explorer(_ run: Run) -> Explorer {
    Explorer.forTests(SteppedTrainer(run: try! Run(config: run.config)))
  }

  @Test(arguments: [ExplorerView.overview, .focus, .sweep, .loss, .controls, .dimensionality])
  func viewsAt80x24(view: ExplorerView) throws {
    let (run, snap) = Self.trained
    let e = explorer(run)
    let key = try #require(Views.all.first { $0.id == view }?.key)
    e.handle(.key(.char(key)))
    let buf = e.render(snap, width: 80, height: 24, depth: .xterm256)
    expectGolden(buf.text, named: "view-\(view.title)-80x24")
  }

  @Test func overviewAt120x40() {
    let (run, snap) = Self.trained
    let buf = explorer(run).render(snap, width: 120, height: 40, depth: .xterm256)
    expectGolden(buf.text, named: "overview-120x40")
  }

  @Test func overviewMonochrome() {
    let (run, snap) = Self.trained
    let buf = explorer(run).render(snap, width: 80, height: 24, depth: .monochrome)
    expectGolden(buf.text, named: "overview-mono-80x24")
    let colored = buf.cells.filter {
      if case .indexed = $0.style.bg { return true } else { return false }
    }
    #expect(colored.isEmpty, "monochrome must not set background colours")
  }

  /// The loss view titles the held-out loss with its standard error once one is known.
  @Test func lossTitleShowsTheStandardError() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/intro-3000.json").path
    var snapshot = try SnapshotStore.load(path)
    snapshot.instances[0].metrics.evalLoss = 0.0123
    snapshot.instances[0].metrics.evalLossError = 0.000456
    let (run, _) = Self.trained
    let e = explorer(run)
    let key = try #require(Views.all.first { $0.id == .loss }?.key)
    e.handle(.key(.char(key)))
    let buf = e.render(snapshot.trainingSnapshot(), width: 80, height: 24, depth: .xterm256)
    let shown = "eval \(Format.number(0.0123)) ± \(Format.number(0.000456, significant: 2))"
    #expect(buf.text.contains(shown), "\(shown) missing from\n\(buf.text)")
  }

  /// The dense instance's WᵀW has ≈ +1 on the first two diagonal entries: the heatmap's first
  /// pixels are red on the xterm-256 cube (r > b), and an off-diagonal zero is neutral.
  @Test func heatmapColoursCarryTheSign() throws {
    let (run, snap) = Self.trained
    let buf = explorer(run).render(snap, width: 80, height: 24, depth: .xterm256)
    let (x, y) = try #require(firstHalfBlock(buf))
    let top = buf[x, y].style.fg
    #expect(isReddish(top), "W0·W0 ≈ 1 should be red, got \(top)")
  }

  func firstHalfBlock(_ buf: Buffer) -> (Int, Int)? {
    for y in 0..<buf.height {
      for x in 0..<buf.width where buf[x, y].symbol == "▀" { return (x, y) }
    }
    return nil
  }

  func isReddish(_ c: Color) -> Bool {
    guard case .indexed(let i) = c, i >= 16, i < 232 else { return false }
    let v = Int(i) - 16
    return v / 36 > v % 6
  }

  @Test func tooSmallScreen() {
    let (run, snap) = Self.trained
    let e = explorer(run)
    let buf = e.render(snap, width: 40, height: 12, depth: .xterm256)
    #expect(buf.text.contains("terminal too small"))
    #expect(buf.text.contains("40×12"))
    for (w, h) in [(0, 0), (1, 1), (79, 24), (80, 23), (3, 200)] {
      let tiny = e.render(snap, width: w, height: h, depth: .xterm256)
      #expect(tiny.width == w && tiny.height == h)
    }
  }

  @Test func helpOverlayListsEveryKey() {
    let (run, snap) = Self.trained
    let e = explorer(run)
    e.handle(.key(.char("?")))
    let text = e.render(snap, width: 100, height: 40, depth: .xterm256).text
    for key in ["space", "Ctrl-L", "presets picker", "save a snapshot", "coarse adjust"] {
      #expect(text.contains(key), "help should mention \(key)")
    }
    e.handle(.key(.escape))
    #expect(!e.render(snap, width: 100, height: 40, depth: .xterm256).text.contains("tms keys"))
  }

  /// The neuron view of a privileged-basis model at 80×24, and its rules: near-zero weights
  /// do not stack into a bar, neuron numbers that do not fit side by side run downwards.
  @Test func neuronViewAt80x24() throws {
    var c = RunConfig(model: .reluHidden, features: 30, hidden: 24, instances: 1)
    c.setUniformProbability(0.1)
    let run = try Run(config: c)
    // Neuron 0 reads feature 0 alone, plus 29 weights of 1% each (29% of it in total).
    var p = run.parameters(instance: 0)
    for i in 0..<30 {
      for j in 0..<24 { p.W[i][j] = i == j ? 1 : (j == 0 ? 0.01 : 0) }
    }
    run.setParameters(p, instance: 0)
    let snap = TrainingSnapshot.capture(run, evalSamples: 0)
    let e = Explorer.forTests(SteppedTrainer(run: try Run(config: c)))
    e.handle(.key(.char("7")))
    let buf = e.render(snap, width: 80, height: 24, depth: .xterm256)
    expectGolden(buf.text, named: "view-neurons-80x24")
    let text = buf.text
    #expect(text.contains("24/24 monosemantic"), "\(text)")
    // 24 neurons in 78 columns: 3 columns each, so "23" fits on one row.
    #expect(text.contains("23"))
  }

  /// The loss view: the loss and every D_i over the same steps, their axes in one column so
  /// that a D_i jump sits under the loss drop it goes with.
  @Test func lossViewAlignsLossAndDimensionality() throws {
    let t = SteppedTrainer(run: try Run(config: .intro(), threads: 1))
    for _ in 0..<6 { t.step(50) }
    let snap = t.snapshot
    #expect(snap.dimensionalityHistory.steps.count >= 2)
    let e = Explorer.forTests(t)
    e.handle(.key(.char("4")))
    let lines = e.render(snap, width: 100, height: 30, depth: .xterm256).lines
    #expect(lines.contains { $0.contains("D_i of #0 over steps") })
    let axisColumns = Set(
      lines.compactMap { line -> Int? in
        guard let r = line.firstIndex(of: "┤") else { return nil }
        return line.distance(from: line.startIndex, to: r)
      })
    #expect(axisColumns.count == 1, "axis columns \(axisColumns)")
  }

  /// A model with more features than rows: the norms list is a window that follows the
  /// heatmap cursor, so the last features' bars can be reached.
  @Test func featureBarsFollowTheHeatmapCursor() throws {
    var c = RunConfig(features: 40, hidden: 5, instances: 1)
    c.setImportanceDecay(0.95)
    let run = try Run(config: c)
    run.train(steps: 20)
    let snap = TrainingSnapshot.capture(run, evalSamples: 0)
    let e = Explorer.forTests(SteppedTrainer(run: try Run(config: c)))
    var text = e.render(snap, width: 80, height: 24, depth: .xterm256).text
    #expect(text.range(of: #"1–\d+ of 40 by importance"#, options: .regularExpression) != nil)
    e.handle(.key(.tab))
    e.handle(.key(.tab))
    #expect(e.state.focus == .heatmap)
    for _ in 0..<39 { e.handle(.key(.char("j"))) }
    #expect(e.state.cursor.row == 39)
    text = e.render(snap, width: 80, height: 24, depth: .xterm256).text
    #expect(
      text.range(of: #"\d+–40 of 40 by importance"#, options: .regularExpression) != nil, "\(text)")
    // Zoomed, the heatmap's title says which rows and columns it shows.
    e.handle(.key(.char("z")))
    text = e.render(snap, width: 120, height: 40, depth: .xterm256).text
    #expect(text.contains("WᵀW ×2 [20–39]×[0–19]"))
    for _ in 0..<39 { e.handle(.key(.char("l"))) }
    text = e.render(snap, width: 80, height: 24, depth: .xterm256).text
    #expect(text.contains("WᵀW ×2 [20–39]²"))
  }

  /// At 80×24 the help does not fit: j/↓ scroll it until its last row, the mouse, shows, and
  /// while it is open they do not move the sliders.
  @Test func helpScrollsAt80x24() {
    let (run, snap) = Self.trained
    let e = explorer(run)
    e.handle(.key(.char("?")))
    var text = e.render(snap, width: 80, height: 24, depth: .xterm256).text
    #expect(text.contains("more · ↑↓ scroll"))
    let last = Screen.helpEntries.last!.action
    #expect(!text.contains(last))
    let focus = e.state.focus
    for _ in 0..<Screen.helpEntries.count {
      e.handle(.key(.char("j")))
      text = e.render(snap, width: 80, height: 24, depth: .xterm256).text
    }
    #expect(text.contains(last), "\(text)")
    #expect(text.contains("above · ↑↓ scroll"))
    #expect(e.state.focus == focus)
    e.handle(.key(.home))
    text = e.render(snap, width: 80, height: 24, depth: .xterm256).text
    #expect(text.contains("quit (the terminal is restored)"))
  }

  @Test func divergenceShowsAMessage() {
    let (run, _) = Self.trained
    let snap = TrainingSnapshot.capture(
      run,
      status: .diverged(
        instance: 3,
        reason: "loss became inf at step 7; rolled back 7 steps to the last healthy weights"),
      evalSamples: 0)
    let text = explorer(run).render(snap, width: 80, height: 24, depth: .xterm256).text
    #expect(text.contains("training diverged"))
    #expect(text.contains("instance 3: loss became inf at step 7"))
    #expect(text.contains("Rolled back 7 steps to the last healthy weights."))
    #expect(text.contains("Lower lr"))
  }
}
