// Feedback in ranking, and its limits. People's votes can change which of several articles the bot shows
// for a kind of paste; they never change whether it answers. The decision (answer / ambiguous / none) is
// the matcher's alone and is passed through untouched, so no amount of "Yes" makes the bot answer chatter.
import { CHANNEL_ANSWER, CLOSE, COMMAND_ANSWER, sameFault } from "../match/decide.js";
import type { Matcher, MatchResult, Mode } from "../match/types.js";
import type { VoteCount } from "./tally.js";

/**
 * What a result was matched on, as a key for "this kind of paste": the mode and the strongest evidence of
 * the matcher's own first choice ("channel|event|Event ID 11202"). Evidence details are article text or
 * identifiers, never the person's words.
 */
export function matchedOn(result: MatchResult, mode: Mode): string | undefined {
  const e = result.matches[0]?.evidence[0];
  return e ? `${mode}|${e.kind}|${e.detail.toLowerCase().slice(0, 120)}` : undefined;
}

const net = (c: VoteCount | undefined): number => (c ? c.helpful - c.unhelpful : 0);

/**
 * When the first choice has more "No" than "Yes" for this kind of paste and another candidate that could
 * equally be the answer (the same fault, or within CLOSE of the first and above the mode's answer bar) has
 * more "Yes" than "No", that candidate goes first. Nothing else moves; the decision never changes.
 */
export function rerank(result: MatchResult, mode: Mode, votes: ReadonlyMap<string, VoteCount>): MatchResult {
  const [top, ...rest] = result.matches;
  if (result.decision !== "answer" || !top || net(votes.get(top.article.id)) >= 0) return result;
  const bar = mode === "channel" ? CHANNEL_ANSWER : COMMAND_ANSWER;
  let best: (typeof rest)[number] | undefined;
  for (const m of rest) {
    const eligible = m.score >= bar && (sameFault(top.article, m.article) || m.score >= top.score - CLOSE);
    if (eligible && net(votes.get(m.article.id)) > 0 && (!best || net(votes.get(m.article.id)) > net(votes.get(best.article.id)))) best = m;
  }
  if (!best) return result;
  return { decision: result.decision, matches: [best, top, ...rest.filter((m) => m !== best)] };
}

/**
 * The matcher's result with feedback applied, and the key it was ranked under (recorded with the answer
 * so votes on it count for this kind of paste). If the votes cannot be read, the matcher's order stands.
 */
export async function matchWithFeedback(
  matcher: Matcher,
  votes: { votesByArticle(matchedOn: string): Promise<ReadonlyMap<string, VoteCount>> },
  text: string,
  mode: Mode,
): Promise<{ result: MatchResult; matchedOn?: string }> {
  const result = matcher.match(text, mode);
  const key = matchedOn(result, mode);
  if (key === undefined) return { result };
  if (result.decision !== "answer") return { result, matchedOn: key };
  try {
    return { result: rerank(result, mode, await votes.votesByArticle(key)), matchedOn: key };
  } catch {
    return { result, matchedOn: key };
  }
}
