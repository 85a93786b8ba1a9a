// Plain-text and JSON views of a probe result for the command line (Slack renders its own from the same result).
import type { Article } from "../knowledge/schema.js";
import type { ProbeResult } from "./types.js";

/** The `--json` interface: the fields the issue fixes, in that order, plus a few extra ones. */
export function probeJson(r: ProbeResult): Record<string, unknown> {
  return {
    ok: r.ok,
    ...(r.name !== undefined ? { name: r.name } : {}),
    host: r.host,
    port: r.port,
    tls: r.tls,
    steps: r.steps.map((s) => ({ name: s.name, ok: s.ok, ms: s.ms, detail: s.detail })),
    transcript: r.lines.map((l) => l.text),
    diagnosis: { summary: r.diagnosis.summary, articles: r.diagnosis.articles, findings: r.diagnosis.findings },
    ...(r.tlsInfo ? { tlsInfo: r.tlsInfo } : {}),
    totalMs: r.totalMs,
  };
}

export function formatProbeText(r: ProbeResult, articles: readonly Article[] = []): string {
  const out: string[] = [];
  const who = r.name !== undefined ? `${r.name} (${r.host}:${r.port}, tls ${r.tls})` : `${r.host}:${r.port} (tls ${r.tls})`;
  out.push(`POP3 probe of ${who}: ${r.ok ? "no fault found" : "FAULT"} in ${r.totalMs} ms`, "", "Steps");
  const width = Math.max(8, ...r.steps.map((s) => s.name.length));
  for (const s of r.steps) out.push(`  ${s.ok ? "ok  " : "FAIL"}  ${s.name.padEnd(width)} ${String(s.ms).padStart(6)} ms  ${s.detail}`);
  if (r.tlsInfo) {
    const t = r.tlsInfo;
    out.push("", `TLS  ${t.protocol}; subject ${t.subject || "(none)"}; issuer ${t.issuer || "(none)"}; ${t.daysToExpiry} day(s) to expiry${t.selfSigned ? "; self-signed" : ""}${t.authorized ? "; trusted" : "; not trusted"}`);
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
