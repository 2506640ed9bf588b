import Foundation
import TMSApp
import TMSCore
import TMSFiles
import TMSRender
import Testing

/// The compare view with real (stepped) trainers: the explorer opens, steers and stops the
/// second trainer, and draws both runs side by side; goldens from fixed weights.
@Suite struct CompareViewTests {
  /// Fixed weights: linear-vs-relu after 3,000 steps (seed 0), the relu-output run and the
  /// same run with `--model linear`, each saved once by `tms train --save`.
  static func fixture(_ name: String) -> Snapshot {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/linear-vs-relu-\(name)-3000.json").path
    return try! SnapshotStore.load(path)
  }

  /// A stepped trainer on a saved run, its loss history included.
  static func stepped(_ snapshot: Snapshot) -> SteppedTrainer {
    SteppedTrainer(run: try! Run(snapshot: snapshot, threads: 1), history: snapshot.lossHistory)
  }

  /// An explorer whose second runs are stepped trainers; `stopped` counts the trainers it
  /// stopped.
  final class Harness {
    let explorer: Explorer
    var made: [SteppedTrainer] = []
    var stopped = 0

    init(_ first: any TrainerControl) {
      explorer = Explorer.forTests(first)
      explorer.compare.makeTrainer = { [unowned self] start, paused in
        let t: SteppedTrainer
        switch start {
        case .config(let c): t = SteppedTrainer(run: try Run(config: c, threads: 1), paused: paused)
        case .snapshot(let s): t = CompareViewTests.stepped(s)
        }
        made.append(t)
        return t
      }
      explorer.compare.stopTrainer = { [unowned self] _ in stopped += 1 }
    }

    func key(_ c: Character) { explorer.handle(.key(.char(c))) }
  }

  /// The relu-output run with the linear run opened beside it from its snapshot.
  func fixedPair() -> Harness {
    let h = Harness(Self.stepped(Self.fixture("relu")))
    h.explorer.openSecondRun(
      .snapshot(Self.fixture("linear")), name: "linear", own: ["model"], paused: true)
    return h
  }

  /// `C` starts a second trainer with the next seed; space, `.` and `r` reach both; `C`
  /// again replaces (and stops) it; quitting stops the last one.
  @Test func keysSteerBothTrainers() throws {
    let first = SteppedTrainer(run: try Run(config: .intro(), threads: 1))
    let h = Harness(first)
    h.key("C")
    let second = try #require(h.explorer.compare.trainer as? SteppedTrainer)
    #expect(second.snapshot.config.training.seed == first.snapshot.config.training.seed + 1)
    #expect(second.snapshot.status == .running && first.snapshot.status == .running)
    h.key(" ")
    #expect(first.snapshot.status == .paused && second.snapshot.status == .paused)
    h.key(".")
    #expect(first.snapshot.step == 1 && second.snapshot.step == 1)
    h.key("r")
    #expect(first.snapshot.step == 0 && second.snapshot.step == 0)
    h.key("C")
    #expect(h.made.count == 2 && h.stopped == 1)
    #expect(h.explorer.compare.trainer === h.made[1])
    #expect(h.made[1].snapshot.config.training.seed == first.snapshot.config.training.seed + 2)
    h.key("q")
    h.explorer.shutdown()
    #expect(h.stopped == 2 && h.explorer.compare.trainer == nil)
  }

  /// A slider edit reaches the second trainer while its own model stays.
  @Test func sliderReachesTheSecondTrainer() throws {
    let first = SteppedTrainer(run: try Run(config: .intro(), threads: 1))
    let h = Harness(first)
    h.key("M")
    #expect(h.explorer.state.focus == .control(.probability))
    h.key("]")
    let second = try #require(h.explorer.compare.trainer)
    let p = first.snapshot.config.featureProbability
    #expect(p[0][0] < 1 && second.snapshot.config.featureProbability == p)
    #expect(second.snapshot.config.model == .linear && first.snapshot.config.model == .reluOutput)
  }

