// Phrase hits as evidence. A generic Windows message (marked `generic` in the article, or a fragment made
// only of such words) counts in a channel only when the article's context stands near it.
import type { Evidence, Mode } from "./types.js";
import type { PhraseHit, QueryHit } from "./fuzzy.js";
import { ENHANCED_CODE, replyCodes } from "./extract.js";

/** What a generic message alone is worth in a channel: support for other evidence, never an answer. */
const GENERIC_ALONE = 0.3;

function kindOf(k: PhraseHit["kind"]): Evidence["kind"] {
  return k === "phrase" ? "phrase" : k === "title" ? "title" : "keyword";
}

/** What the text says of SMTP replies: enhanced codes ("5.7.1"), and both codes where it gives both ("550 5.7.1"). */
export interface CodesSeen {
  smtpCodes: readonly string[];
  smtpReplies: readonly string[];
}

/**
 * A phrase that carries an SMTP status code ("530 5.7.1 Client was not authenticated") is that reply only
 * when the text has the same enhanced code, and no other reply code before it: a near match of its words
 * under 5.5.1 is another server's refusal (Gmail's "5.5.1 Authentication Required" after .NET's "the client
 * was not authenticated"), and "550 5.7.1" is a relay refusal.
 */
function codesAgree(phrase: string, seen: CodesSeen): boolean {
  for (const code of phrase.match(ENHANCED_CODE) ?? []) if (!seen.smtpCodes.includes(code)) return false;
  const own = replyCodes(phrase);
  for (const r of seen.smtpReplies) {
    const enhanced = r.slice(4);
    if (own.some((o) => o.slice(4) === enhanced) && !own.includes(r)) return false;
  }
  return true;
}

export function phraseEvidence(
  hits: PhraseHit[],
  mode: Mode,
  contextFor: (article: number, h: PhraseHit) => string | undefined,
  codesSeen: CodesSeen = { smtpCodes: [], smtpReplies: [] },
): Map<number, Evidence> {
  // One piece of text can match several phrases of an article: that is one piece of evidence, its best.
  const best = new Map<number, Evidence>();
  for (const h of hits) {
    if (!codesAgree(h.text, codesSeen)) continue;
    // A few common words ("logon attempt failed") support; five or more specific words stand alone.
    // Words that other faults' phrases use too do not make a fragment specific.
    const specificity = Math.min(1, h.matched / 5) * (h.distinctive > 0 ? 1 : 0.7);
    const kindWeight = h.kind === "phrase" ? 1 : h.kind === "symptom" ? 0.8 : 0.7;
    let weight = round(h.score * kindWeight * (0.6 + 0.4 * specificity));
    const notes: string[] = h.lang ? [h.lang] : [];
    if (h.generic && h.kind === "phrase") {
      const ctx = mode === "channel" ? contextFor(h.article, h) : undefined;
      if (ctx) notes.push("Windows message", `context ${ctx}`);
      else if (mode === "channel") weight = Math.min(weight, GENERIC_ALONE);
    }
    const detail = describe(h.phrase, notes);
    const prev = best.get(h.article);
    if (!prev || prev.weight < weight) best.set(h.article, { kind: kindOf(h.kind), detail, weight, ...(h.generic && h.kind === "phrase" ? { generic: true } : {}) });
  }
  return best;
}

/** Room for one piece of evidence in the answer's "matched …" line. */
const DETAIL_MAX = 80;

/** `"phrase" (de; Windows message; context pop3)`, the phrase shortened so the notes always fit. */
export function describe(phrase: string, notes: string[]): string {
  const tail = notes.length ? ` (${notes.join("; ")})` : "";
  const room = Math.max(12, DETAIL_MAX - tail.length - 2);
  const chars = Array.from(phrase);
  const shown = chars.length > room ? `${chars.slice(0, room - 1).join("")}…` : phrase;
  return `"${shown}"${tail}`;
}

export function queryEvidence(hits: QueryHit[], codesSeen: CodesSeen = { smtpCodes: [], smtpReplies: [] }): Map<number, Evidence> {
  const best = new Map<number, QueryHit>();
  for (const h of hits) {
    if (!codesAgree(h.text, codesSeen)) continue;
    const prev = best.get(h.article);
    if (!prev || prev.score < h.score) best.set(h.article, h);
  }
  const out = new Map<number, Evidence>();
  for (const [i, h] of best) {
    out.set(i, { kind: kindOf(h.kind), detail: describe(h.phrase, []), weight: round(h.score * 0.95), ...(h.generic && h.kind === "phrase" ? { generic: true } : {}) });
  }
  return out;
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
