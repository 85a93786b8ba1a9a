// `kb lint` checks for the matching fields: generic phrases, their localized variants, and `context` terms.
// The matcher trusts these declarations, so a mistake here is a wrong answer (or a silent bot) in a channel.
import type { Article } from "./schema.js";
import type { KnowledgeProblem } from "./errors.js";
import { phraseOf } from "./phrases.js";
import { compileContext } from "../match/context.js";
import { foldLower } from "../match/normalise.js";

/** Words that appear around every error in every product: as context they would prove nothing. */
const TOO_COMMON = new Set("error errors failed failure fails warning server client user users windows the service account logon login password message event".split(" "));

// The four seed articles were written from the KB texts in shared/seeds before `sources:` existed; every other
// article names the public pages its facts come from.
const SEEDS = new Set(["Q171435", "Q189732", "Q247764", "E2007-1020"]);

const key = (t: string) => foldLower(t.toLowerCase().replace(/[.\s]+$/, ""));

export function lintMatching(articles: readonly Article[]): KnowledgeProblem[] {
  const problems: KnowledgeProblem[] = [];
  const genericIn = new Map<string, string>();
  const plainIn = new Map<string, string>();
  for (const a of articles) {
    for (const raw of a.phrases) {
      const p = phraseOf(raw);
      (p.generic ? genericIn : plainIn).set(key(p.text), a.id);
    }
  }
  for (const a of articles) {
    const problem = (field: string, message: string) => problems.push({ file: a.file, field, message });
    const generic: string[] = [];
    a.phrases.forEach((raw, i) => {
      const p = phraseOf(raw);
      const k = key(p.text);
      if (!p.generic && genericIn.has(k)) problem(`phrases.${i}`, `"${p.text}" is marked generic: true in ${genericIn.get(k)}; mark it generic here too`);
      if (p.generic && plainIn.has(k)) problem(`phrases.${i}`, `"${p.text}" is not marked generic in ${plainIn.get(k)}; mark it the same in both`);
      if (p.generic) generic.push(p.text);
      const seen = new Set([k]);
      for (const [lang, texts] of Object.entries(p.variants)) {
        texts.forEach((t, j) => {
          if (seen.has(key(t))) problem(`phrases.${i}.variants.${lang}.${j}`, `"${t}" repeats the phrase or another variant`);
          seen.add(key(t));
          if (p.generic) generic.push(t);
        });
      }
    });
    if (a.sources === undefined && !SEEDS.has(a.id)) {
      problem("sources", "list the public pages this article was written from (sources: - url: https://..., title: ...)");
    }
    if (generic.length > 0 && a.context.length === 0 && a.events.length === 0) {
      problem("context", "generic phrases count in a channel only beside the article's context: list its context terms (event source, protocol words)");
    }
    const terms = new Set<string>();
    compileContext(a.context).forEach((t, i) => {
      const lower = t.term.toLowerCase();
      if (terms.has(lower)) problem(`context.${i}`, `"${t.term}" is listed twice`);
      terms.add(lower);
      if (!t.caseSensitive && TOO_COMMON.has(lower)) problem(`context.${i}`, `"${t.term}" appears around errors of every product, so it proves nothing`);
      for (const g of generic) {
        const text = t.caseSensitive ? g : foldLower(g.toLowerCase());
        if (text.search(t.re) >= 0) problem(`context.${i}`, `"${t.term}" occurs in the generic phrase "${g}" itself, so that phrase would be its own context`);
      }
    });
  }
  return problems;
}