  /// The compare view at 120×40 from fixed weights: two columns titled with their runs, the
  /// same panels in each, both losses on one plot with a legend.
  @Test func compareViewAt120x40() throws {
    let h = fixedPair()
    let snap = h.explorer.trainer.snapshot
    let buf = h.explorer.render(snap, width: 120, height: 40, depth: .xterm256)
    expectGolden(buf.text, named: "view-compare-120x40")
    let lines = buf.text.split(separator: "\n", omittingEmptySubsequences: false)
    let titles = try #require(
      lines.first { $0.contains("linear-vs-relu: relu-output seed 0, step 3,000") })
    #expect(titles.contains("linear-vs-relu: linear seed 0, step 3,000"))
    #expect(buf.text.contains("━━ relu-output seed 0   ━━ linear seed 0"))
  }

  /// The two runs' curves are drawn in their two colours, and the linear run's title in its.
  @Test func lossPlotDrawsBothRunsInTheirColours() throws {
    let h = fixedPair()
    let buf = h.explorer.render(
      h.explorer.trainer.snapshot, width: 120, height: 40, depth: .xterm256)
    let lines = buf.text.split(separator: "\n", omittingEmptySubsequences: false)
    let legend = try #require(lines.firstIndex { $0.contains("━━ relu-output seed 0") })
    var colours = Set<String>()
    for y in (legend + 1)..<(buf.height - 1) {
      for x in 0..<buf.width
      where (0x2801...0x28FF).contains(buf[x, y].symbol.value) {
        colours.insert("\(buf[x, y].style.fg)")
      }
    }
    #expect(colours.count == 2, "braille curves in \(colours)")
  }

  /// At 80×24 both columns keep their title, heatmap and geometry side by side without
  /// overlapping, and the loss plot keeps its legend.
  @Test func compareViewAt80x24() throws {
    let h = fixedPair()
    let buf = h.explorer.render(
      h.explorer.trainer.snapshot, width: 80, height: 24, depth: .xterm256)
    expectGolden(buf.text, named: "view-compare-80x24")
    let lines = buf.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let row = try #require(lines.firstIndex { $0.contains("relu-output") && $0.contains("linear") })
    let left = try #require(lines[row].range(of: "relu-output"))
    let right = try #require(lines[row].range(of: "linear"))
    #expect(left.upperBound < right.lowerBound, "titles overlap: \(lines[row])")
    #expect(lines.filter { $0.contains("WᵀW") }.first?.components(separatedBy: "WᵀW").count == 3)
    #expect(lines.contains { $0.contains("━━ relu-output seed 0") && $0.contains("━━ linear") })
  }

  /// Without a second run the view says how to open one (in full where it fits), above the
  /// first run's column.
  @Test func withoutASecondRunAHintShows() throws {
    let h = Harness(Self.stepped(Self.fixture("relu")))
    h.key("c")
    let text = h.explorer.render(
      h.explorer.trainer.snapshot, width: 80, height: 24, depth: .xterm256
    ).text
    #expect(
      text.contains("no second run: C another seed · M another model · o a preset · --compare FILE")
    )
    #expect(text.contains("relu-output · seed 0"))
    let wide = h.explorer.render(
      h.explorer.trainer.snapshot, width: 120, height: 40, depth: .xterm256
    ).text
    #expect(wide.contains("· tms --compare FILE|PRESET"))
  }

  /// The footer keeps its number keys (`0-9`, not `0-c`); the help names the compare view's
  /// key and its keys, and the loss plot's frame the keys that steer the second run.
  @Test func helpAndPlotNameTheCompareKeys() {
    let h = fixedPair()
    let text = h.explorer.render(
      h.explorer.trainer.snapshot, width: 120, height: 40, depth: .xterm256
    ).text
    let footer = text.split(separator: "\n").last ?? ""
    #expect(footer.contains("0-9 views"))
    #expect(text.contains("log · C seed · M model · o preset · x close"))
    let views = Screen.helpEntries.first { $0.key == "0-9" }?.action ?? ""
    #expect(views.hasSuffix("; c is compare"), "\(views)")
    #expect(Screen.helpEntries.contains { $0.key == "M" })
  }

  /// A second run that cannot start is one toast, and no second run is left open.
  @Test func aSecondRunThatCannotStartIsAToast() throws {
    let h = Harness(SteppedTrainer(run: try Run(config: .intro(), threads: 1)))
    h.explorer.compare.makeTrainer = { _, _ in throw CompareFailure() }
    h.key("C")
    #expect(h.explorer.state.compare == nil && h.explorer.compare.trainer == nil)
    #expect(h.explorer.state.toast?.text == "second run: no room for it")
  }

  struct CompareFailure: Error, CustomStringConvertible {
    var description: String { "no room for it" }
  }
}
