// Message templates: a phrase written as Microsoft's event pages give it, with %1, %2 placeholders
// ("Inbound authentication failed with error %1 for Receive connector %2."), matches the text Event Viewer
// shows once the placeholders are filled, as long as each filled-in value is a bounded span on one line.
// An exact template hit is evidence like a literal phrase found whole; the fuzzy index still sees the
// template's literal words, so a paste with a typo or half the message is found the usual way.
import { phraseForms } from "../knowledge/phrases.js";
import { sameFault } from "../knowledge/same-fault.js";
import type { Article } from "../knowledge/schema.js";
import type { PhraseHit } from "./fuzzy.js";
import { foldLower } from "./normalise.js";
import { isSignificant, tokenize } from "./tokens.js";

const PLACEHOLDER = /%\d{1,2}/g;
/** How long one filled-in value may be: a connector name, an error symbol, an address, a path. */
const VALUE_MAX = 200;
/** Literal text a template must keep, in significant words: "%1 for %2" alone says nothing. */
const MIN_WORDS = 3;
/** Places the first literal run is tried from: a paste repeating it endlessly costs no more than this. */
const MAX_STARTS = 20;
/** Longest literal run looked for after a value: Microsoft's message sentences are shorter. */
const RUN_MAX = 600;

export function isTemplate(text: string): boolean {
  return /%\d/.test(text);
}

/** The literal text of a template with its placeholders blanked: what the fuzzy index is given. */
export function templateWords(text: string): string {
  return text.replace(PLACEHOLDER, " ");
}

interface CompiledTemplate {
  article: number;
  text: string;
  phrase: string;
  lang?: string;
  generic: boolean;
  runs: RegExp[];
  words: number;
  distinctive: number;
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
function findFilled(runs: readonly RegExp[], lower: string): { start: number; end: number } | undefined {
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

export class TemplateIndex {
  private readonly templates: CompiledTemplate[] = [];

  constructor(articles: readonly Article[]) {
    const users = new Map<string, Set<number>>();
    const perForm: Array<{ article: number; words: string[]; form: ReturnType<typeof phraseForms>[number] }> = [];
    articles.forEach((a, i) => {
      for (const f of phraseForms(a)) {
        const words = [...new Set(tokenize(foldLower(templateWords(f.text).toLowerCase())).map((t) => t.word).filter(isSignificant))];
        for (const w of words) {
          let set = users.get(w);
          if (!set) users.set(w, (set = new Set()));
          set.add(i);
        }
        if (isTemplate(f.text)) perForm.push({ article: i, words, form: f });
      }
    });
    for (const { article, words, form } of perForm) {
      const lettered = words.filter((w) => /\p{L}/u.test(w));
      if (lettered.length < MIN_WORDS) continue;
      // A word counts as this fault's own when no article about another fault uses it in a phrase.
      const distinctive = lettered.filter((w) => [...(users.get(w) ?? [])].every((o) => o === article || sameFault(articles[article]!, articles[o]!))).length;
      this.templates.push({ article, text: form.text, phrase: form.phrase, ...(form.lang ? { lang: form.lang } : {}), generic: form.generic, runs: compile(form.text), words: lettered.length, distinctive });
    }
  }

  get size(): number {
    return this.templates.length;
  }

  /** Each template found filled in, whole, in the (normalised, lower-case) text. */
  find(lower: string): PhraseHit[] {
    const out: PhraseHit[] = [];
    for (const t of this.templates) {
      const m = findFilled(t.runs, lower);
      if (!m) continue;
      out.push({
        article: t.article,
        kind: "phrase",
        text: t.text,
        phrase: t.phrase,
        ...(t.lang ? { lang: t.lang } : {}),
        generic: t.generic,
        start: m.start,
        end: m.end,
        score: 1,
        coverage: 1,
        matched: t.words,
        distinctive: t.distinctive,
      });
    }
    return out;
  }
}
