// Fuzzy matching of knowledge phrases against pasted text.
// Fuse's Bitap pattern is limited to 32 characters and it scans everything it is given, so we never hand
// it a whole paste or a whole knowledge base: a typo-tolerant word index finds the few phrase/window pairs
// worth checking, and Fuse scores each phrase inside its window of the paste.
import Fuse from "fuse.js";
import { foldLower } from "./normalise.js";
import type { Article } from "../knowledge/schema.js";
import { phraseForms } from "../knowledge/phrases.js";
import { findFilled, letteredIndexes, templateRuns, templateWords } from "./templates.js";
import { sameFault } from "./decide.js";
import { expandAbbreviations, isSignificant, namesSomething, queryWeight, tokenize, typoKeys, type Token } from "./tokens.js";
import { bestWindow } from "./window.js";

export type EntryKind = "phrase" | "keyword" | "title" | "symptom";

interface Entry {
  article: number;
  kind: EntryKind;
  /** As written in the article, for people; `text` is its lower-case form for matching. */
  raw: string;
  text: string;
  /** A generic Windows message (or a localized variant of one): counts only beside the article's context. */
  generic: boolean;
  /** Language of a localized variant; `raw` is then the variant and `phrase` the article's own text. */
  lang?: string;
  phrase: string;
  /** Distinct significant words, in phrase order. */
  words: string[];
  /** Where each of those words first occurs in `text`. */
  spans: Array<[number, number]>;
  /** Per word: does it appear in no phrase of an article about another fault? */
  distinctive: boolean[];
  /**
   * Per word: does it tell this text from a generic message? Not when a generic phrase uses it, nor when it
   * is log boilerplate ("call failed with error"): a hit on no such word reads only as the generic message.
   */
  telling: boolean[];
  /** A message template's literal runs (templates.ts), looked for filled in by findTemplates. */
  runs?: RegExp[];
}

export interface PhraseHit {
  article: number;
  kind: EntryKind;
  text: string;
  /** The article's phrase this hit stands for (the English text when `text` is a localized variant). */
  phrase: string;
  lang?: string;
  /** The phrase is generic, or the words found are all words of generic messages or shared with other faults. */
  generic: boolean;
  /** Offsets of the matched window in the searched text. */
  start: number;
  end: number;
  /** 0..1, higher is better: Fuse's similarity in the window, weighed by how much of the phrase is there. */
  score: number;
  coverage: number;
  /** How many distinct significant words of the phrase the window holds. */
  matched: number;
  /** How many of those belong to this fault alone. */
  distinctive: number;
}

export interface QueryHit {
  article: number;
  kind: EntryKind;
  text: string;
  /** The article's phrase (English) this entry stands for; differs from `text` for a localized variant. */
  phrase: string;
  generic: boolean;
  score: number;
}

// Bitap's work grows with the errors it allows; past 0.45 it only finds text that is not the phrase anyway.
const FUSE_OPTS = { ignoreLocation: true, threshold: 0.45, includeScore: true, isCaseSensitive: false } as const;
/** A word in the phrases of more articles than this is common, whatever those articles are about. */
const MAX_DISTINCTIVE_ARTICLES = 8;
/** Index keys shared by more entries than this are too common to pick candidates by (only matters at scale). */
const MAX_POSTINGS = 4000;
const MAX_TOKENS = 20_000;
/** Words every product's log lines use; they never make a fragment of a message specific. */
const BOILERPLATE = new Set("failed failure error errors returned status because while during unable cannot could please server client access denied account service windows system message".split(" "));
/** How much a typed word one edit away from a knowledge word counts, against 1 for the word itself. */
const TYPO_CREDIT = 0.6;
// One letter off in a long word ("privilage") beside other words that name the fault leaves no doubt which word
// was meant; alone it stays a suggestion.
const LONG_WORD = 8;
const LONG_TYPO_CREDIT = 0.85;

export class PhraseIndex {
  private readonly entries: Entry[] = [];
  private readonly keys = new Map<string, number[]>();

  constructor(articles: readonly Article[]) {
    articles.forEach((a, i) => {
      for (const f of phraseForms(a)) this.add(i, "phrase", f.text, f.generic, f.phrase, f.lang);
      for (const k of a.keywords) this.add(i, "keyword", k);
      this.add(i, "title", a.title.replace(/^[A-Z]{3,5}:\s*/, ""));
      if (a.kbTitle) this.add(i, "title", a.kbTitle.replace(/^[A-Z]{3,5}:\s*/, ""));
      for (const s of a.symptoms) this.add(i, "symptom", s);
    });
    this.markDistinctive(articles);
  }

