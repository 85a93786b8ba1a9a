// probeNamedHost: the one way a person gets a probe, from Slack or from a terminal. Permission (only hosts
// named in the probe hosts file) → limit (ProbeLimiter) → run and diagnose (the probe engine, against the
// knowledge base's signatures) → audit (one line per request, whatever the outcome).
import { bracketHost } from "../net-names.js";
import { DEFAULT_TIMEOUT_MS } from "../probe/script.js";
import { findHost, targetFromNamedHost } from "../probe/hosts.js";
import { ProbeLimiter } from "../probe/limiter.js";
import { runProbe, type ProbeOptions } from "../probe/run.js";
import type { NamedHost, ProbeResult, ProbeTarget } from "../probe/types.js";
import { stdoutAudit, type AuditEntry, type AuditSink } from "./audit.js";
import type { Knowledge } from "./knowledge.js";

/** The probe engine behind one function: connect, converse, diagnose against `opts.articles`. */
export type ProbeEngine = (target: ProbeTarget, opts: ProbeOptions) => Promise<ProbeResult>;

export type ProbeTimeouts = Omit<ProbeOptions, "articles">;

export type ProbeOutcome =
  | { status: "done"; result: ProbeResult }
  | { status: "unknown_host"; name: string }
  | { status: "not_allowed"; name: string }
  | { status: "rejected"; reason: "rate-limited" | "busy"; message: string; retryAfterMs: number };

export interface ProbeServiceOptions {
  /** Diagnosis reads the articles' probe signatures; the CLI's own engine reads them only when there is a fault. */
  knowledge: Pick<Knowledge, "articles">;
  /** Named hosts from the probe hosts file: the only hosts probeNamedHost will probe. */
  hosts: readonly NamedHost[];
  /** The POP3 probe unless told otherwise. */
  engine?: ProbeEngine;
  /** Concurrency and per-requester rate; a default ProbeLimiter when not given. */
  limiter?: ProbeLimiter;
  /** Where probe passwords are read from (passwordEnv), just before each run. */
  env?: NodeJS.ProcessEnv;
  /** Timeouts for every run (each call may override them). */
  timeouts?: ProbeTimeouts;
  /** One line per request; a JSON line on stdout by default. */
  audit?: AuditSink;
}

/** Where a Slack click came from, for hosts with an `allow` list. */
export interface ProbeRequestContext {
  channel?: string;
  /** Members of a Slack user group (usergroups.users.list); a failed look-up counts as "not a member". */
  membersOf?: (usergroup: string) => Promise<readonly string[]>;
}

/**
 * A click passes a host's `allow` when it matches any list given: its channel, its user, or a user group the
 * user is in. A host without `allow` is open to everyone, as before.
 */
export async function allowed(host: NamedHost, requester: string, where: ProbeRequestContext): Promise<boolean> {
  const a = host.allow;
  if (!a) return true;
  if (where.channel !== undefined && a.channels?.includes(where.channel)) return true;
  if (a.users?.includes(requester)) return true;
  for (const g of a.usergroups ?? []) {
    const members = await where.membersOf?.(g).catch(() => [] as readonly string[]);
    if (members?.includes(requester)) return true;
  }
  return false;
}

export interface ProbeService {
  readonly hosts: readonly NamedHost[];
  /** The overall deadline of a probe run with the service's timeouts: no probe it runs takes longer. */
  readonly deadlineMs: number;
  /** The named host a name stands for (case-insensitive), if the probe hosts file has it. */
  namedHost(name: string): NamedHost | undefined;
  /**
   * Probes the host the hosts file names `name`, for `requester` (a Slack user id, or cli:<login name>).
   * With `where` (a Slack click) the host's `allow` list is checked first; a terminal, which holds the hosts
   * file and the passwords already, passes no `where`.
   */
  probeNamedHost(name: string, requester: string, timeouts?: ProbeTimeouts, where?: ProbeRequestContext): Promise<ProbeOutcome>;
  /** Probes a host typed in a terminal: not limited to named hosts, but limited and audited the same way. */
  probeTarget(target: ProbeTarget, requester: string, timeouts?: ProbeTimeouts): Promise<ProbeOutcome>;
}

export function createProbeService(o: ProbeServiceOptions): ProbeService {
  const engine = o.engine ?? runProbe;
  const limiter = o.limiter ?? new ProbeLimiter();
  const env = o.env ?? process.env;
  const audit = o.audit ?? stdoutAudit;

  async function limitRunAudit(target: ProbeTarget, label: string, requester: string, timeouts: ProbeTimeouts | undefined): Promise<ProbeOutcome> {
    const base: Pick<AuditEntry, "audit" | "at" | "user" | "host"> = { audit: "probe", at: new Date().toISOString(), user: requester, host: label };
    let outcome;
    try {
      outcome = await limiter.run(requester, () => engine(target, { articles: o.knowledge.articles, ...o.timeouts, ...timeouts }));
    } catch (err) {
      audit({ ...base, outcome: "error", summary: err instanceof Error ? err.message.slice(0, 300) : "error" });
      throw err;
    }
    if (outcome.status === "rejected") {
      audit({ ...base, outcome: outcome.reason });
      return outcome;
    }
    const r = outcome.result;
    audit({ ...base, ...(r.connectedTo ? { connected: r.connectedTo } : {}), outcome: r.ok ? "ok" : "fault", ms: r.totalMs, articles: r.diagnosis.articles, summary: r.diagnosis.summary.slice(0, 300) });
    return outcome;
  }

  return {
    hosts: o.hosts,
    deadlineMs: o.timeouts?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    namedHost: (name) => findHost(o.hosts, name),
    async probeNamedHost(name, requester, timeouts, where) {
      const host = findHost(o.hosts, name);
      if (!host) return { status: "unknown_host", name };
      if (where && !(await allowed(host, requester, where))) {
        audit({ audit: "probe", at: new Date().toISOString(), user: requester, host: host.name, outcome: "not_allowed", ...(where.channel ? { channel: where.channel } : {}) });
        return { status: "not_allowed", name: host.name };
      }
      return limitRunAudit(targetFromNamedHost(host, env), host.name, requester, timeouts);
    },
    probeTarget(target, requester, timeouts) {
      return limitRunAudit(target, `${bracketHost(target.host)}:${target.port}`, requester, timeouts);
    },
  };
}
