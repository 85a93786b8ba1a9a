// "Did you mean 11202?": for a query that matched nothing, identifiers in the knowledge base one typo away
// (a digit changed, added, dropped or two swapped) from an event ID or KB number the person typed.
import type { Article } from "../knowledge/schema.js";

export interface Suggestion {
  /** What to type instead: "11202" or "Q171435". */
  id: string;
  /** The article it leads to. */
  article: string;
}

/** Optimal string alignment distance, stopping early past 1 (all we need). */
function withinOne(a: string, b: string): boolean {
  if (a === b) return false;
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diff: number[] = [];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
    if (diff.length === 1) return true;
    const [i, j] = diff;
    return diff.length === 2 && j === i! + 1 && a[i!] === b[j] && a[j] === b[i!];
  }
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  for (let i = 0; i < l.length; i++) if (l.slice(0, i) + l.slice(i + 1) === s) return true;
  return false;
}

export function suggestIdentifiers(text: string, articles: readonly Article[], max = 3): Suggestion[] {
  const typedEvents = new Set<string>();
  const typedKbs = new Set<string>();
  for (const m of text.matchAll(/\b(?:(Q|KB)\s?)?(\d{3,7})\b/gi)) {
    const digits = m[2]!;
    if (m[1] || digits.length >= 6) typedKbs.add(digits);
    if (!m[1] && digits.length <= 5) typedEvents.add(digits);
  }
  if (!typedEvents.size && !typedKbs.size) return [];
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  const add = (id: string, article: string): void => {
    if (seen.has(id) || out.length >= max) return;
    seen.add(id);
    out.push({ id, article });
  };
  for (const a of articles) {
    for (const e of a.events) for (const t of typedEvents) if (withinOne(t, String(e.id))) add(String(e.id), a.id);
    for (const kb of new Set([...(/^Q\d{6}$/.test(a.id) ? [a.id] : []), ...a.references])) {
      for (const t of typedKbs) if (withinOne(t, kb.slice(1))) add(kb, a.id);
    }
  }
  return out;
}
