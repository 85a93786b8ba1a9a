// What tells the causes of one reply apart, and the dates that change the advice: the article's own data
// (checkFirst, differential, timeline), worded once here for Slack and the terminal alike.
import type { Article } from "../knowledge/schema.js";

export interface CauseFirst {
  /** The check that tells the causes apart, shown before the cause. */
  checkFirst?: string;
  /** "Wrong password (most common): Event 1035 with LogonDenied is logged. See EX-1035-LogonDenied", most likely first. */
  causes: string[];
  /** "From 2026-12: Basic authentication ...", oldest first. */
  dates: string[];
}

export function causeFirst(a: Pick<Article, "checkFirst" | "differential" | "timeline">): CauseFirst {
  const causes = (a.differential ?? []).map((d) => `${d.cause}: ${d.check}${d.article ? ` (see ${d.article})` : ""}`);
  const dates = [...(a.timeline ?? [])].sort((x, y) => String(x.date).localeCompare(String(y.date))).map((t) => `${t.date}: ${t.fact}`);
  return { ...(a.checkFirst !== undefined ? { checkFirst: a.checkFirst } : {}), causes, dates };
}

/** Plain-text lines for the terminal, indented like the rest of `lookup`'s output; empty when the article has none. */
export function causeFirstLines(a: Pick<Article, "checkFirst" | "differential" | "timeline">): { before: string[]; after: string[] } {
  const c = causeFirst(a);
  const before = c.checkFirst !== undefined ? ["Check first:", `  ${c.checkFirst}`, ""] : [];
  const after: string[] = [];
  if (c.causes.length) after.push("", "Possible causes, most likely first:", ...c.causes.map((x, i) => `  ${i + 1}. ${x}`));
  if (c.dates.length) after.push("", "Dates that change the advice:", ...c.dates.map((x) => `  ${x}`));
  return { before, after };
}
