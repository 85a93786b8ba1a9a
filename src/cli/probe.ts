// `exchange-bot probe`: a named host from the probe hosts file, or any host typed in a terminal; text, --json,
// or --format nagios for monitoring systems. Start-up stays cheap: the knowledge base (YAML + zod) is read only
// when the probe found a fault to diagnose, and the hosts file only when it exists.
import { accessSync, constants } from "node:fs";
import { userInfo } from "node:os";
import { loadPaths } from "../config.js";
import type { Article } from "../knowledge/schema.js";
import { diagnoseOutcome } from "../probe/diagnose.js";
import { DEFAULT_TIMEOUT_MS } from "../probe/script.js";
import { findHost, loadProbeHosts, ProbeHostsError } from "../probe/hosts.js";
import { probeOutcome } from "../probe/run.js";
import type { NamedHost, ProbeTarget } from "../probe/types.js";
import { formatNagios, NAGIOS_EXIT } from "../render/nagios.js";
import type { AuditEntry } from "../services/audit.js";
import { writeCliAudit } from "./probe-audit.js";
import { createProbeService, type ProbeEngine, type ProbeOutcome } from "../services/probe.js";
import { isAdHoc, parseHostPort, parseProbeArgs, type ProbeArgs } from "./probe-args.js";
import { CliUsageError, usageError } from "./usage.js";
import { versionLine } from "./version.js";
import { probedAsHostNote, resolvesTo } from "./probe-subject.js";
import { jsonSafe, terminalSafe } from "../safe-text.js";

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

/** No host by that name: the name first, then where we looked and how to get one, not "run help". */
function noSuchHost(name: string, file: string, found: { hosts: NamedHost[]; missing?: string }, lab: NamedHost[] | undefined): Error {
  const shown = `'${name.slice(0, 64)}'`;
  const where = found.missing
    ? `no probe host named ${shown}, and it does not resolve as a host name. ${found.missing.replace(/\.$/, "")}`
    : `no probe host named ${shown} in ${file} (named hosts: ${found.hosts.map((h) => h.name).join(", ") || "none"}), and it does not resolve as a host name`;
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

/** A CA file that cannot be read is a mistake in the command or the hosts file, said before connecting. */
function readableCa(path: string, where: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw usageError(`${where}: cannot read '${path.slice(0, 200)}'`);
  }
}

/** The named host's own configuration, checked before connecting: a missing password or CA file is not a finding. */
function checkNamedHostConfig(host: NamedHost, env: NodeJS.ProcessEnv): void {
  const pw = host.passwordEnv === undefined ? undefined : env[host.passwordEnv];
  if (host.passwordEnv !== undefined && (pw === undefined || pw === "")) {
    throw usageError(`the environment variable ${host.passwordEnv} (the password of probe host '${host.name}') is not set`);
  }
  if (host.ca !== undefined) readableCa(host.ca, `ca of probe host '${host.name}'`);
}

