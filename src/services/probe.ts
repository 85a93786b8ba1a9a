// probeNamedHost: the one way a person gets a probe, from Slack or from a terminal. Admission first (only hosts
// named in the probe hosts file, their `allow` lists, the ProbeLimiter), then run and diagnose (the probe engine,
// against the knowledge base's signatures), and one audit line per request, whatever the outcome. Slack asks for
// admission alone first (admitNamedHost), so that nothing public is said about a probe that will not run.
import { bracketHost } from "../net-names.js";
import { DEFAULT_TIMEOUT_MS } from "../probe/script.js";
import { findHost, targetFromNamedHost } from "../probe/hosts.js";
import { ProbeLimiter } from "../probe/limiter.js";
import { runProbe, type ProbeOptions } from "../probe/run.js";
import type { NamedHost, ProbeResult, ProbeTarget } from "../probe/types.js";
import type { AuditEntry, AuditSink } from "./audit.js";
import type { Knowledge } from "./knowledge.js";

/** The probe engine behind one function: connect, converse, diagnose against `opts.articles`. */
export type ProbeEngine = (target: ProbeTarget, opts: ProbeOptions) => Promise<ProbeResult>;

export type ProbeTimeouts = Omit<ProbeOptions, "articles">;

export type ProbeOutcome =
  | { status: "done"; result: ProbeResult }
  | { status: "unknown_host"; name: string }
  | { status: "not_allowed"; name: string }
  | { status: "rejected"; reason: "rate-limited" | "busy"; message: string; retryAfterMs: number };

/** A probe decided on but not yet run: `run` it once (it audits what happened) or `cancel` it. */
export interface AdmittedProbe {
  status: "admitted";
  /** The host's name as the hosts file spells it, or HOST:PORT for a typed target. */
  label: string;
  run(timeouts?: ProbeTimeouts): Promise<Extract<ProbeOutcome, { status: "done" }>>;
  cancel(): Promise<void>;
}

/** Admission: a probe that will run, or why not (audited already). */
export type ProbeAdmission = AdmittedProbe | Exclude<ProbeOutcome, { status: "done" }>;

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
  /** One line per request; a log line (services/audit-log.ts) by default. */
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
  /**
   * probeNamedHost's first half: whether the probe may run (a known host, its `allow` list, the limiter), decided
   * before anything is said in public. Every refusal is audited here; an admitted probe is audited when it runs.
   */
  admitNamedHost(name: string, requester: string, where?: ProbeRequestContext): Promise<ProbeAdmission>;
  /** Probes a host typed in a terminal: not limited to named hosts, but limited and audited the same way. */
  probeTarget(target: ProbeTarget, requester: string, timeouts?: ProbeTimeouts): Promise<ProbeOutcome>;
}

export function createProbeService(o: ProbeServiceOptions): ProbeService {
  const engine = o.engine ?? runProbe;
  const limiter = o.limiter ?? new ProbeLimiter();
  const env = o.env ?? process.env;
  // The logger is loaded only for a service without a sink of its own (tests): the terminal probe passes one.
  const audit: AuditSink = o.audit ?? ((e) => void import("./audit-log.js").then((m) => m.stdoutAudit(e)));

  async function admitAudited(target: ProbeTarget, label: string, requester: string): Promise<ProbeAdmission> {
    const base: Pick<AuditEntry, "audit" | "at" | "user" | "host"> = { audit: "probe", at: new Date().toISOString(), user: requester, host: label };
    const admitted = await limiter.admit(requester);
    if (admitted.status === "rejected") {
      audit({ ...base, outcome: admitted.reason });
      return admitted;
    }
    return {
      status: "admitted",
      label,
      cancel: () => admitted.cancel(),
      async run(timeouts) {
        let r;
        try {
          r = await admitted.run(() => engine(target, { articles: o.knowledge.articles, ...o.timeouts, ...timeouts }));
        } catch (err) {
          audit({ ...base, outcome: "error", summary: err instanceof Error ? err.message.slice(0, 300) : "error" });
          throw err;
        }
        audit({ ...base, ...(r.connectedTo ? { connected: r.connectedTo } : {}), outcome: r.ok ? "ok" : "fault", ms: r.totalMs, articles: r.diagnosis.articles, summary: r.diagnosis.summary.slice(0, 300) });
        return { status: "done", result: r };
      },
    };
  }

  async function admitNamedHost(name: string, requester: string, where?: ProbeRequestContext): Promise<ProbeAdmission> {
    const host = findHost(o.hosts, name);
    if (!host) return { status: "unknown_host", name };
    if (where && !(await allowed(host, requester, where))) {
      audit({ audit: "probe", at: new Date().toISOString(), user: requester, host: host.name, outcome: "not_allowed", ...(where.channel ? { channel: where.channel } : {}) });
      return { status: "not_allowed", name: host.name };
    }
    return admitAudited(targetFromNamedHost(host, env), host.name, requester);
  }

  const admitThenRun = async (admission: Promise<ProbeAdmission>, timeouts: ProbeTimeouts | undefined): Promise<ProbeOutcome> => {
    const a = await admission;
    return a.status === "admitted" ? a.run(timeouts) : a;
  };

  return {
    hosts: o.hosts,
    deadlineMs: o.timeouts?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    namedHost: (name) => findHost(o.hosts, name),
    admitNamedHost,
    probeNamedHost: (name, requester, timeouts, where) => admitThenRun(admitNamedHost(name, requester, where), timeouts),
    probeTarget: (target, requester, timeouts) => admitThenRun(admitAudited(target, `${bracketHost(target.host)}:${target.port}`, requester), timeouts),
  };
}
