// The one facade every surface calls: text in, decision and ranked matches out.
import type { Article } from "../knowledge/schema.js";
import { extract } from "./extract.js";
import { articleProtocols, protocolsNamed } from "./fit.js";
import { sameFault } from "../knowledge/same-fault.js";
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
/** A query that names a protocol an article never mentions ("IMAP login fails" and a POP3 article) fits it less. */
const OTHER_PROTOCOL = 0.5;

const round3 = (n: number) => Math.round(n * 1000) / 1000;

export function createMatcher(all: readonly Article[]): Matcher {
  // A draft is being written: lint checks it, nothing answers with it until its author drops `draft: true`.
  const articles = all.filter((a) => a.draft !== true);
  const lookups = buildLookups(articles);
  const phrases = new PhraseIndex(articles);
  const byId = new Map(articles.map((a) => [a.id.toLowerCase(), a]));
  const symbols = symbolIndex(articles);
  const protocols = articles.map(articleProtocols);

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
    const named = mode === "command" ? protocolsNamed(lower) : [];
    const offProtocol = new Set<Article>();
    for (const [i, ev] of evidence) {
      ev.sort((a, b) => b.weight - a.weight);
      const why = against.get(i);
      const otherProtocol = named.length > 0 && !named.some((p) => protocols[i]!.has(p));
      if (otherProtocol) offProtocol.add(articles[i]!);
      ranked.push({ article: articles[i]!, score: round3(combine(ev) * (otherProtocol ? OTHER_PROTOCOL : 1)), evidence: ev, ...(why ? { against: why } : {}) });
    }
    ranked.sort((a, b) => b.score - a.score || b.evidence.length - a.evidence.length || a.article.id.localeCompare(b.article.id));
    // Words that say the text is about something else (DHCP, event 4625) leave no confident answer.
    const decision = ranked[0]?.against ? "none" : decide(ranked, mode);
    const floor = decision === "none" && mode === "channel" ? 0.5 : COMMAND_CONSIDER / 2;
    let matches = ranked.filter((m) => m.score >= floor);
    // A choice is between faults: an article about the same fault as one listed above it is not another option.
    // And when some are about the protocol the query names, the others are not offered beside them.
    if (decision === "ambiguous") {
      if (matches.some((m) => !offProtocol.has(m.article))) matches = matches.filter((m) => !offProtocol.has(m.article));
      matches = matches.filter((m, i) => !matches.slice(0, i).some((k) => sameFault(k.article, m.article)));
    }
    return { decision, matches: matches.slice(0, MAX_MATCHES) };
  }

  return { articles, byId: (id) => byId.get(id.toLowerCase()), match };
}
