// Scores a case file (`exchange-bot eval`): a case with `expect: null` must not be answered; any other must be
// answered (in command mode a pick list counts) with a top article that carries one of the `|`-separated
// tokens: its id, a KB number it references, or one of its event ids.
import type { Matcher, MatchResult, Mode } from "./types.js";

export interface EvalCase {
  mode: Mode;
  expect: string | null;
  text: string;
}

export interface EvalMiss {
  index: number;
  case: EvalCase;
  got: MatchResult;
}

export interface EvalReport {
  total: number;
  positives: number;
  hits: number;
  negatives: number;
  quiet: number;
  misses: EvalMiss[];
}

export function parseCases(text: string, file = "cases"): EvalCase[] {
  return text
    .split("\n")
    .map((l, i) => [l, i + 1] as const)
    .filter(([l]) => l.trim())
    .map(([l, n]) => {
      let c: Partial<EvalCase>;
      try {
        c = JSON.parse(l) as Partial<EvalCase>;
      } catch {
        throw new Error(`${file}:${n}: not JSON`);
      }
      if (typeof c.text !== "string" || (c.mode !== "command" && c.mode !== "channel") || !(c.expect === null || typeof c.expect === "string")) {
        throw new Error(`${file}:${n}: expected {"mode": "command"|"channel", "expect": "TOKEN|TOKEN" or null, "text": "..."}`);
      }
      return { mode: c.mode, expect: c.expect, text: c.text };
    });
}

/** The names a match answers to: its id, its references and its event ids. */
export function matchNames(r: MatchResult): string[] {
  const m = r.matches[0];
  if (!m) return [];
  return [m.article.id, ...m.article.references, ...m.article.events.map((e) => String(e.id))].map((x) => x.toLowerCase());
}

export function passes(c: EvalCase, r: MatchResult): boolean {
  if (c.expect === null) return r.decision !== "answer";
  const decided = r.decision === "answer" || (c.mode === "command" && r.decision === "ambiguous");
  const names = matchNames(r);
  return decided && c.expect.toLowerCase().split("|").some((t) => names.includes(t));
}

export function evaluate(cases: EvalCase[], matcher: Matcher): EvalReport {
  const report: EvalReport = { total: cases.length, positives: 0, hits: 0, negatives: 0, quiet: 0, misses: [] };
  cases.forEach((c, index) => {
    const got = matcher.match(c.text, c.mode);
    const ok = passes(c, got);
    if (c.expect === null) {
      report.negatives++;
      if (ok) report.quiet++;
    } else {
      report.positives++;
      if (ok) report.hits++;
    }
    if (!ok) report.misses.push({ index, case: c, got });
  });
  return report;
}
