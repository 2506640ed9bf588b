import Foundation
import TMSApp
import TMSCore
import TMSFiles
import TMSRender
import Testing

/// The explorer driven by scripted keys and mouse events, checking that they reach the
/// trainer. The trainer is a ``SteppedTrainer``: every command acts before it returns, so
/// there are no threads and nothing to wait for.
@Suite struct ExplorerInputTests {
  func started() throws -> (Explorer, SteppedTrainer) {
    let t = SteppedTrainer(run: try Run(config: .intro(), threads: 1))
    return (Explorer.forTests(t), t)
  }

  @Test func sparsitySliderChangesTheRunningModel() throws {
    let (e, t) = try started()
    t.step(5)
    let before = t.snapshot
    for _ in 0..<10 { e.handle(.key(.char("l"))) }
    let after = t.snapshot
    let p = after.config.featureProbability[0][0]
    #expect(p < 0.5 && p > 0.1, "ten fine steps right from p = 1, got \(p)")
    #expect(after.config.featureProbability[1] == before.config.featureProbability[1])
    #expect(after.step == before.step, "a live edit must not reset the run")
    e.handle(.key(.char("]")))
    #expect(t.snapshot.config.featureProbability[0][0] < p)
  }

  /// On a non-uniform row (the non-uniform preset: feature 0 at its own density) the 1−S
  /// slider scales the row, keeping the ratios, instead of flattening it.
  @Test func sparsitySliderKeepsANonUniformRowsRatios() {
    var c = RunConfig(features: 5, hidden: 2, instances: 2)
    c.featureProbability = [[0.5, 0.05, 0.05, 0.05, 0.05], [0.1, 0.1, 0.1, 0.1, 0.1]]
    Control.probability.apply(0.07, to: &c, instance: 0)
    let row = c.featureProbability[0]
    #expect(abs(row.reduce(0, +) / 5 - 0.07) < 1e-12)
    #expect(abs(row[0] / row[1] - 10) < 1e-9)
    Control.probability.apply(0.9, to: &c, instance: 0)
    #expect(c.featureProbability[0][0] == 1, "stops where the densest feature reaches p = 1")
    #expect(abs(c.featureProbability[0][0] / c.featureProbability[0][1] - 10) < 1e-9)
    Control.probability.apply(0.02, to: &c, instance: 1)
    #expect(c.featureProbability[1] == Array(repeating: 0.02, count: 5))
  }

  @Test func focusMovesAndOtherSlidersApply() throws {
    let (e, t) = try started()
    e.handle(.key(.down))
    #expect(e.state.focus == .control(.importance))
    e.handle(.key(.char("-")))
    let s = t.snapshot
    #expect(abs(s.config.importance[0][1] - 0.89) < 1e-9)
    for _ in 0..<4 { e.handle(.key(.char("j"))) }
    #expect(e.state.focus == .control(.lr))
    e.handle(.key(.char("+")))
    #expect(t.snapshot.config.training.learningRate > 1e-3)
    e.handle(.key(.tab))
    #expect(e.state.focus == .sweep)
    e.handle(.key(.right))
    #expect(e.state.instance == 1)
    e.handle(.key(.tab))
    #expect(e.state.focus == .heatmap)
  }

  @Test func spacePausesAndDotSteps() throws {
    let (e, t) = try started()
    e.handle(.key(.char(".")))
    let one = t.snapshot
    #expect(one.step == 1 && one.status == .paused)
    e.handle(.key(.char(" ")))
    #expect(t.snapshot.status == .running)
    e.handle(.key(.char(" ")))
    #expect(t.snapshot.status == .paused)
  }

  @Test func featuresSliderReinitialisesWithNewShape() throws {
    let (e, t) = try started()
    e.handle(.key(.down))
    e.handle(.key(.down))
    e.handle(.key(.char("+")))
    let s = t.snapshot
    #expect(s.config.features == 6)
    #expect(s.instances[0].parameters.W.count == 6)
  }

