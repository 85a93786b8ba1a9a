// `exchange-bot probe`: a named host from the probe hosts file, or any host typed in a terminal.
import { isIP } from "node:net";
import { userInfo } from "node:os";
import { loadPaths } from "../config.js";
import { formatProbeText, probeJson } from "../render/text.js";
import { findHost, loadProbeHosts, ProbeHostsError } from "../probe/hosts.js";
import { DEFAULT_TIMEOUT_MS } from "../probe/engine.js";
import type { NamedHost, ProbeTarget, TlsMode } from "../probe/types.js";
import { stderrAudit } from "../services/audit.js";
import { loadKnowledgeBase } from "../services/knowledge.js";
import { createProbeService, type ProbeOutcome } from "../services/probe.js";
import { readAdvert } from "../local/advert.js";
import { usageError } from "./usage.js";

interface ProbeArgs {
  subject: string;
  json: boolean;
  tls?: TlsMode;
  user?: string;
  passwordEnv?: string;
  timeoutMs?: number;
}

const VALUE_FLAGS = new Set(["--tls", "--user", "--password-env", "--timeout"]);

function parseArgs(args: string[]): ProbeArgs {
  let subject: string | undefined;
  const parsed: Omit<ProbeArgs, "subject"> = { json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === "--json") {
      parsed.json = true;
      continue;
    }
    if (VALUE_FLAGS.has(flag)) {
      const value = eq > 0 && arg.startsWith("--") ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === "") throw usageError(`${flag} needs a value`);
      if (flag === "--tls") {
        if (value !== "none" && value !== "starttls" && value !== "implicit") throw usageError(`--tls must be none, starttls or implicit (got '${value.slice(0, 40)}')`);
        parsed.tls = value;
      } else if (flag === "--user") {
        if (/[\u0000-\u001f\u007f]/.test(value)) throw usageError("--user must not contain control characters");
        parsed.user = value;
      } else if (flag === "--password-env") {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) throw usageError(`--password-env takes an environment variable name (the password itself never goes on the command line)`);
        parsed.passwordEnv = value;
      } else {
        const ms = Number(value);
        if (!/^\d+$/.test(value) || ms < 100 || ms > 300_000) throw usageError("--timeout takes milliseconds, from 100 to 300000");
        parsed.timeoutMs = ms;
      }
      continue;
    }
    if (arg === "--password" || arg.startsWith("--password=")) throw usageError("there is no --password: put the password in an environment variable and pass --password-env VAR");
    if (arg.startsWith("-")) throw usageError(`unknown option '${arg.slice(0, 40)}'`);
    if (subject !== undefined) throw usageError(`one host at a time (got '${subject}' and '${arg.slice(0, 40)}')`);
    subject = arg;
  }
  if (subject === undefined) throw usageError("probe needs a named host or HOST[:PORT]");
  return { subject, ...parsed };
}

/** HOST, HOST:PORT, [v6]:PORT or a bare IPv6 address. */
export function parseHostPort(text: string, tls: TlsMode): { host: string; port: number } {
  const defaultPort = tls === "implicit" ? 995 : 110;
  let host = text;
  let portText: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracket) {
    host = bracket[1] ?? "";
    portText = bracket[2];
  } else if (isIP(text) !== 6) {
    const colon = text.lastIndexOf(":");
    if (colon >= 0) {
      host = text.slice(0, colon);
      portText = text.slice(colon + 1);
    }
  }
  if (!host || /[\s/@]/.test(host)) throw usageError(`'${text.slice(0, 60)}' is not HOST[:PORT]`);
  if (portText === undefined) return { host, port: defaultPort };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw usageError(`port must be 1-65535 (got '${portText.slice(0, 20)}')`);
  return { host, port };
}

function looksLikeAddress(text: string): boolean {
  return text.includes(".") || text.includes(":") || text.startsWith("[") || text === "localhost";
}

async function namedHosts(file: string): Promise<{ hosts: NamedHost[]; file: string; missing?: string }> {
  try {
    return { hosts: await loadProbeHosts(file), file };
  } catch (err) {
    if (err instanceof ProbeHostsError && err.reason === "missing") return { hosts: [], file, missing: err.message };
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

export async function probeCommand(args: string[]): Promise<number> {
  // Same configuration as the bot: PROBE_HOSTS_FILE, password variables and KNOWLEDGE_DIR may live in .env.
  const paths = loadPaths();
  const a = parseArgs(args);
  const adHoc = a.tls !== undefined || a.user !== undefined || a.passwordEnv !== undefined;
  let hosts: NamedHost[] = [];
  let named: NamedHost | undefined;
  let env: NodeJS.ProcessEnv = process.env;
  if (!adHoc) {
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
  const knowledge = loadKnowledgeBase(paths.knowledgeDir);
  // The audit line goes to stderr: stdout is the result, and `--json` output is read by other tools.
  const service = createProbeService({ knowledge, hosts, audit: stderrAudit, env });
  const timeouts = { timeoutMs: a.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  const requester = cliRequester();
  let outcome: ProbeOutcome;
  if (named) {
    outcome = await service.probeNamedHost(named.name, requester, timeouts);
  } else {
    const tls = a.tls ?? "none";
    const { host, port } = parseHostPort(a.subject, tls);
    const target: ProbeTarget = { host, port, tls, tlsInsecure: false };
    if (a.user !== undefined) target.user = a.user;
    if (a.passwordEnv !== undefined) {
      if (a.user === undefined) throw usageError("--password-env needs --user");
      const pw = process.env[a.passwordEnv];
      if (pw === undefined || pw === "") throw usageError(`the environment variable ${a.passwordEnv} is not set`);
      target.password = pw;
      target.passwordEnv = a.passwordEnv;
    }
    outcome = await service.probeTarget(target, requester, timeouts);
  }
  // One probe per process: the limiter cannot turn it away, and every named host was checked above.
  if (outcome.status !== "done") throw new Error(outcome.status === "rejected" ? outcome.message : `no host named '${outcome.name}'`);
  const result = outcome.result;
  process.stdout.write(a.json ? `${JSON.stringify(probeJson(result), null, 2)}\n` : formatProbeText(result, knowledge.articles));
  return result.ok ? 0 : 1;
}
