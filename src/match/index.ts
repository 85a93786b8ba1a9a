// The one facade every surface calls: text in, decision and ranked matches out.
import type { Article } from "../knowledge/schema.js";
import { extract } from "./extract.js";
import { PhraseIndex, type EntryKind } from "./fuzzy.js";
import { symbolEvidence, symbolIndex } from "./symbols.js";
import { normalise } from "./normalise.js";
import { buildLookups, collectEvidence, combine } from "./score.js";
import { decide, COMMAND_CONSIDER } from "./decide.js";
import type { Match, Matcher, MatchResult, Mode } from "./types.js";

export type { Match, Matcher, MatchResult, Mode, Decision, Evidence } from "./types.js";

const CHANNEL_KINDS: ReadonlySet<EntryKind> = new Set(["phrase"]);
const COMMAND_KINDS: ReadonlySet<EntryKind> = new Set(["phrase", "keyword", "title", "symptom"]);
const MAX_MATCHES = 5;

export function createMatcher(all: readonly Article[]): Matcher {
  // A draft is being written: lint checks it, nothing answers with it until its author drops `draft: true`.
  const articles = all.filter((a) => a.draft !== true);
  const lookups = buildLookups(articles);
  const phrases = new PhraseIndex(articles);
  const byId = new Map(articles.map((a) => [a.id.toLowerCase(), a]));
  const symbols = symbolIndex(articles);

  function match(input: string, mode: Mode): MatchResult {
    const { text, lower } = normalise(input);
    if (!/[a-z0-9]/.test(lower)) return { decision: "none", matches: [] };
    const ex = extract(text, lower);
    const bareIdQuery = mode === "command" && /^\s*(?:event\s*(?:id\s*)?(?:[:#]\s*)?)?(?:\d{1,5}|(?:q|kb)\s?\d{6,7})\s*$/.test(lower);
    const direct = byId.get(lower.trim());
    const query = mode === "command" && lower.length <= 200 ? phrases.findQuery(lower) : [];
    const { evidence, against } = collectEvidence(
      lookups,
      { text, lower, ex, phrases: [...phrases.findTemplates(lower), ...phrases.findPhrases(lower, mode === "channel" ? CHANNEL_KINDS : COMMAND_KINDS)], query, bareIdQuery },
      mode,
    );
    // Ids without a KB number (E2007-1020) are typed too; KB numbers were already found by the extractor.
    if (direct && mode === "command") {
      const i = articles.indexOf(direct);
      const list = evidence.get(i) ?? [];
      if (!list.some((e) => e.kind === "kb")) list.push({ kind: "kb", detail: `Article ${direct.id}`, weight: 0.97 });
      evidence.set(i, list);
    }
    // An event's symbolic name (SmtpReceiveAuthenticationFailed) is one word no other product prints: typed alone
    // after /exchange it is asked for like an id; in a paste (a log, a management-pack alert) it names the event.
    for (const [i, ev] of symbolEvidence(symbols, lower, mode)) evidence.set(i, [...(evidence.get(i) ?? []), ev]);
    const ranked: Match[] = [];
    for (const [i, ev] of evidence) {
      ev.sort((a, b) => b.weight - a.weight);
      const why = against.get(i);
      ranked.push({ article: articles[i]!, score: combine(ev), evidence: ev, ...(why ? { against: why } : {}) });
    }
    ranked.sort((a, b) => b.score - a.score || b.evidence.length - a.evidence.length || a.article.id.localeCompare(b.article.id));
    // Words that say the text is about something else (DHCP, event 4625) leave no confident answer.
    const decision = ranked[0]?.against ? "none" : decide(ranked, mode);
    const floor = decision === "none" && mode === "channel" ? 0.5 : COMMAND_CONSIDER / 2;
    return { decision, matches: ranked.filter((m) => m.score >= floor).slice(0, MAX_MATCHES) };
  }

  return { articles, byId: (id) => byId.get(id.toLowerCase()), match };
}
