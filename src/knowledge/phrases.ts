// One shape for every phrase an article carries: plain strings are specific text with no variants.
import type { Article, Phrase } from "./schema.js";

export interface PhraseForm {
  /** The text to match: the phrase itself or one of its localized variants. */
  text: string;
  /** The phrase as written in the article (the English form), shown as evidence. */
  phrase: string;
  /** Language of a variant; undefined for the phrase as written. */
  lang?: string;
  generic: boolean;
}

export function phraseOf(p: string | Phrase): Phrase {
  return typeof p === "string" ? { text: p, generic: false, variants: {} } : p;
}

/** The phrase texts as written (no variants): what articles share when they are about one fault. */
export function phraseTexts(a: Pick<Article, "phrases">): string[] {
  return a.phrases.map((p) => phraseOf(p).text);
}

/** Every form to match: each phrase, then its variants in every language. */
export function phraseForms(a: Pick<Article, "phrases">): PhraseForm[] {
  const out: PhraseForm[] = [];
  for (const raw of a.phrases) {
    const p = phraseOf(raw);
    out.push({ text: p.text, phrase: p.text, generic: p.generic });
    for (const [lang, texts] of Object.entries(p.variants)) {
      for (const t of texts) out.push({ text: t, phrase: p.text, lang, generic: p.generic });
    }
  }
  return out;
}
