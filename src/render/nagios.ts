// `exchange-bot probe --format nagios`: one status line with performance data, per the Nagios plugin guidelines,
// so one command can stand in for check_pop, check_spop, check_smtp and check_imap, and also log on and name the fault.
import { legacySaid } from "../probe/tls-report.js";
import { legacyAccepted } from "../probe/tls-versions.js";
import type { ProbeResult } from "../probe/types.js";

export type NagiosState = "OK" | "WARNING" | "CRITICAL" | "UNKNOWN";

/** Plugin exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
export const NAGIOS_EXIT: Readonly<Record<NagiosState, number>> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

export interface NagiosThresholds {
  /** -w: total response time in seconds above which the state is WARNING. */
  warnSeconds?: number;
  /** -c: total response time in seconds above which the state is CRITICAL. */
  critSeconds?: number;
  /** --cert-days WARN,CRIT: days to certificate expiry at or below which the state is WARNING / CRITICAL. */
  certDays?: { warn: number; crit: number };
}

/** Text in a status line: one line, no "|" (it starts the performance data), bounded. */
function statusText(text: string): string {
  const one = text.replace(/[\r\n]+/g, " ").replace(/\|/g, "/").replace(/\s+/g, " ").trim();
  return one.length > 300 ? `${one.slice(0, 299)}…` : one;
}

const secs = (ms: number) => (ms / 1000).toFixed(3);
const num = (n: number | undefined) => (n === undefined ? "" : String(n));

/** Performance data labels: step names, repeated ones numbered (EHLO, EHLO_2), quoted when they need it. */
function perfLabel(name: string, seen: Map<string, number>): string {
  const n = (seen.get(name) ?? 0) + 1;
  seen.set(name, n);
  const label = n > 1 ? `${name}_${n}` : name;
  return /^[A-Za-z0-9_.-]+$/.test(label) ? label : `'${label.replace(/'/g, "''")}'`;
}

/** A failure that is about us or the command line, not the server: UNKNOWN, as the guidelines ask. */
function isUnknown(r: ProbeResult): boolean {
  return r.steps.some((s) => !s.ok && s.name === "config") || /^internal error:/.test(r.diagnosis.summary);
}

/** `why`: the reasons, state-raising ones first; `lead`: the one that heads the status line even when the probe failed. */
export function nagiosState(r: ProbeResult, t: NagiosThresholds): { state: NagiosState; why: string[]; lead?: string } {
  if (isUnknown(r)) return { state: "UNKNOWN", why: [] };
  const why: string[] = [];
  let state: NagiosState = r.ok ? "OK" : "CRITICAL";
  const raise = (to: NagiosState, reason: string) => {
    why.push(reason);
    if (NAGIOS_EXIT[to] > NAGIOS_EXIT[state]) state = to;
  };
  const total = r.totalMs / 1000;
  if (t.critSeconds !== undefined && total > t.critSeconds) raise("CRITICAL", `response time ${total.toFixed(3)} s over ${t.critSeconds} s`);
  else if (t.warnSeconds !== undefined && total > t.warnSeconds) raise("WARNING", `response time ${total.toFixed(3)} s over ${t.warnSeconds} s`);
  // Accepted with --tls-insecure is still a certificate an operator would want to hear about: WARNING, not OK.
  if (r.ok && r.tlsInfo && !r.tlsInfo.authorized) {
    const why = r.tlsInfo.selfSigned ? "self-signed" : (r.tlsInfo.authorizationError ?? "not trusted");
    raise("WARNING", `certificate problem accepted by --tls-insecure: ${why}`);
  }
  // Exchange Online refuses TLS 1.0 and 1.1: a server on nothing newer is down for it; one that still offers them is said.
  const legacy = legacyAccepted(r.tlsInfo?.versions);
  let lead: string | undefined;
  if (legacy?.newer === "refused") raise("CRITICAL", (lead = `${legacySaid(legacy, "")}: Exchange Online needs TLS 1.2`));
  const days = r.tlsInfo?.daysToExpiry;
  if (t.certDays && days !== undefined) {
    const said = days < 0 ? `certificate expired ${-days} day(s) ago` : `certificate expires in ${days} day(s)`;
    if (days <= t.certDays.crit) raise("CRITICAL", said);
    else if (days <= t.certDays.warn) raise("WARNING", said);
  }
  if (legacy && legacy.newer !== "refused") why.push(legacySaid(legacy, ""));
  return lead ? { state, why, lead } : { state, why };
}

