import Foundation
import TMSApp
import TMSCore
import TMSFiles
import TMSRender
import Testing

/// Result files of fixed weights for the results view: a 3-axis 2→1 sweep (p × r × lr)
/// whose points hold the phase prototypes (``PhaseFixtures``): not learned, dedicated or
/// antipodal by the analytic rule, with their exact expected losses. lr changes nothing but
/// the recorded loss (× 1 and × 2), so a slider move shows in the numbers.
enum SweepFixtures {
  /// p 1 … 0.01 (4 values) × r 0.3, 1, 3 × lr 1e-3, 1e-2; 2 seeds.
  static let spec: SweepSpec = {
    var base = RunConfig(features: 2, hidden: 1)
    base.training.steps = 1000
    return SweepSpec(
      base: base,
      axes: [
        SweepAxis(key: "feature_probability", values: .log(from: 1, to: 0.01, count: 4)),
        SweepAxis(
          key: "relative_importance",
          values: .list([.number("0.3"), .number("1"), .number("3")])),
        SweepAxis(key: "lr", values: .list([.number("0.001"), .number("0.01")])),
      ], seeds: 2)
  }()

  /// The result of point `i`, from fixed weights.
  static func result(_ i: Int) throws -> SweepPointResult {
    let point = try spec.point(i)
    let p = point.config.featureProbability[0][0]
    let r = point.config.importance[0][1]
    let lrFactor = point.config.training.learningRate > 0.005 ? 2.0 : 1.0
    let half = Float(p / 2)
    let parameters: Parameters
    switch PhaseSweep.analyticLabel(probability: p, relativeImportance: r) {
    case .notLearned: parameters = Parameters(W: [[1], [0]], b: [0, half])
    case .dedicated: parameters = Parameters(W: [[0], [1]], b: [half, 0])
    case .superposition: parameters = Parameters(W: [[1], [-1]], b: [0, 0])
    }
    let loss =
      PhaseSweep.expectedLoss(
        parameters: parameters, featureProbability: [p, p], importance: [1, r], points: 8)
      * lrFactor
    let metrics = InstanceMetrics.compute(
      parameters: parameters, hidden: 1, model: .reluOutput, featureProbability: [p, p],
      importance: [1, r], trainLoss: .nan, evalLoss: loss)
    let seeds = [1.0, 1.25].map { f in
      SweepPointResult.Seed(
        evalLoss: loss * f, evalLossError: loss * 0.01, represented: metrics.represented,
        dimensionsPerFeature: metrics.dimensionsPerFeature, geometry: metrics.geometry.text,
        diverged: nil)
    }
    return SweepPointResult(
      point: point, seeds: seeds, best: 0, metrics: metrics, parameters: nil)
  }

  /// A result file in a new folder with the points `points` (all when nil).
  static func file(points: Range<Int>? = nil) throws -> String {
    let dir = NSTemporaryDirectory() + "tms-sweep-view-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/results.jsonl"
    let writer = try SweepResultWriter(
      path: path, spec: spec, shard: nil, resume: false, force: false)
    for i in points ?? 0..<spec.pointCount { try writer.append(try result(i)) }
    return path
  }

  /// Appends points to an existing file of the sweep.
  static func append(_ points: Range<Int>, to path: String) throws {
    let writer = try SweepResultWriter(
      path: path, spec: spec, shard: nil, resume: true, force: false)
    for i in points { try writer.append(try result(i)) }
  }
}

/// The results view (0): a golden frame, axes and sliders on keys, the metric, live growth
/// of the file, Enter training the cursor's point, and a file that cannot be read.
@Suite struct SweepViewTests {
  func explorer() -> (Explorer, SteppedTrainer) {
    let (run, _) = ExplorerRenderTests.trained
    let t = SteppedTrainer(run: try! Run(config: run.config))
    return (Explorer.forTests(t), t)
  }

  func render(_ e: Explorer, _ w: Int = 100, _ h: Int = 30, depth: ColorDepth = .xterm256)
    -> Buffer
  {
    e.render(ExplorerRenderTests.trained.1, width: w, height: h, depth: depth)
  }

