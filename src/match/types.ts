import type { Article } from "../knowledge/schema.js";

export type Mode = "command" | "channel";
export type Decision = "answer" | "ambiguous" | "none";

/** Why an article was picked: shown to people and used by renderers for the confidence line. */
export interface Evidence {
  kind: "event" | "kb" | "source" | "phrase" | "code" | "keyword" | "title" | "context";
  /** What was found, e.g. "Event ID 11202" or the phrase matched. Never raw user text beyond the matched span. */
  detail: string;
  /** 0..1, higher is stronger. */
  weight: number;
  /** A Windows-wide message or code: it never outweighs words that say the text is about something else. */
  generic?: boolean;
}

export interface Match {
  article: Article;
  /** 0..1, higher is better. */
  score: number;
  evidence: Evidence[];
  /** What in the text says this is another source's event or another product's message, when nothing specific outweighs it. */
  against?: string;
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