  /**
   * A phrase fragment made only of words other faults use too ("HrLookupCredentials() call failed with
   * error") says little on its own: flag the words that only this fault's phrases use.
   */
  private markDistinctive(articles: readonly Article[]): void {
    const users = new Map<string, Set<number>>();
    for (const e of this.entries) {
      if (e.kind !== "phrase") continue;
      for (const w of e.words) {
        let set = users.get(w);
        if (!set) users.set(w, (set = new Set()));
        if (set.size <= MAX_DISTINCTIVE_ARTICLES) set.add(e.article);
      }
    }
    const genericWords = new Set(this.entries.filter((e) => e.generic).flatMap((e) => e.words));
    for (const e of this.entries) {
      e.telling = e.words.map((w) => !genericWords.has(w) && w.length >= 5 && !BOILERPLATE.has(w));
      const mine = articles[e.article]!;
      e.distinctive = e.words.map((w) => {
        const set = users.get(w);
        if (!set) return true;
        if (set.size > MAX_DISTINCTIVE_ARTICLES) return false;
        for (const other of set) if (other !== e.article && !sameFault(mine, articles[other]!)) return false;
        return true;
      });
    }
  }

  private add(article: number, kind: EntryKind, raw: string, generic = false, phrase = raw, lang?: string): void {
    // A template's placeholders (%1) are not words: the fuzzy search looks for its literal text only.
    const text = foldLower(templateWords(raw).toLowerCase());
    const words: string[] = [];
    const spans: Array<[number, number]> = [];
    for (const t of tokenize(text)) {
      if (!isSignificant(t.word) || words.includes(t.word)) continue;
      words.push(t.word);
      spans.push([t.start, t.end]);
    }
    if (words.length === 0) return;
    const id = this.entries.length;
    const runs = kind === "phrase" ? templateRuns(raw, words) : undefined;
    this.entries.push({ article, kind, raw, text, generic, phrase, ...(lang ? { lang } : {}), words, spans, distinctive: [], telling: [], ...(runs ? { runs } : {}) });
    // One posting per (key, entry, word): the word's position is recovered when scoring.
    words.forEach((w, wi) => {
      for (const k of typoKeys(w)) {
        let list = this.keys.get(k);
        if (!list) this.keys.set(k, (list = []));
        list.push(id * 64 + Math.min(wi, 63));
      }
    });
  }

  /** Which entry words each text token may be (exact or one typo away). Calls back (entry, word index, token index). */
  private hits(tokens: Token[], onHit: (entry: number, word: number, token: number) => void): void {
    const n = Math.min(tokens.length, MAX_TOKENS);
    // Logs repeat the same words: resolve each distinct word against the index once per call.
    const memo = new Map<string, number[]>();
    for (let ti = 0; ti < n; ti++) {
      const w = tokens[ti]!.word;
      let codes = memo.get(w);
      if (!codes) memo.set(w, (codes = this.codesFor(w)));
      for (const code of codes) onHit(code >> 6, code & 63, ti);
    }
  }

  private codesFor(word: string): number[] {
    if (!isSignificant(word)) return [];
    const seen = new Set<number>();
    for (const k of typoKeys(word)) {
      const list = this.keys.get(k);
      if (!list || list.length > MAX_POSTINGS) continue;
      for (const code of list) seen.add(code);
    }
    return [...seen];
  }

  /**
   * Reverse search: each knowledge phrase as the pattern, looked for inside the pasted text.
   * Returns the best window per entry that covers at least half of the entry's words.
   */
  findPhrases(lower: string, kinds: ReadonlySet<EntryKind>): PhraseHit[] {
    const tokens = tokenize(lower);
    const perEntry = new Map<number, number[]>();
    this.hits(tokens, (e, w, t) => {
      if (!kinds.has(this.entries[e]!.kind)) return;
      let l = perEntry.get(e);
      if (!l) perEntry.set(e, (l = []));
      l.push(t, w);
    });
    const out: PhraseHit[] = [];
    // Articles about one fault share phrases: score each (phrase, window) pair once.
    const scored = new Map<string, number>();
    for (const [e, pairs] of perEntry) {
      const entry = this.entries[e]!;
      const need = entry.words.length;
      if (pairs.length / 2 < Math.min(2, need) && need > 1) continue;
      const best = bestWindow(pairs, need, need * 2 + 3);
      const coverage = best.distinct / need;
      if (coverage < 0.5 || (need > 1 && best.distinct < 2)) continue;
      const first = tokens[best.from]!;
      const last = tokens[best.to]!;
      const window = lower.slice(Math.max(0, first.start - 12), last.end + 12);
      // A paste may hold only part of a long message: compare the window with the part of the phrase
      // between the first and last of its words the window holds, not with the whole phrase.
      const part = best.distinct === need ? entry.text : entry.text.slice(entry.spans[best.lowWord]![0], entry.spans[best.highWord]![1]);
      const key = `${part}\u0000${first.start}`;
      let similarity = scored.get(key);
      if (similarity === undefined) {
        similarity = windowSimilarity(part, window);
        scored.set(key, similarity);
      }
      if (similarity <= 0) continue;
      let distinctive = 0;
      let specific = false;
      for (const w of best.words) {
        if (entry.distinctive[w]) distinctive++;
        if (entry.telling[w]) specific = true;
      }
      out.push({
        article: entry.article,
        kind: entry.kind,
        text: entry.raw,
        phrase: entry.phrase,
        ...(entry.lang ? { lang: entry.lang } : {}),
        generic: entry.generic || !specific,
        start: first.start,
        end: last.end,
        score: similarity * (0.7 + 0.3 * coverage),
        coverage,
        matched: best.distinct,
        distinctive,
      });
    }
    return out.sort((a, b) => b.score - a.score);
  }

