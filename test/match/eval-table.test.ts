// Table tests over case files: the shared sample and our own wider set (Event Viewer, PowerShell, XML,
// telnet, Slack escaping, typos, near-miss chatter). Every case must pass.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/knowledge/load.js";
import { createMatcher } from "../../src/match/index.js";
import { parseCases, passes } from "../../src/match/evaluate.js";

const matcher = createMatcher(loadKnowledge());

for (const file of ["eval-sample.jsonl", "eval-cases.jsonl"]) {
  const cases = parseCases(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), "utf8"), file);
  describe(file, () => {
    it.each(cases.map((c, i) => [i + 1, c.mode, c.expect ?? "silence", c.text.slice(0, 60).replace(/\s+/g, " "), c] as const))(
      "#%i [%s] expects %s: %s",
      (_n, _mode, _want, _text, c) => {
        const r = matcher.match(c.text, c.mode);
        expect(passes(c, r), `got ${r.decision} ${r.matches[0]?.article.id ?? "-"}`).toBe(true);
      },
    );
  });
}
