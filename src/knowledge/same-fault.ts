// The same-fault rule: two articles that share a literal phrase or an event describe one fault. The matcher
// never offers them as a choice, and `kb lint` requires them to give the same steps.
import type { Article } from "./schema.js";
import { phraseTexts } from "./phrases.js";

/** What two articles share that makes them one fault ("event 11202 MSExchangePOP3", a phrase), or undefined. */
export function sharedFaultEvidence(a: Article, b: Article): string | undefined {
  const event = a.events.find((e) => b.events.some((f) => f.id === e.id && f.source === e.source));
  if (event) return `event ${event.id} ${event.source}`;
  const pa = new Set(phraseTexts(a).map((p) => p.toLowerCase()));
  const phrase = phraseTexts(b).find((p) => pa.has(p.toLowerCase()));
  return phrase === undefined ? undefined : `the phrase "${phrase}"`;
}

/** Articles about one fault (a shared literal phrase or event) are not a real choice between them. */
export function sameFault(a: Article, b: Article): boolean {
  return sharedFaultEvidence(a, b) !== undefined;
}

/** A step as compared across articles: case, spacing, quotes and the closing full stop do not count. */
export function stepKey(step: string): string {
  return step
    .toLowerCase()
    .replace(/[\u2018\u2019\u201c\u201d"']/g, "")
    .replace(/\s+/g, " ")
    .replace(/[.\s]+$/, "")
    .trim();
}
