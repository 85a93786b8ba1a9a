import type { Article } from "../knowledge/schema.js";

export type Mode = "command" | "channel";
export type Decision = "answer" | "ambiguous" | "none";

/** Why an article was picked: shown to people and used by renderers for the confidence line. */
export interface Evidence {
  kind: "event" | "kb" | "source" | "phrase" | "code" | "keyword" | "title";
  /** What was found, e.g. "Event ID 11202" or the phrase matched. Never raw user text beyond the matched span. */
  detail: string;
  /** 0..1, higher is stronger. */
  weight: number;
}

export interface Match {
  article: Article;
  /** 0..1, higher is better. */
  score: number;
  evidence: Evidence[];
}

export interface MatchResult {
  decision: Decision;
  /** Best first. For `none` in command mode these are the closest suggestions. */
  matches: Match[];
}

export interface Matcher {
  readonly articles: readonly Article[];
  byId(id: string): Article | undefined;
  match(text: string, mode: Mode): MatchResult;
}
