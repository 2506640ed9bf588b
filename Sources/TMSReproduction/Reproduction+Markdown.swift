import Foundation

extension Reproduction {
  /// report.md: a header saying how the run was made (and whether it is partial), a summary
  /// table, then per experiment the claim, how it was trained, its figures, the verdict table
  /// and the command that reproduces it alone. Plain GitHub-flavoured Markdown.
  public func markdown(figures: [String: [String]]) -> String {
    let rows = sections.flatMap(\.rows)
    let passed = rows.filter { $0.verdict == .pass }.count
    let info = rows.filter { $0.verdict == .info }.count
    var out = "# Toy Models of Superposition, reproduced by tms\n\n"
    if partial {
      out +=
        "> **Partial report:** the run was stopped after \(sections.count) of "
        + "\(requested.count) sections; the missing ones are \(missing.joined(separator: ", ")).\n\n"
    }
    out +=
      "Elhage et al. (2022), every experiment trained with `tms reproduce"
      + (quick ? " --quick" : "") + "` on \(threads) thread\(threads == 1 ? "" : "s") in "
      + String(format: "%.0f s", seconds) + ". "
      + (quick
        ? "**Quick run:** shorter training and fewer seeds (each section says what it ran); "
          + "\(notJudgedInQuick) rows that need the full run are reported without a verdict. "
        : "")
      + "Losses are the paper's convention (sum over features) unless a row says otherwise; "
      + "± is one standard error of the held-out estimate, and a tolerance with \"+ 2 SE\" is "
      + "widened by twice that error (the estimate's own noise), never by more.\n\n"
    out += "**\(passed) passed, \(failures) failed, \(info) reported without a verdict.**\n\n"
    out += "| section | pass | fail | info | seeds | seconds |\n|---|---|---|---|---|---|\n"
    for s in sections {
      let p = s.rows.filter { $0.verdict == .pass }.count
      out +=
        "| [\(s.experiment.title)](#\(anchor(s.experiment.title))) | \(p) | \(s.failures) | "
        + "\(s.rows.count - p - s.failures) | \(s.data.seedsUsed) | "
        + String(format: "%.1f", s.seconds) + " |\n"
    }
    for s in sections {
      out += "\n## \(s.experiment.title)\n\n"
      out += "**Claim.** \(s.experiment.claim)\n\n"
      out += "**Setup.** \(s.experiment.setup(quick)). "
      out += "Seeds trained: \(s.data.seedsUsed); " + String(format: "%.1f s", s.seconds) + ".\n\n"
      for file in figures[s.experiment.name] ?? [] {
        out += "![\(s.experiment.name)](figures/\(file))\n\n"
      }
      out += "| quantity | paper | tms | tolerance | verdict |\n|---|---|---|---|---|\n"
      for r in s.rows {
        let verdict = r.verdict == .fail ? "**FAIL**" : r.verdict.rawValue
        out +=
          "| \(cell(r.quantity)) | \(cell(r.paper)) | \(cell(r.tms)) | \(cell(r.tolerance)) | "
          + "\(verdict) |\n"
      }
      out += "\nThis section alone: `\(s.experiment.command(quick: quick))`\n"
    }
    return out
  }

  /// Requested sections that did not finish.
  var missing: [String] {
    requested.filter { name in !sections.contains { $0.experiment.name == name } }
  }

  func cell(_ s: String) -> String {
    s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
  }

  /// GitHub's heading anchor: lower case, spaces to hyphens, punctuation dropped.
  func anchor(_ title: String) -> String {
    String(
      title.lowercased().compactMap { c -> Character? in
        if c == " " { return "-" }
        return c.isLetter || c.isNumber || c == "-" || c == "_" ? c : nil
      })
  }
}
