// Message templates: a phrase written as Microsoft's event pages give it, with %1, %2 placeholders
// ("Inbound authentication failed with error %1 for Receive connector %2."), matches the text Event Viewer
// shows once the placeholders are filled, as long as each filled-in value is a bounded span on one line.
// An exact template hit is evidence like a literal phrase found whole; the fuzzy index still sees the
// template's literal words, so a paste with a typo or half the message is found the usual way.
// The phrase index (fuzzy.ts) keeps each template beside its other entries and asks findFilled for hits.
import { foldLower } from "./normalise.js";

const PLACEHOLDER = /%\d{1,2}/g;
/** How long one filled-in value may be: a connector name, an error symbol, an address, a path. */
const VALUE_MAX = 200;
/** Literal text a template must keep, in significant words: "%1 for %2" alone says nothing. */
const MIN_WORDS = 3;
/** Places the first literal run is tried from: a paste repeating it endlessly costs no more than this. */
const MAX_STARTS = 20;
/** Longest literal run looked for after a value: Microsoft's message sentences are shorter. */
const RUN_MAX = 600;

/** Which of a phrase's words have letters: digits alone ("535") are codes, not the message. */
export function letteredIndexes(words: readonly string[]): number[] {
  return words.flatMap((w, i) => (/\p{L}/u.test(w) ? [i] : []));
}

/** A template's literal runs, or undefined when the text is no template or keeps too few words to say anything. */
export function templateRuns(text: string, words: readonly string[]): RegExp[] | undefined {
  if (!/%\d/.test(text) || letteredIndexes(words).length < MIN_WORDS) return undefined;
  return compile(text);
}

/** The literal text of a template with its placeholders blanked: what the fuzzy index is given. */
export function templateWords(text: string): string {
  return text.replace(PLACEHOLDER, " ");
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The literal runs between placeholders, each matching with any spacing. */
function compile(text: string): RegExp[] {
  const parts = foldLower(text.toLowerCase()).trim().replace(/[.\s]+$/, "").split(PLACEHOLDER);
  // A value at either end is whatever stands there: only the literal runs between values are looked for.
  return parts.map((p) => p.trim()).filter(Boolean).map((p) => new RegExp(p.split(/\s+/).map(escape).join("\\s+"), "g"));
}

/** Where a run first matches within `span` characters after `from` (a bounded window), or undefined; a value never crosses a line break. */
function nextRun(run: RegExp, lower: string, from: number, span: number): { start: number; end: number } | undefined {
  const window = lower.slice(from, from + span + RUN_MAX);
  run.lastIndex = 0;
  const m = run.exec(window);
  if (!m || m.index > span || window.slice(0, m.index).includes("\n")) return undefined;
  return { start: from + m.index, end: from + m.index + m[0].length };
}

/** Each literal run in order, the first after at most VALUE_MAX characters of value: no backtracking, linear in the text. */
export function findFilled(runs: readonly RegExp[], lower: string): { start: number; end: number } | undefined {
  const first = runs[0];
  if (!first) return undefined;
  first.lastIndex = 0;
  for (let tries = 0; tries < MAX_STARTS; tries++) {
    const m = first.exec(lower);
    if (!m) return undefined;
    let end = m.index + m[0].length;
    let ok = true;
    for (const run of runs.slice(1)) {
      const r = nextRun(run, lower, end, VALUE_MAX);
      // A placeholder holds a value: literal runs with only spacing between them are not the filled-in message.
      if (!r || lower.slice(end, r.start).trim() === "") {
        ok = false;
        break;
      }
      end = r.end;
    }
    if (ok) return { start: m.index, end };
    first.lastIndex = m.index + 1;
  }
  return undefined;
}
