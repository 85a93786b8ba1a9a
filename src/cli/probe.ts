// `exchange-bot probe`: a named host from the probe hosts file, or any host typed in a terminal; text, --json,
// or --format nagios for monitoring systems. Start-up stays cheap: the knowledge base (YAML + zod) is read only
// when the probe found a fault to diagnose, and the hosts file only when it exists.
import { userInfo } from "node:os";
import { loadPaths } from "../config.js";
import type { Article } from "../knowledge/schema.js";
import { diagnoseOutcome } from "../probe/diagnose.js";
import { DEFAULT_TIMEOUT_MS } from "../probe/script.js";
import { findHost, loadProbeHosts, ProbeHostsError } from "../probe/hosts.js";
import { probeOutcome } from "../probe/run.js";
import type { NamedHost, ProbeTarget } from "../probe/types.js";
import { formatNagios, NAGIOS_EXIT } from "../render/nagios.js";
import { formatProbeText, probeJson } from "../render/text.js";
import type { AuditEntry } from "../services/audit.js";
import { writeCliAudit } from "./probe-audit.js";
import { createProbeService, type ProbeEngine, type ProbeOutcome } from "../services/probe.js";
import { isAdHoc, parseHostPort, parseProbeArgs, type ProbeArgs } from "./probe-args.js";
import { CliUsageError, usageError } from "./usage.js";
import { readAdvert } from "../local/advert.js";

function looksLikeAddress(text: string): boolean {
  return text.includes(".") || text.includes(":") || text.startsWith("[") || text === "localhost";
}

async function namedHosts(file: string): Promise<{ hosts: NamedHost[]; missing?: string }> {
  try {
    return { hosts: await loadProbeHosts(file) };
  } catch (err) {
    if (err instanceof ProbeHostsError && err.reason === "missing") return { hosts: [], missing: err.message };
    // A broken hosts file is a configuration mistake, not a probe finding: exit 2 like other bad input.
    if (err instanceof ProbeHostsError) throw usageError(err.message);
    throw err;
  }
}

/** No host by that name: say where we looked and how to get one, not "run help". */
function noSuchHost(name: string, file: string, found: { hosts: NamedHost[]; missing?: string }, lab: NamedHost[] | undefined): Error {
  const where = found.missing ?? `no host named '${name.slice(0, 64)}' in ${file} (named hosts: ${found.hosts.map((h) => h.name).join(", ") || "none"})`;
  const labLine = lab?.length
    ? ` The local mode running in this folder has: ${lab.map((h) => h.name).join(", ")}.`
    : " The lab hosts local mode starts can be probed from this folder while it runs here (`npm start` with no Slack tokens and no probe hosts file).";
  return usageError(`${where}.${labLine} To probe any server, give HOST[:PORT].`, { selfExplained: true });
}

/** Who asked, for the audit line: the login name of the person at the terminal. */
function cliRequester(): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): fall back to what the shell says.
    name = process.env.USER ?? process.env.LOGNAME;
  }
  return `cli:${name || "unknown"}`;
}

function adHocTarget(a: ProbeArgs): ProbeTarget {
  const tls = a.tls ?? "none";
  const protocol = a.protocol ?? "pop3";
  const { host, port } = parseHostPort(a.subject, tls, protocol);
  const target: ProbeTarget = { host, port, tls, protocol, tlsInsecure: a.tlsInsecure };
  if (a.user !== undefined) target.user = a.user;
  if (a.mailFrom !== undefined) target.mailFrom = a.mailFrom;
  if (a.rcptTo !== undefined) target.rcptTo = a.rcptTo;
  if (a.ca !== undefined) target.ca = a.ca;
  if ((a.mailFrom !== undefined || a.rcptTo !== undefined) && protocol !== "smtp") throw usageError("--mail-from and --rcpt-to are for --protocol smtp");
  if (a.passwordEnv !== undefined) {
    if (a.user === undefined) throw usageError("--password-env needs --user");
    const pw = process.env[a.passwordEnv];
    if (pw === undefined || pw === "") throw usageError(`the environment variable ${a.passwordEnv} is not set`);
    target.password = pw;
    target.passwordEnv = a.passwordEnv;
  }
  return target;
}

