"""Questions after a first diagnosis, each answered by running the rules again (see docs/analysis.md).

- `explain.explain`: how the rules reached a conclusion, down to the file's
  lines; for a row that is not active, why not and the smallest change that
  makes it active (`change.smallest_change`), checked by diagnosing again;
  for an overlap the rules did not conclude, the conditions of each overlap
  rule read from the rows and the smallest change with which they conclude
  it (`overlaps.absent_overlaps`);
- `whatif.what_if`: the diagnosis with entries left out or added and
  thresholds changed, compared with the original;
- `diff.compare`, `diff.compare_periods`: conclusions added, removed and
  changed between two diagnoses, with the entries behind each;
- `sensitivity.sensitivity`: each conclusion's share of threshold settings,
  and of runs each without one entry, under which it holds.
"""
