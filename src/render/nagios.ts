// `exchange-bot probe --format nagios`: one status line with performance data, per the Nagios plugin guidelines,
// so one command can stand in for check_pop, check_spop, check_smtp and check_imap, and also log on and name the fault.
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

export function nagiosState(r: ProbeResult, t: NagiosThresholds): { state: NagiosState; why: string[] } {
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
  const days = r.tlsInfo?.daysToExpiry;
  if (t.certDays && days !== undefined) {
    const said = days < 0 ? `certificate expired ${-days} day(s) ago` : `certificate expires in ${days} day(s)`;
    if (days <= t.certDays.crit) raise("CRITICAL", said);
    else if (days <= t.certDays.warn) raise("WARNING", said);
  }
  return { state, why };
}

/** The plugin's whole output: `SMTP CRITICAL - text|time=0.045s;W;C;0; connect=0.001s ...`. */
export function formatNagios(r: ProbeResult, t: NagiosThresholds = {}): { line: string; exitCode: number } {
  const { state, why } = nagiosState(r, t);
  const label = r.protocol.toUpperCase();
  const text = statusText([r.diagnosis.summary, ...why].join("; "));
  const seen = new Map<string, number>();
  const perf = [`time=${secs(r.totalMs)}s;${num(t.warnSeconds)};${num(t.critSeconds)};0;`];
  for (const s of r.steps) perf.push(`${perfLabel(s.name, seen)}=${secs(s.ms)}s`);
  if (r.tlsInfo) perf.push(`cert_days=${r.tlsInfo.daysToExpiry};${num(t.certDays?.warn)};${num(t.certDays?.crit)};;`);
  return { line: `${label} ${state} - ${text}|${perf.join(" ")}\n`, exitCode: NAGIOS_EXIT[state] };
}
