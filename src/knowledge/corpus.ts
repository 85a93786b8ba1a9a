// Checks across files: duplicate ids, related ids that point nowhere, and same-fault articles whose steps differ.
import type { KnowledgeProblem } from "./errors.js";
import type { Locate } from "./parse.js";
import { sharedFaultEvidence, stepKey } from "./same-fault.js";
import type { Article } from "./schema.js";
import { stepsOf } from "./steps.js";

export interface Parsed {
  article: Article;
  locate: Locate;
}

function quoteStep(s: string): string {
  return s.length > 160 ? `"${s.slice(0, 157)}..."` : `"${s}"`;
}

/** A step and the command it gives, as compared: the same words with another command is another step. */
function keysOf(a: Article): string[] {
  return stepsOf(a).map((s) => `${stepKey(s.text)}${s.command ? ` $ ${s.command.trim()}` : ""}`);
}

/** What differs between two step lists, in a sentence: the first step only one side has, each way. */
function stepDifference(a: Article, b: Article): string | undefined {
  const ka = keysOf(a);
  const kb = keysOf(b);
  if (ka.length === kb.length && ka.every((k, i) => k === kb[i])) return undefined;
  const onlyA = a.resolution.find((_, i) => !kb.includes(ka[i]!));
  const onlyB = b.resolution.find((_, i) => !ka.includes(kb[i]!));
  const parts: string[] = [];
  if (onlyB !== undefined) parts.push(`only this article says ${quoteStep(onlyB)}`);
  if (onlyA !== undefined) parts.push(`only ${a.id} says ${quoteStep(onlyA)}`);
  if (!parts.length) parts.push("the same steps come in a different order");
  return parts.join("; ");
}

/**
 * `brokenIds` are ids claimed by files that did not load: those files are reported already, so a
 * reference to one of them is not reported again here.
 */
export function checkCorpus(parsed: readonly Parsed[], brokenIds: ReadonlySet<string>): KnowledgeProblem[] {
  const problems: KnowledgeProblem[] = [];
  const byId = new Map<string, Article>();
  for (const { article: a, locate } of parsed) {
    const seen = byId.get(a.id);
    if (seen) problems.push({ file: a.file, field: "id", message: `duplicate id ${a.id} (also in ${seen.file})`, ...locate(["id"]) });
    else byId.set(a.id, a);
  }
  for (const { article: a, locate } of parsed) {
    a.related.forEach((r, i) => {
      if (!byId.has(r) && !brokenIds.has(r)) problems.push({ file: a.file, field: `related.${i}`, message: `no article has id ${r}`, ...locate(["related", i]) });
    });
  }
  parsed.forEach(({ article: b, locate }, j) => {
    for (const { article: a } of parsed.slice(0, j)) {
      if (a.id === b.id) continue;
      const shared = sharedFaultEvidence(a, b);
      const diff = shared && stepDifference(a, b);
      if (!diff) continue;
      problems.push({
        file: b.file,
        field: "resolution",
        message:
          `describes the same fault as ${a.id} (${a.file}: both have ${shared}) but gives different steps: ${diff}. ` +
          "Give both the same steps, or make them different faults (no shared phrase or event).",
        ...locate(["resolution"]),
      });
    }
  });
  return problems;
}
