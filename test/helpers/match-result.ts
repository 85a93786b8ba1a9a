import { expect } from "vitest";
import type { MatchResult, Mode } from "../../src/match/types.js";

/** The one check of a well-formed match result, shared by the matcher's property tests and the fuzz suite. */
export function expectWellFormed(r: MatchResult, mode: Mode, articleIds: ReadonlySet<string>): void {
  expect(["answer", "ambiguous", "none"]).toContain(r.decision);
  expect(Array.isArray(r.matches)).toBe(true);
  for (const m of r.matches) {
    expect(articleIds.has(m.article.id)).toBe(true);
    expect(Number.isFinite(m.score)).toBe(true);
    expect(m.score).toBeGreaterThanOrEqual(0);
    expect(m.score).toBeLessThanOrEqual(1);
    for (const e of m.evidence) expect(Number.isFinite(e.weight)).toBe(true);
  }
  const sorted = [...r.matches].sort((a, b) => b.score - a.score);
  expect(r.matches.map((m) => m.score)).toEqual(sorted.map((m) => m.score));
  if (r.decision !== "none") expect(r.matches.length).toBeGreaterThan(0);
  if (mode === "channel" && r.decision === "answer") expect(r.matches[0]!.score).toBeGreaterThan(0);
}
