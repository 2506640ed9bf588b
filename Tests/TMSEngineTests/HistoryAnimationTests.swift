import Testing
import TMSCore
@testable import TMSFigures

/// The animated export of a recorded history, from histories built by hand (fixed weights,
/// no training): one frame group per frame with slots that tile the loop, events held and
/// named, captions, fixed scales, the frame limit and the projection for m > 2.
@Suite struct HistoryAnimationTests {
  /// Two instances of n = 5 in m = `hidden`; instance k's W at frame f is `weights(k, f)`.
  static func history(
    steps: [Int], hidden: Int = 2, events: [HistoryEvent] = [],
    weights: (Int, Int) -> [[Float]] = { k, f in
      (0..<5).map { i in [Float(k + 1) * 0.1 * Float(f + 1) / Float(i + 1), -0.05 * Float(i)] }
    },
    labels: (Int, Int) -> String = { k, f in
      f < 3 ? "2 antipodal pairs" : "5 features in a pentagon"
    }
  ) -> RunHistory {
    var config = RunConfig(name: "hand", features: 5, hidden: hidden, instances: 2)
    config.conformShapes()
    let frames = steps.enumerated().map { f, step in
      Keyframe(
        step: step, config: config,
        parameters: (0..<2).map { k in
          let W = weights(k, f).map {
            Array($0.prefix(hidden)) + [Float](repeating: 0, count: max(0, hidden - $0.count))
          }
          return Parameters(W: W, b: [0.1, -0.2, 0, 0.3, -0.4])
        },
        trainLoss: [f == 0 ? .nan : 0.05 / Double(f), 0.5 / Double(f + 1)],
        labels: [labels(0, f), labels(1, f)])
    }
    return RunHistory(budget: 1 << 30, spacing: 1, thinned: 0, frames: frames, events: events)
  }

  static let pentagon = HistoryEvent(
    step: 4, instance: 1, kind: .geometry(from: "2 antipodal pairs", to: "5 features in a pentagon")
  )
  static let otherInstance = HistoryEvent(
    step: 8, instance: 0, kind: .geometry(from: "1 dedicated", to: "2 dedicated"))

  /// The frame groups of an SVG, in order, each from its `<g class="frame"` line to the
  /// line closing it (the writer puts every element on its own line).
  static func frameGroups(_ svg: String) -> [String] {
    var groups: [String] = []
    var current: [Substring] = []
    var depth = 0
    for line in svg.split(separator: "\n") {
      guard depth > 0 || line.hasPrefix("<g class=\"frame\"") else { continue }
      current.append(line)
      if line.hasPrefix("<g ") { depth += 1 }
      if line.hasPrefix("</g>") { depth -= 1 }
      if depth == 0 {
        groups.append(current.joined(separator: "\n"))
        current = []
      }
    }
    return groups
  }

  static func attribute(_ name: String, in text: String) -> String? {
    guard let start = text.firstRange(of: " \(name)=\"") else { return nil }
    let rest = text[start.upperBound...]
    return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
  }

  /// Where in the loop (fractions 0…1) a frame group is visible, read from its discrete
  /// `<animate>` the way a browser does: value i holds from keyTimes[i] to keyTimes[i + 1].
  static func visibleSpans(_ group: String) -> [(Double, Double)] {
    guard let values = attribute("values", in: group), let keys = attribute("keyTimes", in: group)
    else { return [] }
    let v = values.split(separator: ";")
    let k = keys.split(separator: ";").compactMap { Double($0) }
    return v.indices.compactMap { i in
      v[i] == "visible" ? (k[i], i + 1 < k.count ? k[i + 1] : 1) : nil
    }
  }

  /// Open and close tags balance and nest (a well-formedness check without an XML parser,
  /// which FoundationEssentials lacks); no bare `&` or `<` in text.
  static func balanced(_ svg: String) -> Bool {
    var stack: [Substring] = []
    var rest = svg[...]
    while let open = rest.firstIndex(of: "<") {
      guard let close = rest[open...].firstIndex(of: ">") else { return false }
      let tag = rest[rest.index(after: open)..<close]
      if tag.hasPrefix("/") {
        guard stack.popLast() == tag.dropFirst() else { return false }
      } else if !tag.hasSuffix("/") && !tag.hasPrefix("?") && !tag.hasPrefix("!") {
        stack.append(tag.prefix { $0 != " " })
      }
      if tag.contains("<") { return false }
      rest = rest[rest.index(after: close)...]
    }
    let amps = svg.split(separator: "&").dropFirst()
    return stack.isEmpty
      && amps.allSatisfy {
        $0.hasPrefix("amp;") || $0.hasPrefix("lt;") || $0.hasPrefix("gt;") || $0.hasPrefix("quot;")
      }
  }

