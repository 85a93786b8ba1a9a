// Turns extracted identifiers and fuzzy hits into per-article evidence and one 0..1 score per article.
import type { Article } from "../knowledge/schema.js";
import type { Evidence, Mode } from "./types.js";
import type { Extracted } from "./extract.js";
import type { PhraseHit, QueryHit } from "./fuzzy.js";
import { compileContext, findContext, gap, itemBounds, listItemStarts, type ContextTerm } from "./context.js";
import { opensWithProgram, sourceKey } from "./sources.js";
import { replyCodes } from "./extract.js";
import { phraseEvidence, queryEvidence, round } from "./phrase-evidence.js";
import { unexplained, vocabulary } from "./fit.js";

/** No single signal is certainty: capping each keeps a second, independent signal able to count. */
const MAX_WEIGHT = 0.99;

export interface Lookups {
  articles: readonly Article[];
  byEvent: Map<number, number[]>;
  byKb: Map<string, { article: number; own: boolean }[]>;
  bySource: Map<string, number[]>;
  byCode: Map<string, number[]>;
  /** SMTP replies an article's probe signatures name, by code and enhanced code ("535 5.7.3"). */
  byReply: Map<string, { article: number; weight: number }[]>;
  /** Per article: its `context` terms plus its event sources, compiled. */
  context: ContextTerm[][];
  /** Per article: its event sources, lower-case (context terms that are not its own `context`). */
  sources: Set<string>[];
  /** Per article, built when first needed: its words as typo keys. */
  vocab: Map<number, Set<string>>;
}

export function buildLookups(articles: readonly Article[]): Lookups {
  const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  const l: Lookups = { articles, byEvent: new Map(), byKb: new Map(), bySource: new Map(), byCode: new Map(), byReply: new Map(), context: [], sources: [], vocab: new Map() };
  articles.forEach((a, i) => {
    if (/^Q\d+$/.test(a.id)) push(l.byKb, a.id, { article: i, own: true });
    for (const r of a.references) if (r !== a.id) push(l.byKb, r, { article: i, own: false });
    for (const e of a.events) {
      push(l.byEvent, e.id, i);
      push(l.bySource, sourceKey(e.source), i);
    }
    for (const c of a.codes) push(l.byCode, c.toLowerCase(), i);
    // A reply its probe looks for, or one the article says it answers; a reply limited to some servers (Exchange
    // Online's words are also an on-premises connector's) is weaker alone than one only this fault sends.
    const limited = new Set(a.probe.kind === "smtp" ? a.probe.signatures.filter((g) => g.server).flatMap((g) => replyCodes(g.reply)) : []);
    const replies = [...(a.probe.kind === "smtp" ? a.probe.signatures.map((g) => g.reply) : []), ...(a.replies ?? [])];
    for (const key of new Set(replies.flatMap(replyCodes))) push(l.byReply, key, { article: i, weight: limited.has(key) ? 0.8 : 0.9 });
    l.context.push(compileContext([...new Set([...a.events.map((e) => e.source), ...a.context])]));
    l.sources.push(new Set(a.events.map((e) => e.source.toLowerCase())));
  });
  return l;
}

export interface Signals {
  text: string;
  lower: string;
  ex: Extracted;
  phrases: PhraseHit[];
  query: QueryHit[];
  /** The whole command text is one number or KB id: the person asked for exactly that. */
  bareIdQuery: boolean;
}

export interface Scored {
  evidence: Map<number, Evidence[]>;
  /** Per article: what in the text says it is something else (a DHCP source, event 4625), when nothing specific outweighs it. */
  against: Map<number, string>;
}

