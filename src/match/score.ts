// Turns extracted identifiers and fuzzy hits into per-article evidence and one 0..1 score per article.
import type { Article } from "../knowledge/schema.js";
import type { Evidence, Mode } from "./types.js";
import type { Extracted } from "./extract.js";
import type { PhraseHit, QueryHit } from "./fuzzy.js";

/** No single signal is certainty: capping each keeps a second, independent signal able to count. */
const MAX_WEIGHT = 0.99;

export interface Lookups {
  articles: readonly Article[];
  byEvent: Map<number, number[]>;
  byKb: Map<string, { article: number; own: boolean }[]>;
  bySource: Map<string, number[]>;
  byCode: Map<string, number[]>;
}

export function buildLookups(articles: readonly Article[]): Lookups {
  const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  const l: Lookups = { articles, byEvent: new Map(), byKb: new Map(), bySource: new Map(), byCode: new Map() };
  articles.forEach((a, i) => {
    if (/^Q\d+$/.test(a.id)) push(l.byKb, a.id, { article: i, own: true });
    for (const r of a.references) if (r !== a.id) push(l.byKb, r, { article: i, own: false });
    for (const e of a.events) {
      push(l.byEvent, e.id, i);
      push(l.bySource, e.source.toLowerCase(), i);
    }
    for (const c of a.codes) push(l.byCode, c.toLowerCase(), i);
  });
  return l;
}

export interface Signals {
  ex: Extracted;
  phrases: PhraseHit[];
  query: QueryHit[];
  /** The whole command text is one number or KB id: the person asked for exactly that. */
  bareIdQuery: boolean;
}

/** Per article: evidence list. Weights follow one rule: how sure would an admin be from this alone? */
export function collectEvidence(l: Lookups, s: Signals, mode: Mode): Map<number, Evidence[]> {
  const out = new Map<number, Evidence[]>();
  const add = (i: number, e: Evidence) => {
    const list = out.get(i);
    if (list) list.push(e);
    else out.set(i, [e]);
  };
  const { ex } = s;
  const knownSources = ex.sources.filter((src) => l.bySource.has(src));
  // Event IDs are numbered per source: an event labelled with a source no article has is another event.
  const foreignSource = ex.labelledSources.some((src) => !l.bySource.has(src));

  const bestEvent = new Map<number, Evidence>();
  for (const m of ex.events) {
    for (const i of l.byEvent.get(m.id) ?? []) {
      const a = l.articles[i]!;
      const ev = a.events.find((e) => e.id === m.id)!;
      const sourceMatches = knownSources.includes(ev.source.toLowerCase());
      const otherSource = !sourceMatches && (knownSources.length > 0 || foreignSource);
      let w: number;
      if (m.strength === "labelled") w = sourceMatches ? 0.99 : otherSource ? 0.2 : 0.9;
      else if (s.bareIdQuery) w = 0.95;
      else if (sourceMatches) w = 0.93;
      else if (otherSource) w = 0.1;
      else w = mode === "command" ? 0.75 : ex.context > 0 ? 0.8 + 0.1 * ex.context : 0.35;
      const detail = `Event ${m.id}${sourceMatches ? ` from ${ev.source}` : ""} (${m.via})`;
      const prev = bestEvent.get(i);
      if (!prev || prev.weight < w) bestEvent.set(i, { kind: "event", detail, weight: w });
    }
  }
  for (const [i, e] of bestEvent) add(i, e);

  for (const kb of ex.kbs) {
    for (const { article, own } of l.byKb.get(kb) ?? []) {
      add(article, { kind: "kb", detail: own ? `KB ${kb}` : `KB ${kb} (cited)`, weight: own ? (s.bareIdQuery || mode === "command" ? 0.97 : 0.9) : 0.55 });
    }
  }
  for (const src of knownSources) {
    for (const i of l.bySource.get(src) ?? []) add(i, { kind: "source", detail: `Source ${l.articles[i]!.events.find((e) => e.source.toLowerCase() === src)!.source}`, weight: 0.3 });
  }
  for (const code of ex.hresults) {
    for (const i of l.byCode.get(code) ?? []) add(i, { kind: "code", detail: `Error code ${code}`, weight: ex.context > 0 ? 0.85 : 0.5 });
  }

  // One piece of text can match several phrases of an article: that is one piece of evidence, its best.
  const bestPhrase = new Map<number, Evidence>();
  for (const h of s.phrases) {
    // A few common words ("logon attempt failed") support; five or more specific words stand alone.
    // Words that other faults' phrases use too do not make a fragment specific.
    const specificity = Math.min(1, h.matched / 5) * (h.distinctive > 0 ? 1 : 0.7);
    const kindWeight = h.kind === "phrase" ? 1 : h.kind === "symptom" ? 0.8 : 0.7;
    const weight = round(h.score * kindWeight * (0.6 + 0.4 * specificity));
    const prev = bestPhrase.get(h.article);
    if (!prev || prev.weight < weight) bestPhrase.set(h.article, { kind: h.kind === "phrase" ? "phrase" : h.kind === "title" ? "title" : "keyword", detail: h.text, weight });
  }
  for (const [i, e] of bestPhrase) add(i, e);

  const bestQuery = new Map<number, QueryHit>();
  for (const h of s.query) {
    const prev = bestQuery.get(h.article);
    if (!prev || prev.score < h.score) bestQuery.set(h.article, h);
  }
  for (const [i, h] of bestQuery) {
    const already = out.get(i)?.some((e) => e.detail === h.text && e.weight >= h.score);
    if (!already) add(i, { kind: h.kind === "phrase" ? "phrase" : h.kind === "title" ? "title" : "keyword", detail: h.text, weight: round(h.score * 0.95) });
  }
  return out;
}

/** Independent signals reinforce each other (noisy-or); the strongest one always dominates. */
export function combine(evidence: Evidence[]): number {
  let miss = 1;
  for (const e of evidence) miss *= 1 - Math.max(0, Math.min(MAX_WEIGHT, e.weight));
  return round(1 - miss);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