  /// The view opens on p down × r across with lr as the slider, loss coloured.
  @Test func goldenFrame() throws {
    let (e, _) = explorer()
    try e.openSweepResults(try SweepFixtures.file())
    #expect(e.state.view == .results)
    #expect(e.state.sweep.shape == [4, 3, 2])
    e.handle(.key(.down))
    e.handle(.key(.down))
    e.handle(.key(.char("l")))
    #expect(e.state.sweep.position == [2, 1, 0])
    let text = render(e).text
    expectGolden(text, named: "view-results-100x30")
    #expect(text.contains("loss · feature_probability ↓ × relative_importance →"))
    #expect(text.contains("24/24 "))
  }

  /// Key 0 is shared: the SAE view in the run explorer, the results view once a sweep's
  /// result file is open (`tms --sweep FILE`), where it brings the results back after the
  /// other views; the help overlay says both.
  @Test func keyZeroIsTheResultsViewOnlyWithASweep() throws {
    let (e, _) = explorer()
    #expect(e.state.mode == .run)
    e.handle(.key(.char("0")))
    #expect(e.state.view == .sae)
    try e.openSweepResults(try SweepFixtures.file())
    #expect(e.state.mode == .sweep && e.state.view == .results)
    e.handle(.key(.char("1")))
    #expect(e.state.view == .overview)
    e.handle(.key(.char("0")))
    #expect(e.state.view == .results)
    e.handle(.key(.char("9")))
    #expect(e.state.view == .features)
    e.handle(.key(.char("0")))
    #expect(e.state.view == .results)
    let views = try #require(Screen.helpEntries.first { $0.key == "0-9" }?.action)
    #expect(views.contains("features, sae; with --sweep FILE 0 is results"))
  }

  /// `x` puts the next axis across, `y` down, `t` swaps; the remaining axis is the slider,
  /// and `]` moves it: the cursor's point and its loss change (lr × 2 doubles the loss).
  @Test func axesAndSlidersFollowKeys() throws {
    let (e, _) = explorer()
    try e.openSweepResults(try SweepFixtures.file())
    #expect(e.state.sweep.sliderAxes == [2])
    let before = render(e).text
    #expect(before.contains("lr ") && before.contains("point 0"))
    e.handle(.key(.char("]")))
    #expect(e.state.sweep.position[2] == 1)
    let after = render(e).text
    #expect(after.contains("point 1"))
    let r0 = try SweepFixtures.result(0).seeds[0].evalLoss
    let r1 = try SweepFixtures.result(1).seeds[0].evalLoss
    #expect(abs(r1 - 2 * r0) < 1e-15 * r1)
    e.handle(.key(.char("x")))
    #expect(e.state.sweep.xAxis == 2 && e.state.sweep.sliderAxes == [1])
    #expect(render(e).text.contains("feature_probability ↓ × lr →"))
    e.handle(.key(.char("y")))
    #expect(e.state.sweep.yAxis == 1 && e.state.sweep.sliderAxes == [0])
    #expect(render(e).text.contains("relative_importance ↓ × lr →"))
    e.handle(.key(.char("t")))
    #expect(render(e).text.contains("lr ↓ × relative_importance →"))
    e.handle(.key(.char("[")))  // the slider is already at 0
    #expect(e.state.sweep.position[0] == 0)
    e.handle(.key(.char("]")))
    e.handle(.key(.char("]")))
    #expect(e.state.sweep.position[0] == 2)
    for _ in 0..<5 { e.handle(.key(.char("]"))) }
    #expect(e.state.sweep.position[0] == 3)
  }

