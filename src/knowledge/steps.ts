// Reading an article's steps, kept apart from the schema so that code which only renders articles (the probe's
// terminal and Nagios output among them) does not load zod at start-up.
import type { Article, ResolutionStep } from "./schema.js";

/**
 * An article's steps, with commands and paths where the article gives them. `steps` counts only while it
 * still describes `resolution` (an article copied in code with a new resolution keeps a stale `steps`).
 */
export function stepsOf(a: Article): ResolutionStep[] {
  const s = a.steps;
  if (s && s.length === a.resolution.length && s.every((x, i) => x.text === a.resolution[i])) return s;
  return a.resolution.map((text) => ({ text }));
}