/** Per article: evidence list. Weights follow one rule: how sure would an admin be from this alone? */
export function collectEvidence(l: Lookups, s: Signals, mode: Mode): Scored {
  const out = new Map<number, Evidence[]>();
  const add = (i: number, e: Evidence) => {
    const list = out.get(i);
    if (list) list.push(e);
    else out.set(i, [e]);
  };
  const { ex } = s;
  const knownSources = [...new Set(ex.sources.map(sourceKey))].filter((src) => l.bySource.has(src));
  // Event IDs are numbered per source: an event labelled with a source no article has is another event.
  const foreignSource = ex.labelledSources.some((src) => !l.bySource.has(sourceKey(src))) || ex.foreign.length > 0;
  // The article's context counts for a span when it stands nearer to it than any other product's name does:
  // "POP3 users moved; meanwhile net use gives ... The user name or password is incorrect" is net use's error.
  const items = listItemStarts(s.lower);
  const contextOf = (i: number, from = 0, to = s.lower.length): string | undefined => {
    const ctx = findContext(l.context[i]!, s.text, s.lower, from, to, to - from < s.lower.length ? itemBounds(items, s.lower.length, from) : undefined);
    if (!ctx) return undefined;
    const foreign = Math.min(...ex.foreignAt.map((at) => gap(at, from, to)));
    if (foreign < ctx.distance) return undefined;
    // The line that carries the error names the program that printed it ("pywintypes.error: (1314, ... 'A
    // required privilege ...')", "The Microsoft Single Sign-on Service failed to start: ..."): that program
    // owns the error unless the same line also names the article's world.
    if (ex.foreignAt.length === 0) return ctx.term;
    const lineStart = s.lower.lastIndexOf("\n", from - 1) + 1;
    const nl = s.lower.indexOf("\n", to);
    const lineEnd = nl < 0 ? s.lower.length : nl;
    if (!ex.foreignAt.some((at) => at >= lineStart && at < lineEnd)) return ctx.term;
    // A line that opens with another program's name and a colon is that program's output, whatever it quotes.
    if (opensWithProgram(s.lower.slice(lineStart, lineEnd))) return undefined;
    if (!findContext(l.context[i]!, s.text, s.lower, from, to, [lineStart, lineEnd])) return undefined;
    return ctx.term;
  };

  const bestEvent = new Map<number, Evidence>();
  for (const m of ex.events) {
    for (const i of l.byEvent.get(m.id) ?? []) {
      const ev = l.articles[i]!.events.find((e) => e.id === m.id)!;
      const own = sourceKey(ev.source);
      const sourceMatches = m.source !== undefined ? sourceKey(m.source) === own : knownSources.includes(own);
      const otherSource = !sourceMatches && (m.source !== undefined || knownSources.length > 0 || foreignSource);
      let w: number;
      if (m.strength === "labelled") w = sourceMatches ? 0.99 : otherSource ? 0.2 : 0.9;
      else if (m.strength === "line") w = sourceMatches ? 0.97 : 0.1;
      else if (s.bareIdQuery) w = otherSource ? 0.2 : 0.95;
      else if (otherSource) w = 0.1;
      // In a channel a bare number reads as an event ID only where a label, an event line or a table says so.
      else if (mode === "channel") w = sourceMatches ? 0.6 : 0.3;
      else w = sourceMatches ? 0.9 : 0.75;
      const detail = `Event ${m.id}${sourceMatches ? ` from ${ev.source}` : ""} (${m.via})`;
      const prev = bestEvent.get(i);
      if (!prev || prev.weight < w) bestEvent.set(i, { kind: "event", detail, weight: w });
    }
  }
  for (const [i, e] of bestEvent) add(i, e);

  for (const kb of ex.kbs) {
    for (const { article, own } of l.byKb.get(kb) ?? []) {
      const w = own ? (s.bareIdQuery || mode === "command" ? 0.97 : 0.9) : s.bareIdQuery || mode === "command" ? 0.9 : 0.8;
      add(article, { kind: "kb", detail: own ? `KB ${kb}` : `KB ${kb} (cited by ${l.articles[article]!.id})`, weight: w });
    }
  }
  for (const src of knownSources) {
    for (const i of l.bySource.get(src) ?? []) add(i, { kind: "source", detail: `Source ${l.articles[i]!.events.find((e) => sourceKey(e.source) === src)!.source}`, weight: 0.3 });
  }
  // Win32 codes and HRESULTs are Windows-wide: like a generic message, they need the article's context in a channel.
  const bestCode = new Map<number, Evidence>();
  for (const { code, at } of ex.codeSpots) {
    for (const i of l.byCode.get(code) ?? []) {
      const ctx = mode === "channel" ? contextOf(i, at, at + code.length) : undefined;
      const w = mode === "command" ? 0.85 : ctx ? 0.85 : 0.3;
      const prev = bestCode.get(i);
      if (!prev || prev.weight < w) bestCode.set(i, { kind: "code", detail: `Error code ${code}${ctx ? ` with context ${ctx}` : ""}`, weight: w, generic: true });
    }
  }
  for (const [i, e] of bestCode) add(i, e);
  if (mode === "command") {
    // Typed after /exchange: an error code alone ("1314"), or a server reply's codes ("535 5.7.3") that an
    // article's probe looks for. In a channel neither says which fault it is: a wrong password answers 535 too.
    if (s.bareIdQuery) for (const m of ex.events) for (const i of l.byCode.get(String(m.id)) ?? []) add(i, { kind: "code", detail: `Error code ${m.id}`, weight: 0.85, generic: true });
    const seen = new Set<number>();
    for (const key of ex.smtpReplies) {
      for (const { article: i, weight } of l.byReply.get(key) ?? []) if (!seen.has(i) && seen.add(i)) add(i, { kind: "code", detail: `Server reply ${key}`, weight });
    }
  }
  // A window of nothing but digits and dots ("535 5.7.3") is a status code, not the phrase: codes are evidence of their own.
  const worded = s.phrases.filter((h) => /\p{L}/u.test(s.lower.slice(h.start, h.end)));
  for (const [i, e] of phraseEvidence(worded, mode, (i, h) => contextOf(i, h.start, h.end), ex)) add(i, e);
  for (const [i, e] of queryEvidence(s.query, ex)) {
    const already = out.get(i)?.some((x) => x.detail === e.detail && x.weight >= e.weight);
    if (!already) add(i, e);
  }
  // Several of the article's context terms around what matched (a POP3 session: pop3, USER, PASS) support it.
  for (const [i, ev] of out) {
    if (!ev.some((e) => e.weight >= 0.5)) continue;
    const terms = l.context[i]!.filter((t) => !l.sources[i]!.has(t.term.toLowerCase()) && (t.caseSensitive ? s.text : s.lower).search(t.re) >= 0).map((t) => t.term);
    if (terms.length) add(i, { kind: "context", detail: `context ${terms.slice(0, 3).join(", ")}`, weight: Math.min(0.5, 0.2 * terms.length) });
  }
  return { evidence: out, against: contradictions(l, s, out, contextOf, mode) };
}