  @Test func mouseClickOnSliderSetsValue() throws {
    let (e, t) = try started()
    let snap = t.snapshot
    let buf = e.render(snap, width: 100, height: 30, depth: .xterm256)
    // Find the 1−S slider row and click at the right end of its track.
    let row = try #require((0..<buf.height).first { buf.lines[$0].contains("1−S      ") })
    let line = Array(buf.lines[row].unicodeScalars)
    let trackEnd = try #require(
      line.indices.filter { line[$0] == "─" || line[$0] == "━" }.filter { $0 < 50 }.last)
    e.handle(.mouse(MouseEvent(kind: .press, x: trackEnd, y: row)))
    e.handle(.mouse(MouseEvent(kind: .release, x: trackEnd, y: row)))
    let p = t.snapshot.config.featureProbability[0][0]
    #expect(p < 0.01, "a click at the sparse end sets p ≈ 0.001, got \(p)")
  }

  @Test func quitKeys() throws {
    let (e, _) = try started()
    #expect(!e.wantsQuit)
    e.handle(.key(.char("q")))
    #expect(e.wantsQuit)
    let (e2, _) = try started()
    e2.handle(.key(.ctrl("c")))
    #expect(e2.wantsQuit)
  }

  @Test func saveRunsInTheBackgroundAndReportsWhereInAToast() throws {
    let (e, t) = try started()
    e.saveSnapshot = { _ in "snapshots/intro-0-x.json" }
    e.handle(.key(.char("s")))
    #expect(e.render(t.snapshot, width: 100, height: 30, depth: .xterm256).text.contains("saving…"))
    e.handle(.key(.char("s")))
    #expect(
      e.render(t.snapshot, width: 100, height: 30, depth: .xterm256).text.contains(
        "already in progress"))
    e.tick(snapshot: t.snapshot, framesPerSecond: 30)
    #expect(
      e.render(t.snapshot, width: 100, height: 30, depth: .xterm256).text.contains(
        "saved snapshots/intro-0-x.json"))
    e.saveSnapshot = { _ in throw CocoaError(.fileWriteNoPermission) }
    e.handle(.key(.char("s")))
    e.tick(snapshot: t.snapshot, framesPerSecond: 30)
    #expect(
      e.render(t.snapshot, width: 100, height: 30, depth: .xterm256).text.contains("save failed"))
  }

  @Test func presetPickerLoadsAPreset() throws {
    let (e, t) = try started()
    var c = RunConfig(name: "tiny", features: 3, hidden: 2, instances: 2)
    c.setUniformProbability(0.1)
    let preset = Preset(config: c, description: "three features", expect: "a triangle")
    e.presets = { [preset] }
    e.handle(.key(.char("p")))
    let text = e.render(t.snapshot, width: 100, height: 30, depth: .xterm256).text
    #expect(text.contains("tiny") && text.contains("three features"))
    e.handle(.key(.enter))
    let s = t.snapshot
    #expect(s.config.name == "tiny" && s.config.features == 3 && s.step == 0)
    #expect(e.state.view == .overview, "a preset without a view keeps the current one")
  }

  /// A preset opens in the view it names; a name the explorer has no view for is refused by
  /// the loader the explorer configures, naming the allowed ones.
  @Test func presetOpensInItsView() throws {
    let bad = #"{"name": "v", "view": "bogus"}"#
    #expect(
      throws: PresetError(
        file: "v.json", path: "view",
        message:
          "must be one of compare, controls, dimensionality, features, focus, loss, neurons, overview, phase, results, sae, sweep; got 'bogus'"
      )
    ) { try Preset.parse(bytes: Array(bad.utf8), file: "v.json", views: ExplorerView.names) }
    #expect(ExplorerView(name: "neurons") == .neurons && ExplorerView(name: "bogus") == nil)
    let (e, t) = try started()
    var c = RunConfig(name: "dims", features: 6, hidden: 3, instances: 2)
    c.setProbabilitySweep(from: 1, to: 0.1)
    e.load(Preset(config: c, description: "D* sweep", view: "dimensionality"))
    #expect(e.state.view == .dimensionality)
    let text = e.render(t.snapshot, width: 100, height: 30, depth: .xterm256).text
    #expect(text.contains("1/(1−S)"), "\(text)")
  }
}
