// Does the rest of the text fit an article? Two checks on top of the evidence: how many of the article's
// context terms the text carries (support), and, for a command that names a number, whether the words beside
// it belong to the article at all ("13003 marseille" is a postal code, not the POP3 event).
import type { Article } from "../knowledge/schema.js";
import { phraseForms } from "../knowledge/phrases.js";
import { foldLower } from "./normalise.js";
import { QUERY_FILLER, isSignificant, tokenize, typoKeys } from "./tokens.js";

/** The query filler words (tokens.ts), one typo away included: words around a number that do not name its event. */
const QUERY_KEYS = new Set([...QUERY_FILLER].flatMap(typoKeys));

/**
 * Every word an article uses anywhere in what it says, folded like the text it is compared with, as typo keys
 * (a word one typo away from one of them is one of them too).
 */
export function vocabulary(a: Article): Set<string> {
  const parts = [a.title, a.cause, ...a.keywords, ...a.symptoms, ...a.resolution, ...a.context, ...a.events.map((e) => `${e.source} ${e.type}`), ...phraseForms(a).map((f) => f.text)];
  const out = new Set<string>();
  for (const p of parts) for (const t of tokenize(foldLower(p.toLowerCase()))) for (const k of typoKeys(t.word)) out.add(k);
  return out;
}

/** How many words of a query have nothing to do with the article, and how many do. */
export function unexplained(lower: string, vocab: ReadonlySet<string>): { strange: number; known: number } {
  let strange = 0;
  let known = 0;
  for (const t of tokenize(lower)) {
    const w = t.word;
    if (!isSignificant(w) || /\d/.test(w)) continue;
    const keys = [...typoKeys(w), w.replace(/e?s$/, "")];
    if (keys.some((k) => vocab.has(k) || QUERY_KEYS.has(k))) known++;
    else strange++;
  }
  return { strange, known };
}

const PROTOCOL_WORDS: ReadonlyArray<readonly [protocol: string, word: RegExp]> = [
  ["pop3", /\bpop3?\b/],
  ["imap", /\bimap4?\b/],
  ["smtp", /\bsmtp\b/],
];

/** The mail protocols a text names (POP3, IMAP4, SMTP), however written. */
export function protocolsNamed(lower: string): string[] {
  return PROTOCOL_WORDS.filter(([, re]) => re.test(lower)).map(([p]) => p);
}

/** The protocols an article is about: those its words name, and its probe's. */
export function articleProtocols(a: Article): Set<string> {
  const text = foldLower([a.title, a.cause, ...a.keywords, ...a.symptoms, ...a.context, ...a.events.map((e) => e.source), ...phraseForms(a).map((f) => f.text)].join(" ").toLowerCase());
  const out = new Set(protocolsNamed(text));
  if (a.probe.kind !== "none") out.add(a.probe.kind);
  return out;
}
