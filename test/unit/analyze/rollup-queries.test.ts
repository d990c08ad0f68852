import { describe, expect, it } from "vitest";
import { rollupFilter, rollupSegmentsSql, rollupSizesSql } from "../../../src/analyze/rollup-queries.js";
import { PAIR_ROLLUP, TOOL_ROLLUP } from "../../../src/store/rollups.js";

const scope = { database: "sd", candidate: "sha256:c", baseline: "sha256:b" };

describe("rollupFilter", () => {
  it("selects the scope's release pair, and the A/A replicas when candidate = baseline", () => {
    expect(rollupFilter(scope)).toBe("candidate_release = 'sha256:c' AND baseline_release = 'sha256:b'");
    expect(rollupFilter({ ...scope, candidate: "sha256:b" })).toBe(
      "candidate_release = 'sha256:b' AND baseline_release = 'sha256:b' AND replica >= 1",
    );
  });

  it("takes a window on whole hours, and refuses one that is not", () => {
    expect(rollupFilter({ ...scope, since: 7200, until: 10800 })).toBe(
      "candidate_release = 'sha256:c' AND baseline_release = 'sha256:b' AND hour >= 2 AND hour < 3",
    );
    expect(rollupFilter({ ...scope, since: 7201 })).toBeNull();
    expect(rollupFilter({ ...scope, until: 3599 })).toBeNull();
  });
});

describe("rollup SQL", () => {
  it("fans combinations out to the segments, ordered as the scans order them", () => {
    const pairs = rollupSegmentsSql(PAIR_ROLLUP, "sd", "1 = 1", ["tenant"]);
    expect(pairs).toContain("FROM sd.pair_rollup_v1 WHERE 1 = 1");
    expect(pairs).toContain("arrayJoin([('', 'all'), ('tenant', d0)])");
    expect(pairs).toContain("sumMap(pathset_state.1, pathset_state.2) AS pathset_counts");
    expect(pairs).toMatch(/ORDER BY dimension, pairs DESC, segment$/);
    const tools = rollupSegmentsSql(TOOL_ROLLUP, "sd", "1 = 1", []);
    expect(tools).not.toContain("GROUP BY 1");
    expect(tools).toMatch(/GROUP BY tool\n/);
    expect(tools).toMatch(/ORDER BY dimension, segment, tool$/);
    // No dimensions: one row over everything, no GROUP BY a constant (a position in chDB).
    expect(rollupSizesSql(PAIR_ROLLUP, "sd", "1 = 1", [])).not.toContain("GROUP BY");
  });
});
