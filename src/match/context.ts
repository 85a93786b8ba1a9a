// An article's `context` terms, compiled once: the words that put a generic Windows message in the
// article's world (its event source, a POP3 session, Exchange server roles). Declared in the knowledge
// base; this file only knows how to find a term, not which terms matter.
import { foldLower } from "./normalise.js";

export interface ContextTerm {
  term: string;
  re: RegExp;
  /** Terms written without lower-case letters (USER, PASS, +OK) must appear in capitals, as protocol words do. */
  caseSensitive: boolean;
}

/** How far from the matched phrase a context term may be: about one event record or session either side. */
export const CONTEXT_RADIUS = 1200;

// OCR from photographed screens swaps these; a source read as MSExchangeP0P3 is still MSExchangePOP3.
const OCR: Record<string, string> = { o: "[o0]", l: "[l1i]", i: "[il1]", s: "[s5]", O: "[O0]", I: "[Il1]", L: "[L1I]", S: "[S5]" };

export function compileContext(terms: readonly string[]): ContextTerm[] {
  return terms.map((term) => {
    const caseSensitive = /[A-Z]/.test(term) && !/[a-z]/.test(term);
    const t = caseSensitive ? term : foldLower(term.toLowerCase());
    const body = Array.from(t)
      .map((c) => (/\s/.test(c) ? "\\s+" : (OCR[c] ?? c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"))))
      .join("");
    // Inside an identifier, a host name or a Windows path the word names a thing, not the product: svc_pop3
    // (an account), pop3-gw01 (a host: a part with a digit joined by a hyphen; "POP3-Anmeldung" stays a word),
    // "\Exchange\POP3 Export" (a scheduled task). A protocol word after "/" is a command-line switch (net
    // use's /USER:), not the protocol's command.
    const open = /^[A-Za-z0-9]/.test(t) ? `(?<![A-Za-z0-9_\\\\${caseSensitive ? "/" : ""}]|\\d[A-Za-z]*-)` : "(?<![A-Za-z0-9+-])";
    // A protocol word followed by a colon is a field's label ("USER: CONTOSO\svc-maint"), not the command.
    const close = /[A-Za-z0-9]$/.test(t) ? `(?![A-Za-z0-9_]|-[A-Za-z]*\\d${caseSensitive ? "|:" : ""})` : "";
    return { term, re: new RegExp(open + body + close, "g"), caseSensitive };
  });
}

/** Where list items start ("1) ...", "- ...", "* ..."): items of a list are separate topics. */
export function listItemStarts(lower: string): number[] {
  const out: number[] = [];
  for (const m of lower.matchAll(/^[ \t]{0,8}(?:\d{1,2}[.)]|[-*\u2022])[ \t]+/gm)) if (out.length < 1000) out.push(m.index);
  return out;
}

/** The list item holding [from, to), as [start, end); the whole text when it is no list. */
export function itemBounds(starts: readonly number[], length: number, from: number): [number, number] {
  let start = 0;
  let end = length;
  for (const s of starts) {
    if (s <= from) start = s;
    else {
      end = s;
      break;
    }
  }
  return [start, end];
}

export interface ContextFind {
  term: string;
  /** Characters between the term and the span it gives context to (0 when inside it). */
  distance: number;
}

/** Characters between position `at` and the span [from, to). */
export function gap(at: number, from: number, to: number): number {
  return at < from ? from - at : at >= to ? at - to + 1 : 0;
}

/**
 * The context term nearest to [from, to) (offsets in `lower`) within CONTEXT_RADIUS, or undefined.
 * Case-sensitive terms are looked for in `text`, whose offsets match `lower`'s closely enough for a radius.
 */
export function findContext(terms: readonly ContextTerm[], text: string, lower: string, from: number, to: number, bounds?: [number, number]): ContextFind | undefined {
  const a = Math.max(bounds?.[0] ?? 0, from - CONTEXT_RADIUS);
  const b = Math.min(bounds?.[1] ?? lower.length, lower.length, to + CONTEXT_RADIUS);
  const lowerPart = lower.slice(a, b);
  const textPart = text.slice(a, b);
  let best: ContextFind | undefined;
  for (const t of terms) {
    for (const m of (t.caseSensitive ? textPart : lowerPart).matchAll(t.re)) {
      const d = gap(a + m.index, from, to);
      if (!best || d < best.distance) best = { term: t.term, distance: d };
      if (m.index + a >= to) break;
    }
  }
  return best;
}