  @Test func everyFramePlaysInItsSlotOfOneLoop() throws {
    let steps = [0, 1, 2, 4, 8, 12_345]
    let h = Self.history(steps: steps, events: [Self.pentagon, Self.otherInstance])
    let a = try HistoryAnimation(history: h, instance: 1, duration: 6)
    let svg = a.svg()
    #expect(Self.balanced(svg))
    let groups = Self.frameGroups(svg)
    #expect(groups.count == steps.count)
    #expect(groups.map { Self.attribute("data-step", in: $0) } == steps.map(String.init))
    let cycle = try #require(Self.attribute("dur", in: groups[0]).flatMap { Double($0.dropLast()) })
    #expect(abs(cycle - (6 + a.hold)) < 1e-3, "the run in 6 s, then the hold")
    // Exactly one frame shows at every moment of the loop, in recorded order.
    let spans = groups.map(Self.visibleSpans)
    #expect(spans.allSatisfy { $0.count == 1 })
    for t in stride(from: 0.0005, to: 1, by: 0.001) {
      let showing = spans.indices.filter { i in spans[i].contains { $0.0 <= t && t < $0.1 } }
      #expect(showing.count == 1, "at \(t): \(showing)")
    }
    let seconds = spans.map { ($0[0].1 - $0[0].0) * cycle }
    let plain = seconds[1]
    #expect(abs(seconds[2] - plain) < 1e-3 && abs(seconds[4] - plain) < 1e-3)
    // The frame at step 4 shows instance 1's event and stays longer; the last one holds.
    #expect(seconds[3] > plain + 0.5, "\(seconds)")
    #expect(abs(seconds[5] - plain - a.hold) < 1e-3)
    #expect(a.hold > 0)
    // Without SMIL the last frame is the one drawn.
    #expect(
      groups.map { Self.attribute("visibility", in: $0) } == [
        "hidden", "hidden", "hidden", "hidden", "hidden", "visible",
      ])
  }

  @Test func captionsAndEventsNameStepLossAndGeometry() throws {
    let h = Self.history(
      steps: [0, 1, 2, 4, 8, 12_345], events: [Self.pentagon, Self.otherInstance])
    let a = try HistoryAnimation(history: h, instance: 1, duration: 6)
    let groups = Self.frameGroups(a.svg())
    #expect(groups[1].contains(">step 1 · loss 0.25 · 2 antipodal pairs<"))
    #expect(groups[5].contains(">step 12,345 · loss 0.0833 · 5 features in a pentagon<"))
    let text = "#1 step 4: 2 antipodal pairs → 5 features in a pentagon"
    #expect(groups[3].contains(">event \(text)<"))
    #expect(groups[4].contains(">last event \(text)<"))
    #expect(!groups[2].contains(text), "no event before it happens")
    #expect(!a.svg().contains("#0 step 8"), "another instance's events are not shown")
    #expect(a.svg().components(separatedBy: "class=\"event-tick\"").count - 1 == 1)
    // Instance 0 has its own event and tick, and a NaN loss at step 0 reads as a dash.
    let b = try HistoryAnimation(history: h, instance: 0, duration: 6)
    #expect(b.svg().components(separatedBy: "class=\"event-tick\"").count - 1 == 1)
    #expect(Self.frameGroups(b.svg())[0].contains(">step 0 · loss – · 2 antipodal pairs<"))
  }

  /// A long history is drawn with at most the limit of frames, evenly among the recorded
  /// ones, keeping the first, the last and the event's frame (at a step no grid point hits).
  @Test func longHistoriesAreSubsampledKeepingEvents() throws {
    let steps = Array(0..<50).map { $0 * $0 }
    let event = HistoryEvent(step: 23 * 23, instance: 1, kind: .geometry(from: "a", to: "b"))
    let a = try HistoryAnimation(
      history: Self.history(steps: steps, events: [event]), instance: 1, maxFrames: 10)
    #expect(a.frames.count <= 10 && a.frames.count >= 8, "\(a.frames)")
    #expect(a.frames.first == 0 && a.frames.last == 49 && a.frames.contains(23))
    let grid = a.frames.filter { $0 != 23 }
    let gaps = zip(grid, grid.dropFirst()).map { $1 - $0 }
    #expect(gaps.max()! - gaps.min()! <= 1, "evenly spaced: \(a.frames)")
    let groups = Self.frameGroups(a.svg())
    #expect(groups.count == a.frames.count)
    #expect(
      groups.map { Self.attribute("data-step", in: $0) } == a.frames.map { String(steps[$0]) })
    // With room for all, all are drawn.
    let all = try HistoryAnimation(history: Self.history(steps: steps), instance: 0, maxFrames: 50)
    #expect(all.frames == Array(0..<50))
  }

  /// Colours keep one scale over the animation: ±1 clamped, as the static figure, unless a
  /// frame's WᵀW passes 2, when the range widens for every frame.
  @Test func theColourScaleIsFixedOverAllFrames() throws {
    let small = try HistoryAnimation(history: Self.history(steps: [0, 1, 2]), instance: 0).svg()
    #expect(small.contains(">≥ +1<"))
    let big = Self.history(steps: [0, 1, 2]) { _, f in
      (0..<5).map { i in i == 0 ? [f == 2 ? 1.6 : 1.1, 0] : [0, 0.1] }
    }
    let svg = try HistoryAnimation(history: big, instance: 0).svg()
    #expect(svg.contains(">+3<"), "1.6² = 2.56 rounds up to a scale of 3")
    // W₀₀ = 1.1 in frame 0: its cell is coloured 1.21/3 of the way, not clamped at 1.
    let cell = SnapshotFigure.divergingColor(1.21 / 3)
    #expect(Self.frameGroups(svg)[0].contains("fill=\"\(cell)\""))
    #expect(!Self.frameGroups(svg)[0].contains("fill=\"\(SnapshotFigure.divergingColor(1))\""))
  }

  /// For m > 2 the directions are drawn in the last frame's top-2 principal plane.
  @Test func largerModelsAreProjectedOnTheLastFramesPrincipalPlane() throws {
    let h = Self.history(steps: [0, 5], hidden: 3) { _, _ in
      [[3, 0, 0], [0, 0, 2], [0, 1, 0], [0, 0, 0], [0, 0, 0]]
    }
    let a = try HistoryAnimation(history: h, instance: 0)
    let plane = a.plane
    #expect(abs(plane.captured - 13.0 / 14) < 1e-9)
    #expect(plane.project([3, 0, 0]).x == 3 && plane.project([0, 0, 2]).y == 2)
    #expect(plane.project([0, 1, 0]) == (x: 0, y: 0))
    let svg = a.svg()
    #expect(svg.contains("top-2 principal directions (93% of Σ‖W_i‖²)"))
    #expect(svg.contains(">PC₁<") && svg.contains(">PC₂<"))
    #expect(Self.balanced(svg))
  }

  /// The reason an animation is refused, or nil when it is drawn.
  static func problem(
    _ h: RunHistory, instance: Int, duration: Double = 10, maxFrames: Int = 200
  ) -> String? {
    do {
      _ = try HistoryAnimation(
        history: h, instance: instance, duration: duration, maxFrames: maxFrames)
      return nil
    } catch { return error.description }
  }

  @Test func badRequestsAreRefusedInOneLine() {
    let h = Self.history(steps: [0, 1])
    let empty = Self.problem(RunHistory(), instance: 0)
    #expect(empty?.hasPrefix("has no recorded history") == true)
    #expect(Self.problem(h, instance: 2)?.contains("0…1") == true)
    #expect(Self.problem(h, instance: -1) != nil)
    for d in [0, -1, Double.nan, .infinity] {
      #expect(Self.problem(h, instance: 0, duration: d) != nil, "\(d)")
    }
    #expect(Self.problem(h, instance: 0, maxFrames: 1) != nil)
    #expect(Self.problem(h, instance: 0) == nil)
    let messages = [empty, Self.problem(h, instance: 5)].compactMap { $0 }
    #expect(messages.count == 2 && messages.allSatisfy { !$0.contains("\n") })
  }

  /// One frame: nothing to animate, the frame simply shows.
  @Test func aSingleFrameIsAStillPicture() throws {
    let a = try HistoryAnimation(history: Self.history(steps: [7]), instance: 1)
    let svg = a.svg()
    #expect(Self.balanced(svg))
    #expect(!svg.contains("<animate"))
    #expect(Self.frameGroups(svg).map { Self.attribute("visibility", in: $0) } == ["visible"])
  }
}