/** Evidence that stands on its own whatever else the text says. */
const SPECIFIC = 0.85;

function contradictions(l: Lookups, s: Signals, evidence: Map<number, Evidence[]>, contextOf: (i: number) => string | undefined, mode: Mode): Map<number, string> {
  const { ex } = s;
  const out = new Map<number, string>();
  // A number typed in a short query with words the article never uses is some other number ("13003 marseille").
  // In a long query the words around it are too mixed to say that.
  // A labelled number ("Ereignis 11202") is explained by its label.
  if (mode === "command" && !s.bareIdQuery && (s.lower.match(/[a-z0-9]+/g) ?? []).length <= 6) {
    const read = new Set(ex.events.filter((m) => m.strength !== "bare").map((m) => m.id));
    for (const [i, ev] of evidence) {
      const top = ev.reduce((a, b) => (b.weight > a.weight ? b : a));
      if (top.kind !== "event" || l.articles[i]!.events.some((e) => read.has(e.id))) continue;
      let vocab = l.vocab.get(i);
      if (!vocab) l.vocab.set(i, (vocab = vocabulary(l.articles[i]!)));
      const { strange, known } = unexplained(s.lower, vocab);
      if (strange > known) out.set(i, `words beside the number that ${l.articles[i]!.id} does not use`);
    }
  }
  // Hard: the text says which event it is, and it is none of ours. Soft: another product is named, or (in a
  // query) another number stands beside the words; the article's own context outweighs a soft reason.
  const hard: string[] = [];
  const soft: string[] = ex.foreign.map((f) => `"${f}"`);
  for (const m of ex.events) {
    const ours = l.byEvent.has(m.id) || l.byCode.has(String(m.id));
    if (ours || (m.id >= 1900 && m.id <= 2099)) continue;
    if (m.strength !== "bare") hard.push(`event ${m.id}`);
    else if (mode === "command" && !s.bareIdQuery) soft.push(`number ${m.id}`);
  }
  for (const src of ex.labelledSources) if (!l.bySource.has(sourceKey(src))) hard.push(`source ${src}`);
  if (hard.length + soft.length === 0) return out;
  for (const [i, ev] of evidence) {
    if (ev.some((e) => e.weight >= SPECIFIC && !e.generic)) continue;
    if (hard.length === 0 && contextOf(i)) continue;
    out.set(i, [...new Set([...hard, ...soft])].slice(0, 3).join(", "));
  }
  return out;
}

/** Independent signals reinforce each other (noisy-or); the strongest one always dominates. */
export function combine(evidence: Evidence[]): number {
  let miss = 1;
  for (const e of evidence) miss *= 1 - Math.max(0, Math.min(MAX_WEIGHT, e.weight));
  return round(1 - miss);
}