/** Nagios reads the first line as the status; the guidelines keep it short enough for a pager or a list view. */
const FIRST_LINE_MAX = 79;

/** The first sentence or clause of a text, without its closing mark. */
function firstClause(text: string): string {
  const m = /^(.{12,}?)[.;](\s|$)/.exec(text);
  return (m?.[1] ?? text).trim();
}

/**
 * The one finding that matters, for the first line: a lead reason (a server on TLS 1.0/1.1 only) whatever else
 * happened, the threshold that raised the state when the probe itself found nothing wrong, else the diagnosis's
 * first clause; the articles that name the fault kept at its end.
 */
function headline(r: ProbeResult, why: readonly string[], room: number, lead?: string): string {
  const ids = r.diagnosis.articles.length ? ` (${r.diagnosis.articles.join(", ")})` : "";
  const raised = r.ok && why.length > 0;
  const summary = ids && r.diagnosis.summary.endsWith(ids) ? r.diagnosis.summary.slice(0, -ids.length) : r.diagnosis.summary;
  const base = lead ?? (raised ? (why[0] ?? "") : firstClause(summary));
  const text = statusText(base);
  // The articles' ids when they fit beside the finding; they are in the long output anyway.
  if (!raised && ids && text.length + ids.length <= room) return text + ids;
  if (text.length <= room) return text;
  const cut = text.slice(0, room - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > room / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * The plugin's whole output: `SMTP CRITICAL - the finding|time=0.045s;W;C;0; connect=0.001s ...`, then the
 * details as long output, one a line (with `verbose`, each step's outcome too). stdout only.
 */
export function formatNagios(r: ProbeResult, t: NagiosThresholds = {}, verbose = false): { line: string; exitCode: number } {
  const { state, why, lead } = nagiosState(r, t);
  const label = r.protocol.toUpperCase();
  const prefix = `${label} ${state} - `;
  const first = headline(r, why, FIRST_LINE_MAX - prefix.length, lead);
  const seen = new Map<string, number>();
  const perf = [`time=${secs(r.totalMs)}s;${num(t.warnSeconds)};${num(t.critSeconds)};0;`];
  // Only steps that ran: a refused STLS was never sent, and "STLS=0.000s" would graph a time nobody measured.
  for (const s of r.steps) if (s.ran !== false) perf.push(`${perfLabel(s.name, seen)}=${secs(s.ms)}s`);
  // Range syntax as graphers read it: "8:" alerts below 8 days, which is "at or below 7" as --cert-days 7,1 means.
  const range = (days: number | undefined) => (days === undefined ? "" : `${days + 1}:`);
  if (r.tlsInfo) perf.push(`cert_days=${r.tlsInfo.daysToExpiry};${range(t.certDays?.warn)};${range(t.certDays?.crit)};;`);
  // "No fault found" beside the threshold that raised the state would read as a contradiction.
  const summary = r.ok && why.length ? r.diagnosis.summary.replace(/\s*No fault found\.?$/, "") : r.diagnosis.summary;
  const long = [statusText(summary), ...why.map(statusText)].filter((l) => l !== first && !first.startsWith(l));
  if (verbose) for (const s of r.steps) long.push(statusText(`${s.name}: ${s.ran === false ? "not run" : `${s.ok ? "ok" : "FAILED"} in ${secs(s.ms)}s`}${s.detail ? `: ${s.detail}` : ""}`));
  const rest = long.length ? `${long.join("\n")}\n` : "";
  return { line: `${prefix}${first}|${perf.join(" ")}\n${rest}`, exitCode: NAGIOS_EXIT[state] };
}
