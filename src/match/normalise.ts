// Turns what Slack and people send into plain text the extractor and fuzzy matcher can trust.
// Order matters: Slack's own <...> markup is resolved before HTML entities are decoded, because
// Slack escapes a user's literal "<" as "&lt;"; a real "<" in the payload is always Slack markup.

/** Pastes beyond this are cut: Exchange errors sit at the top of a paste, and time must stay bounded. */
export const MAX_INPUT_CHARS = 100_000;

export interface Normalised {
  /** Cleaned text, original case, line breaks kept. */
  text: string;
  /** The same text lower-cased; use its own offsets, not those of `text`. */
  lower: string;
  truncated: boolean;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", nbsp: " " };

export function decodeEntities(s: string): string {
  // Twice, for double-escaped pastes (&amp;lt;), never more: a bounded amount of work.
  for (let i = 0; i < 2; i++) {
    const next = s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (m, e: string) => {
      if (e[0] === "#") {
        const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : " ";
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
    if (next === s) break;
    s = next;
  }
  return s;
}

/**
 * Resolves Slack markup: mentions and broadcasts disappear; a link keeps its label and, when the label does
 * not already show it, its address in parentheses, because the address may hold what the label does not
 * (a KB number behind "the KB article").
 */
export function stripSlackMarkup(s: string): string {
  return s.replace(/<([^<>\n]{1,2000})>/g, (_m, inner: string) => {
    const bar = inner.indexOf("|");
    const target = bar >= 0 ? inner.slice(0, bar) : inner;
    const label = bar >= 0 ? inner.slice(bar + 1) : "";
    if (/^[@!]/.test(target)) return " ";
    if (target.startsWith("#")) return label ? `#${label}` : " ";
    if (/^(https?|ftp):/i.test(target)) return label && !target.includes(label) && !label.includes(target) ? `${label} (${target})` : label || target;
    if (/^(mailto|tel):/i.test(target)) return label || target.replace(/^mailto:/i, "");
    return `<${inner}>`;
  });
}

export function normalise(input: string): Normalised {
  let s = typeof input === "string" ? input : String(input ?? "");
  const truncated = s.length > MAX_INPUT_CHARS;
  if (truncated) s = s.slice(0, MAX_INPUT_CHARS);
  s = stripSlackMarkup(s);
  // Syslog relays write a tab as "#011": Snare's tab-separated event lines arrive that way.
  if (/mswineventlog|(?:#011[^#\n]*){3}/i.test(s)) s = s.replace(/#011/g, "\t");
  s = decodeEntities(s);
  s = s
    .normalize("NFKC")
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, "")
    .replace(/[\u2018\u2019\u201a\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/\r\n?/g, "\n")
    // Control characters and lone surrogates (binary pastes) become spaces so offsets stay meaningful.
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, " ")
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]/g, " ");
  s = s
    .replace(/```(?:[a-z0-9+-]{1,20}\n)?/gi, "\n")
    .replace(/`/g, " ")
    .replace(/^[ ]*(?:>[ ]?)+/gm, "")
    .replace(/(^|[\s(])[*_~]+(?=\S)/g, "$1")
    // A closing emphasis run goes when punctuation, space or the end follows it. The run is consumed whole
    // and the next character checked by hand: a lookahead here backtracks quadratically on long runs.
    .replace(/(\S)([*_~]+)/g, (m: string, pre: string, run: string, at: number, all: string) =>
      at + m.length >= all.length || /[\s).,:;!?]/.test(all[at + 1 + run.length] ?? "") ? pre : m,
    )
    .replace(/\n{3,}/g, "\n\n")
    // Leading spaces of the first line stay: PowerShell tables are read by column.
    .replace(/^(?:[ ]*\n)+/, "")
    .trimEnd();
  return { text: s, lower: foldLower(s.toLowerCase()), truncated };
}

/**
 * Character-for-character folds of lower-case text, so offsets stay put: accents go (localized Windows
 * messages are typed with and without them), and OCR's digit/letter swaps in a photographed screenshot are
 * undone: a word of letters with a stray 0, 1 or 5 becomes letters ("c1ient"), a number with a stray l, i, o
 * or s becomes digits ("1l202"). A trailing s stays a plural ("11202s").
 */
export function foldLower(lower: string): string {
  return lower
    .replace(/[\u00e0-\u024f]/g, (c) => {
      const base = c.normalize("NFD")[0] ?? c;
      return /[a-z]/.test(base) ? base : c;
    })
    // Only words mixing letters and digits; the lookbehind keeps the scan to word starts (linear).
    .replace(/(?<![a-z0-9])(?:[a-z]+\d|\d+[a-z])[a-z0-9]*/g, (w) => {
      if (w.length > 40) return w;
      const digits = w.replace(/\D/g, "").length;
      const letters = w.length - digits;
      // Host names end in digits (exch01, dhcp01): only a digit inside a word is OCR's.
      if (letters >= 2 && letters > digits && /^[a-z015]+$/.test(w) && !/[015]$/.test(w)) return w.replace(/[015]/g, (d) => OCR_LETTER[d] ?? d);
      const body = w.endsWith("s") ? w.slice(0, -1) : w;
      const prefix = /^(?:q|kb)(?=[\dlios]{6,7}$)/.exec(body)?.[0] ?? "";
      const rest = body.slice(prefix.length);
      const restDigits = rest.replace(/\D/g, "").length;
      if (rest.length >= 3 && restDigits >= 3 && restDigits >= rest.length * 0.6 && /^[\dlios]+$/.test(rest)) {
        return prefix + rest.replace(/[lios]/g, (c) => OCR_DIGIT[c] ?? c) + w.slice(body.length);
      }
      return w;
    });
}

const OCR_LETTER: Record<string, string> = { "0": "o", "1": "l", "5": "s" };
const OCR_DIGIT: Record<string, string> = { l: "1", i: "1", o: "0", s: "5" };