function adHocTarget(a: ProbeArgs): ProbeTarget {
  const tls = a.tls ?? "none";
  const protocol = a.protocol ?? "pop3";
  const parsed = parseHostPort(a.subject, tls, protocol);
  const host = parsed.host;
  const port = a.port ?? parsed.port;
  const target: ProbeTarget = { host, port, tls, protocol, tlsInsecure: a.tlsInsecure };
  if (a.user !== undefined) target.user = a.user;
  if (a.mailFrom !== undefined) target.mailFrom = a.mailFrom;
  if (a.rcptTo !== undefined) target.rcptTo = a.rcptTo;
  if (a.ca !== undefined) {
    readableCa(a.ca, "--ca");
    target.ca = a.ca;
  }
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
  let note: string | undefined;
  if (!isAdHoc(a)) {
    const found = await namedHosts(paths.probeHostsFile);
    hosts = found.hosts;
    named = findHost(hosts, a.subject);
    // Not in the hosts file: a local mode running from this folder may have started it as a lab host.
    const local = named ? undefined : (await import("../local/advert.js")).readAdvert(process.cwd());
    const labHost = local ? findHost(local.hosts, a.subject) : undefined;
    if (local && labHost) {
      hosts = local.hosts;
      named = labHost;
      env = { ...process.env, ...local.passwords };
    }
    if (!named && !looksLikeAddress(a.subject)) {
      // EXCH01 typed as at a telnet prompt: a short name that resolves is probed as a host, and the output says so.
      const address = await resolvesTo(a.subject);
      if (!address) throw noSuchHost(a.subject, paths.probeHostsFile, found, local?.hosts);
      note = probedAsHostNote(a.subject, address, paths.probeHostsFile);
    }
    if (named) checkNamedHostConfig(named, env);
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
  // -t bounds the whole process: the probe gets what is left of it after start-up, less a margin to report.
  if (a.processTimeoutSeconds !== undefined) {
    const left = Math.floor(a.processTimeoutSeconds * 1000 - process.uptime() * 1000 - 150);
    timeouts.timeoutMs = Math.max(100, Math.min(timeouts.timeoutMs, left));
  }
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
    const { line, exitCode } = formatNagios(result, a.thresholds, a.verbose);
    process.stdout.write(terminalSafe(line));
    return exitCode;
  }
  // Everything printed passes the one sanitiser (src/safe-text.ts): a server's ESC[2J or bidi override is shown, not obeyed.
  // The text renderer (steps, articles) loads only here: a monitoring check never needs it.
  const { formatProbeText, probeJson } = await import("../render/text.js");
  const json = () => ({ ...probeJson(result), ...(note ? { note } : {}) });
  process.stdout.write(a.format === "json" ? `${jsonSafe(JSON.stringify(json(), null, 2))}\n` : terminalSafe(`${note ? `${note}\n\n` : ""}${formatProbeText(result, articles)}`));
  return result.ok ? 0 : 1;
}

/** In monitoring-plugin mode anything that stops the probe itself is UNKNOWN (exit 3), on stdout as one status line. */
function nagiosRequested(args: string[]): boolean {
  return args.some((x, i) => x === "--format=nagios" || (x === "--format" && args[i + 1] === "nagios"));
}

/** `-t SECONDS`, as given, for the process-wide deadline; bad values are reported by the parser. */
function processDeadline(args: string[]): number | undefined {
  const i = args.findIndex((x) => x === "-t" || x === "--timeout-seconds");
  const value = i < 0 ? undefined : Number(args[i + 1]);
  return value !== undefined && Number.isInteger(value) && value >= 1 && value <= 300 ? value : undefined;
}

/** Past -t, the Monitoring Plugins' way: one CRITICAL line and exit 2, whatever the probe is waiting for. */
function armProcessDeadline(args: string[], label: string, nagios: boolean): NodeJS.Timeout | undefined {
  const seconds = processDeadline(args);
  if (seconds === undefined) return undefined;
  const ms = Math.max(1, seconds * 1000 - process.uptime() * 1000);
  return setTimeout(() => {
    process.stdout.write(nagios ? `${label} CRITICAL - timeout after ${seconds} seconds\n` : `probe: no result within -t ${seconds} seconds\n`);
    process.exit(NAGIOS_EXIT.CRITICAL);
  }, ms).unref();
}

export async function probeCommand(args: string[]): Promise<number> {
  if (args.includes("-V") || args.includes("--version")) {
    process.stdout.write(versionLine());
    return 0;
  }
  if (!nagiosRequested(args)) {
    const deadline = armProcessDeadline(args, "PROBE", false);
    try {
      return await run(parseProbeArgs(args));
    } finally {
      clearTimeout(deadline);
    }
  }
  const i = args.findIndex((x) => x === "--protocol" || x.startsWith("--protocol="));
  const flag = i < 0 ? undefined : args[i];
  const protocol = flag === undefined ? "pop3" : flag.includes("=") ? flag.slice(flag.indexOf("=") + 1) : args[i + 1];
  const label = protocol !== undefined && /^(pop3|smtp|imap)$/.test(protocol) ? protocol.toUpperCase() : "PROBE";
  const deadline = armProcessDeadline(args, label, true);
  try {
    return await run(parseProbeArgs(args));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stdout.write(`${label} UNKNOWN - ${terminalSafe(message.replace(/[\r\n|]+/g, " ").slice(0, 300))}\n`);
    if (!(err instanceof CliUsageError) && process.env.DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ""}\n`);
    return NAGIOS_EXIT.UNKNOWN;
  } finally {
    // The result is written: the process-wide deadline must not add a second status line.
    clearTimeout(deadline);
  }
}