  /// `m` cycles the metrics; `phase` colours cells as the phase view does: dense with small r
  /// not learned (white), sparse antipodal (red).
  @Test func metricsAndPhaseColours() throws {
    let (e, _) = explorer()
    try e.openSweepResults(try SweepFixtures.file())
    let names = SweepMetric.allCases.map(\.rawValue)
    for name in names.dropFirst() {
      e.handle(.key(.char("m")))
      #expect(render(e).text.contains("\(name) · feature_probability"), "\(name)")
    }
    #expect(e.state.sweep.shownMetric == .phase)
    e.handle(.key(.down))
    let buf = render(e)
    // Row 0 (p = 1), column 0 (r = 0.3): not learned; row 3 (p = 0.01): superposition.
    let cellWidth = 8
    let x0 = 1 + 7  // the border, then the label column ("0.0464" and a space)
    func bg(_ row: Int, _ col: Int) -> (r: Int, g: Int, b: Int)? {
      buf[x0 + col * cellWidth + 2, 2 + row * 3].style.bg.rgbComponents
    }
    let white = try #require(bg(0, 0))
    let red = try #require(bg(3, 0))
    #expect(white.r > 200 && white.g > 200 && white.b > 200, "\(white)")
    #expect(red.r > red.b + 60 && red.r > red.g + 60, "\(red)")
  }

  /// A file that grows while it is open: the view shows the new points at the next tick
  /// after the re-read interval, the cursor and axes kept.
  @Test func growsLive() throws {
    let (e, t) = explorer()
    var clock = ContinuousClock.now
    e.now = { clock }
    let path = try SweepFixtures.file(points: 0..<10)
    try e.openSweepResults(path)
    e.handle(.key(.down))
    #expect(render(e).text.contains("10/24 "))
    try SweepFixtures.append(10..<24, to: path)
    clock += .milliseconds(100)
    e.tick(snapshot: t.snapshot, framesPerSecond: 30)
    #expect(render(e).text.contains("10/24 "))  // within the interval: not re-read yet
    clock += .seconds(1)
    e.tick(snapshot: t.snapshot, framesPerSecond: 30)
    #expect(render(e).text.contains("24/24 "))
    #expect(e.state.sweep.position == [1, 0, 0] && e.state.view == .results)
  }

  /// Enter trains the cursor's point live: its configuration, one instance per seed,
  /// re-initialised and running, in the overview; an unfinished point says so.
  @Test func enterTrainsThePoint() throws {
    let (e, t) = explorer()
    try e.openSweepResults(try SweepFixtures.file(points: 0..<6))
    e.handle(.key(.down))
    e.handle(.key(.down))
    e.handle(.key(.enter))  // point 12: not in the file yet
    #expect(e.state.view == .results)
    #expect(e.state.toast?.text == "no finished point here yet")
    e.handle(.key(.up))
    e.handle(.key(.up))
    e.handle(.key(.right))
    e.handle(.key(.enter))  // point 2: p = 1, r = 1, lr = 1e-3
    #expect(e.state.view == .overview)
    let c = t.snapshot.config
    #expect(c.name == "sweep-point-2" && c.instances == 2 && c.features == 2 && c.hidden == 1)
    #expect(c.importance == [[1, 1], [1, 1]] && c.training.learningRate == 0.001)
    #expect(t.snapshot.step == 0)
    #expect(
      e.state.toast?.text.hasPrefix(
        "training point 2 (feature_probability 1, relative_importance 1, lr 0.001)") == true)
  }

  /// A result file that cannot be read is one line naming it, and leaves the run explorer
  /// as it was (key 0 stays the SAE view's); the results view shown without a file (a
  /// preset's `view`) says how to open one.
  @Test func badFileAndNoFile() throws {
    let (e, _) = explorer()
    let dir = NSTemporaryDirectory() + "tms-sweep-view-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/not-results.jsonl"
    try Data("{\"format\": \"tms-snapshot\"}\n".utf8).write(to: URL(fileURLWithPath: path))
    do {
      try e.openSweepResults(path)
      Issue.record("a snapshot was opened as a sweep")
    } catch {
      #expect(error.description.hasPrefix(path + ": line 1: not a tms sweep result file"))
    }
    #expect(e.state.mode == .run)
    e.handle(.key(.char("0")))
    #expect(e.state.view == .sae)
    e.send(.show(.results))
    #expect(e.state.view == .results)
    #expect(render(e).text.contains("no sweep result file is open"))
  }
}
