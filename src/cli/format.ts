// Plain-text answers for the terminal: the same facts the Slack reply carries.
import type { MatchResult, Match } from "../match/types.js";

export function matchJson(m: Match) {
  return {
    id: m.article.id,
    title: m.article.title,
    score: Math.round(m.score * 100) / 100,
    references: m.article.references,
    events: m.article.events.map((e) => ({ id: e.id, source: e.source })),
  };
}

export function resultJson(r: MatchResult) {
  return { decision: r.decision, matches: r.matches.map(matchJson) };
}

export function formatResult(r: MatchResult): string {
  const top = r.matches[0];
  if (r.decision === "none" || !top) {
    const lines = ["No matching Exchange article."];
    if (r.matches.length) {
      lines.push("", "Closest:");
      for (const m of r.matches) lines.push(`  ${m.article.id}  ${m.article.title}`);
    } else {
      lines.push("Try an event ID (11202), a KB number (Q171435) or the error text.");
    }
    return lines.join("\n") + "\n";
  }
  if (r.decision === "ambiguous") {
    const lines = ["Several articles fit; pick one and look it up by id:"];
    for (const m of r.matches) lines.push(`  ${m.article.id}  ${m.article.title}  (${Math.round(m.score * 100)}%)`);
    return lines.join("\n") + "\n";
  }
  const a = top.article;
  const ids = [a.id, ...a.events.map((e) => `event ${e.id} (${e.source})`)].join(", ");
  const lines = [
    a.title,
    `${ids}; confidence ${Math.round(top.score * 100)}%`,
    "",
    "Cause:",
    `  ${a.cause}`,
    "",
    "Resolution:",
    ...a.resolution.map((s, i) => `  ${i + 1}. ${s}`),
  ];
  const others = r.matches.slice(1).map((m) => m.article.id);
  if (others.length) lines.push("", `See also: ${others.join(", ")}`);
  return lines.join("\n") + "\n";
}
