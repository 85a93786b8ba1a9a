// Plain text and JSON for the terminal (`exchange-bot lookup`, `exchange-bot probe`): the same facts the
// Slack replies carry, from the same match and probe results.
import type { Article } from "../knowledge/schema.js";
import { stepsOf } from "../knowledge/steps.js";
import { causeFirstLines } from "./differential.js";
import type { Suggestion } from "../match/suggest.js";
import type { Match, MatchResult } from "../match/types.js";
import { expiryText } from "../probe/tls-info.js";
import type { ProbeResult } from "../probe/types.js";
import { tlsReportLine } from "./tls-report.js";


export function matchJson(m: Match) {
  return {
    id: m.article.id,
    title: m.article.title,
    score: Math.round(m.score * 100) / 100,
    // The KB numbers the match answers to: its own (articles need not list it) and the ones it cites.
    references: [...new Set([...(/^Q\d{6}$/.test(m.article.id) ? [m.article.id] : []), ...m.article.references])],
    events: m.article.events.map((e) => ({ id: e.id, source: e.source })),
    // The server replies the article answers, as servers send them: case sets name an article by its reply too.
    replies: [...(m.article.replies ?? [])],
    ...(m.article.product !== undefined ? { product: m.article.product } : {}),
    cause: m.article.cause,
    ...(m.article.checkFirst !== undefined ? { checkFirst: m.article.checkFirst } : {}),
    steps: stepsOf(m.article),
  };
}

/** `didYouMean` is added only when there are suggestions (a query that matched nothing, one typo off). */
export function resultJson(r: MatchResult, suggestions: readonly Suggestion[] = []) {
  return { decision: r.decision, matches: r.matches.map(matchJson), ...(suggestions.length ? { didYouMean: suggestions.map((s) => s.id) } : {}) };
}

export interface FormatOptions {
  suggestions?: readonly Suggestion[];
  byId?: (id: string) => Article | undefined;
}

export function formatResult(r: MatchResult, opts: FormatOptions = {}): string {
  const top = r.matches[0];
  if (r.decision === "none" || !top) {
    const lines = ["No matching Exchange article."];
    const s = opts.suggestions ?? [];
    if (s.length) lines.push(`Did you mean ${s.map((x) => (x.id === x.article ? x.id : `${x.id} (${x.article})`)).join(" or ")}?`);
    if (r.matches.length) {
      lines.push("", "Closest:");
      for (const m of r.matches) lines.push(`  ${m.article.id}  ${m.article.title}`);
    } else {
      lines.push("Try an event ID (11202), a KB number (Q171435) or the error text.");
    }
    return lines.join("\n") + "\n";
  }
  if (r.decision === "ambiguous") {
    // No percentage per entry: a pick list means no one answer is sure, and "98%" beside each would say otherwise.
    // (--json keeps each match's score.)
    const lines = ["Several articles fit; pick one and look it up by id:"];
    for (const m of r.matches) lines.push(`  ${m.article.id}  ${m.article.title}`);
    return lines.join("\n") + "\n";
  }
  const a = top.article;
  const ids = [a.id, ...a.events.map((e) => `event ${e.id} (${e.source})`)].join(", ");
  const first = causeFirstLines(a);
  const lines = [
    a.title,
    `${ids}; confidence ${Math.round(top.score * 100)}%`,
    "",
    ...first.before,
    "Cause:",
    `  ${a.cause}`,
    ...first.after,
    "",
    "Resolution:",
    ...stepsOf(a).flatMap((s, i) => [
      `  ${i + 1}. ${s.text}${s.path ? ` ${s.path}` : ""}`,
      ...(s.command ? s.command.split("\n").map((c) => `       ${c}`) : []),
    ]),
  ];
  const links = (a.links ?? []).map((l) => `  ${l.label}: ${l.url}`);
  if (links.length) lines.push("", "References:", ...links);
  const related = a.related.map((id) => {
    const t = opts.byId?.(id)?.title;
    return t ? `${id} (${t})` : id;
  });
  const others = r.matches.slice(1).map((m) => m.article.id).filter((id) => !a.related.includes(id));
  if (related.length || others.length) lines.push("", `See also: ${[...related, ...others].join(", ")}`);
  return lines.join("\n") + "\n";
}


/** The `probe --json` document; its field names are a contract. */
export interface ProbeJson {
  ok: boolean;
  name?: string;
  host: string;
  port: number;
  tls: ProbeResult["tls"];
  protocol: ProbeResult["protocol"];
  steps: { name: string; ok: boolean; ms: number; detail: string }[];
  transcript: string[];
  diagnosis: Pick<ProbeResult["diagnosis"], "summary" | "articles" | "findings">;
  tlsInfo?: NonNullable<ProbeResult["tlsInfo"]>;
  totalMs: number;
}

/** `exchange-bot probe --json`, read by other tools: ok, host, port, steps, transcript, diagnosis (kept stable), then extras. */
export function probeJson(r: ProbeResult): ProbeJson {
  return {
    ok: r.ok,
    ...(r.name !== undefined ? { name: r.name } : {}),
    host: r.host,
    port: r.port,
    tls: r.tls,
    protocol: r.protocol,
    steps: r.steps.map((s) => ({ name: s.name, ok: s.ok, ms: s.ms, detail: s.detail })),
    // The transcript as text lines; the timed lines themselves are for the text view.
    transcript: r.lines.map((l) => l.text),
    diagnosis: { summary: r.diagnosis.summary, articles: r.diagnosis.articles, findings: r.diagnosis.findings },
    ...(r.tlsInfo ? { tlsInfo: r.tlsInfo } : {}),
    totalMs: r.totalMs,
  };
}

export function formatProbeText(r: ProbeResult, articles: readonly Article[] = []): string {
  const out: string[] = [];
  const who = r.name !== undefined ? `${r.name} (${r.host}:${r.port}, tls ${r.tls})` : `${r.host}:${r.port} (tls ${r.tls})`;
  out.push(`${r.protocol.toUpperCase()} probe of ${who}: ${r.ok ? "no fault found" : "FAULT"} in ${r.totalMs} ms`, "", "Steps");
  const width = Math.max(8, ...r.steps.map((s) => s.name.length));
  for (const s of r.steps) out.push(`  ${s.ok ? "ok  " : "FAIL"}  ${s.name.padEnd(width)} ${String(s.ms).padStart(6)} ms  ${s.detail}`);
  if (r.tlsInfo) {
    const t = r.tlsInfo;
    out.push("", `TLS  ${t.protocol}; subject ${t.subject || "(none)"}; issuer ${t.issuer || "(none)"}; ${expiryText(t.daysToExpiry)}${t.selfSigned ? "; self-signed" : ""}${t.authorized ? "; trusted" : "; not trusted"}`);
    const report = tlsReportLine(t, r.host);
    if (report) out.push(`TLS report  ${report}`);
  }
  out.push("", "Transcript");
  if (r.lines.length === 0) out.push("  (nothing was exchanged)");
  for (const l of r.lines) out.push(`  ${`+${l.at}`.padStart(7)} ms  ${l.text}`);
  out.push("", "Diagnosis", `  ${r.diagnosis.summary}`);
  for (const id of r.diagnosis.articles) {
    const a = articles.find((x) => x.id === id);
    out.push(`  see ${id}${a ? `: ${a.title}` : ""}`);
  }
  const extra = r.diagnosis.findings.filter((f) => f !== r.diagnosis.summary);
  if (extra.length) out.push("  Findings:", ...extra.map((f) => `  - ${f}`));
  return `${out.join("\n")}\n`;
}
