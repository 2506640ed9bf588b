import Testing
import TMSCore

/// `tms train --checkpoints` specifications.
@Suite struct CheckpointStepsTests {
  @Test func logSpacedSteps() throws {
    #expect(try CheckpointSteps.parse("log:1:1000:4") == [1, 10, 100, 1000])
    // 1, 1.17, 1.36, …, 3.43, 4 round onto four distinct steps.
    #expect(try CheckpointSteps.parse("log:1:4:10") == [1, 2, 3, 4])
    let notes = try CheckpointSteps.parse("log:100:100000:100")
    #expect(notes.first == 100 && notes.last == 100_000 && notes.count == 100)
    // Consecutive steps grow by 1000^(1/99) ≈ 1.072 (within rounding).
    for (a, b) in zip(notes, notes.dropFirst()) {
      #expect(abs(Double(b) / Double(a) - 1.0723) < 0.006, "\(a) → \(b)")
    }
  }

  @Test func linearAndListedSteps() throws {
    #expect(try CheckpointSteps.parse("lin:10:40:4") == [10, 20, 30, 40])
    #expect(try CheckpointSteps.parse("lin:7:7:1") == [7])
    #expect(try CheckpointSteps.parse("500,100,100,2000") == [100, 500, 2000])
  }

  @Test func badSpecificationsSayWhy() {
    let cases: [(String, String)] = [
      ("log:100:10:5", "FROM 100 is after TO 10"),
      ("log:1:10:0", "COUNT must be an integer in 1…10000, got 0"),
      (
        "cubic:1:2:3",
        "expected log:FROM:TO:COUNT, lin:FROM:TO:COUNT or a list of steps, got cubic:1:2:3"
      ),
      ("100,,200", "step must be an integer in 1…1000000000, got "),
      ("0", "step must be an integer in 1…1000000000, got 0"),
      ("log:x:10:3", "FROM must be an integer in 1…1000000000, got x"),
    ]
    for (spec, message) in cases {
      #expect(throws: CheckpointSteps.SpecError(description: message)) {
        try CheckpointSteps.parse(spec)
      }
    }
  }
}