  /** Each message template found filled in, whole: evidence like a literal phrase found whole. */
  findTemplates(lower: string): PhraseHit[] {
    const out: PhraseHit[] = [];
    for (const e of this.entries) {
      const m = e.runs && findFilled(e.runs, lower);
      if (!m) continue;
      const lettered = letteredIndexes(e.words);
      const distinctive = lettered.filter((w) => e.distinctive[w]).length;
      out.push({ article: e.article, kind: e.kind, text: e.raw, phrase: e.phrase, ...(e.lang ? { lang: e.lang } : {}), generic: e.generic, ...m, score: 1, coverage: 1, matched: lettered.length, distinctive });
    }
    return out;
  }

  /**
   * Forward search for short queries typed after /exchange: how well the query's words are found in an
   * entry, and how closely Fuse finds the query inside it.
   */
  findQuery(lower: string): QueryHit[] {
    const tokens = tokenize(lower).slice(0, 64);
    const queryWords = [...new Set(tokens.map((t) => t.word).filter(isSignificant))];
    if (queryWords.length === 0) return [];
    const wordIndex = new Map(queryWords.map((w, i) => [w, i]));
    const severalNames = queryWords.filter(namesSomething).length > 1;
    const typoCredit = (w: string) => (severalNames && w.length >= LONG_WORD ? LONG_TYPO_CREDIT : TYPO_CREDIT);
    // Per entry, the credit each query word earned: a word found as typed counts fully, one a typo away less.
    const credit = new Map<number, number[]>();
    this.hits(tokens, (e, w, t) => {
      const word = tokens[t]!.word;
      const qi = wordIndex.get(word);
      if (qi === undefined) return;
      let c = credit.get(e);
      if (!c) credit.set(e, (c = new Array<number>(queryWords.length).fill(0)));
      c[qi] = Math.max(c[qi]!, this.entries[e]!.words[w] === word ? 1 : typoCredit(word));
    });
    const pattern = queryWords.join(" ").slice(0, 32);
    const out: QueryHit[] = [];
    for (const [e, c] of credit) {
      const entry = this.entries[e]!;
      const weight = queryWords.reduce((n, w, i) => n + queryWeight(w, c[i]! > 0), 0);
      const coverage = weight > 0 ? c.reduce((a, b) => a + b, 0) / weight : 0;
      if (coverage < 0.5 || !queryWords.some((w, i) => c[i]! > 0 && namesSomething(w))) continue;
      const r = Fuse.match(pattern, entry.text, FUSE_OPTS);
      const similarity = r.isMatch ? 1 - (r.score ?? 1) : 0.3;
      // One-word queries are weak evidence however well they match; filler words do not make a query broader.
      const breadth = Math.min(1, 0.55 + 0.15 * weight);
      out.push({ article: entry.article, kind: entry.kind, text: entry.raw, phrase: entry.phrase, generic: entry.generic, score: coverage * coverage * (0.5 + 0.5 * similarity) * breadth });
    }
    return out.sort((a, b) => b.score - a.score);
  }
}

/** 0..1 similarity of a phrase inside a window of pasted text; 0 when Fuse finds no match. */
function windowSimilarity(phrase: string, window: string): number {
  // The common case, a verbatim paste, needs no approximate search.
  if (window.includes(phrase)) return 1;
  window = expandAbbreviations(window);
  if (window.includes(phrase)) return 1;
  const r = Fuse.match(phrase, window, FUSE_OPTS);
  return r.isMatch ? 1 - (r.score ?? 1) : 0;
}