async function run(a: ProbeArgs): Promise<number> {
  // Same configuration as the bot: PROBE_HOSTS_FILE, password variables and KNOWLEDGE_DIR may live in .env.
  const paths = loadPaths();
  let hosts: NamedHost[] = [];
  let named: NamedHost | undefined;
  let env: NodeJS.ProcessEnv = process.env;
  if (!isAdHoc(a)) {
    const found = await namedHosts(paths.probeHostsFile);
    hosts = found.hosts;
    named = findHost(hosts, a.subject);
    // Not in the hosts file: a local mode running from this folder may have started it as a lab host.
    const local = named ? undefined : readAdvert(process.cwd());
    const labHost = local ? findHost(local.hosts, a.subject) : undefined;
    if (local && labHost) {
      hosts = local.hosts;
      named = labHost;
      env = { ...process.env, ...local.passwords };
    }
    if (!named && !looksLikeAddress(a.subject)) throw noSuchHost(a.subject, paths.probeHostsFile, found, local?.hosts);
  }
  let articles: readonly Article[] = [];
  // Diagnosis reads the knowledge base only when there is a fault to name: a healthy probe starts and ends fast.
  const engine: ProbeEngine = async (target, opts) => {
    const outcome = await probeOutcome(target, opts);
    if (!outcome.ok) articles = (await import("../knowledge/load.js")).loadKnowledge(paths.knowledgeDir);
    return diagnoseOutcome(outcome, articles);
  };
  // The audit record goes where the bot's go (probe-audit.ts): stdout is the result, stderr is for errors.
  const audits: AuditEntry[] = [];
  const service = createProbeService({ knowledge: { articles: [] }, hosts, engine, audit: (e) => audits.push(e), env });
  const timeouts = { timeoutMs: a.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  const requester = cliRequester();
  let outcome: ProbeOutcome;
  try {
    outcome = named ? await service.probeNamedHost(named.name, requester, timeouts) : await service.probeTarget(adHocTarget(a), requester, timeouts);
  } finally {
    await writeCliAudit(audits, paths.dataDir, process.env);
  }
  // One probe per process: the limiter cannot turn it away, and every named host was checked above.
  if (outcome.status !== "done") throw new Error(outcome.status === "rejected" ? outcome.message : `no host named '${outcome.name}'`);
  const result = outcome.result;
  if (a.format === "nagios") {
    const { line, exitCode } = formatNagios(result, a.thresholds);
    process.stdout.write(line);
    return exitCode;
  }
  process.stdout.write(a.format === "json" ? `${JSON.stringify(probeJson(result), null, 2)}\n` : formatProbeText(result, articles));
  return result.ok ? 0 : 1;
}

/** In monitoring-plugin mode anything that stops the probe itself is UNKNOWN (exit 3), on stdout as one status line. */
function nagiosRequested(args: string[]): boolean {
  return args.some((x, i) => x === "--format=nagios" || (x === "--format" && args[i + 1] === "nagios"));
}

export async function probeCommand(args: string[]): Promise<number> {
  if (!nagiosRequested(args)) return run(parseProbeArgs(args));
  const i = args.findIndex((x) => x === "--protocol" || x.startsWith("--protocol="));
  const flag = i < 0 ? undefined : args[i];
  const protocol = flag === undefined ? "pop3" : flag.includes("=") ? flag.slice(flag.indexOf("=") + 1) : args[i + 1];
  const label = protocol !== undefined && /^(pop3|smtp|imap)$/.test(protocol) ? protocol.toUpperCase() : "PROBE";
  try {
    return await run(parseProbeArgs(args));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stdout.write(`${label} UNKNOWN - ${message.replace(/[\r\n|]+/g, " ").slice(0, 300)}\n`);
    if (!(err instanceof CliUsageError) && process.env.DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ""}\n`);
    return NAGIOS_EXIT.UNKNOWN;
  }
}
