import TMSCore
import Testing

/// Step counts printed with commas between thousands, negatives included.
struct IntGroupedTests {
  @Test func thousandsAreSeparated() {
    #expect(0.grouped == "0")
    #expect(999.grouped == "999")
    #expect(1_000.grouped == "1,000")
    #expect(12_345.grouped == "12,345")
    #expect(1_234_567.grouped == "1,234,567")
    #expect((-1_000).grouped == "-1,000")
    #expect((-999_999).grouped == "-999,999")
  }
}
