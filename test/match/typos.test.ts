// Typo tolerance as a property: any knowledge phrase specific enough to answer on its own (not a generic
// Windows message, five or more significant words with letters: a status code is not a word) is still recognised in a channel with a typo in up to
// two of its words (words, not numbers or status codes).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/knowledge/load.js";
import { createMatcher } from "../../src/match/index.js";
import { sameFault } from "../../src/match/decide.js";
import { phraseForms } from "../../src/knowledge/phrases.js";
import { isSignificant, tokenize } from "../../src/match/tokens.js";

const articles = loadKnowledge();
const matcher = createMatcher(articles);
const specific = articles.flatMap((a) =>
  phraseForms(a)
    .filter((f) => !f.generic && tokenize(f.text.toLowerCase()).filter((t) => isSignificant(t.word) && /\p{L}/u.test(t.word)).length >= 5)
    .map((f) => ({ article: a, phrase: f.text })),
);

const typo = (word: string, kind: number, at: number): string => {
  // Numbers and codes are exact (13002 is not 13003, 5.5.1 is not 5.7.1): a typo there is another identifier.
  if (word.length < 5 || /\d/.test(word)) return word;
  const i = 1 + (at % (word.length - 2));
  if (kind === 0) return word.slice(0, i) + word.slice(i + 1); // dropped letter
  if (kind === 1) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // swapped neighbours
  return word.slice(0, i) + "q" + word.slice(i + 1); // wrong letter
};

describe("typos", () => {
  it("has specific phrases to test", () => {
    expect(specific.length).toBeGreaterThanOrEqual(5);
  });

  it("recognises a specific phrase with up to two typo'd words, in any case, quoted or not", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...specific),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.nat()), { minLength: 1, maxLength: 2 }),
        fc.constantFrom((s: string) => s, (s: string) => `&gt; ${s}`, (s: string) => s.toUpperCase(), (s: string) => `S: ${s}`),
        ({ article, phrase }, edits, wrap) => {
          const words = phrase.split(" ");
          for (const [w, kind, at] of edits) words[w % words.length] = typo(words[w % words.length]!, kind, at);
          const r = matcher.match(wrap(words.join(" ")), "channel");
          expect(r.decision).toBe("answer");
          expect(sameFault(r.matches[0]!.article, article) || r.matches[0]!.article.id === article.id).toBe(true);
        },
      ),
      { numRuns: 300, seed: 20261125 },
    );
  });
});
