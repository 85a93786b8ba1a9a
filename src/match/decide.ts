// The decision: answer, ambiguous, or none, from scored candidates.
import { sameFault } from "../knowledge/same-fault.js";
import type { Decision, Match, Mode } from "./types.js";

/** A pasted message is answered only at this confidence: silence is cheaper than a wrong reply in a channel. */
export const CHANNEL_ANSWER = 0.8;
export const COMMAND_ANSWER = 0.5;
export const COMMAND_CONSIDER = 0.3;
/** Two unrelated candidates this close are a question for the person, not for us. */
export const CLOSE = 0.08;

export { sameFault };

export function decide(ranked: Match[], mode: Mode): Decision {
  const top = ranked[0];
  if (!top) return "none";
  const rival = ranked.find((m, i) => i > 0 && !sameFault(top.article, m.article));
  const contested = rival !== undefined && rival.score >= top.score - CLOSE;
  if (mode === "channel") {
    if (top.score < CHANNEL_ANSWER) return "none";
    return contested && top.score < 0.95 ? "none" : "answer";
  }
  if (top.score >= COMMAND_ANSWER) return contested ? "ambiguous" : "answer";
  if (top.score >= COMMAND_CONSIDER) return rival && rival.score >= COMMAND_CONSIDER ? "ambiguous" : "answer";
  return "none";
}
