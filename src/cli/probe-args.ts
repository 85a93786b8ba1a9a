// The probe command line: flags, HOST[:PORT], and the monitoring-plugin options. Bad usage is a CliUsageError.
import { isIP } from "node:net";
import { defaultPort } from "../probe/ports.js";
import type { Protocol, TlsMode } from "../probe/types.js";
import type { NagiosThresholds } from "../render/nagios.js";
import { usageError } from "./usage.js";
import { hasControlChars, MAIL_ADDRESS } from "../net-names.js";

export type ProbeFormat = "text" | "json" | "nagios";

export interface ProbeArgs {
  subject: string;
  format: ProbeFormat;
  tls?: TlsMode;
  protocol?: Protocol;
  user?: string;
  passwordEnv?: string;
  mailFrom?: string;
  rcptTo?: string;
  ca?: string;
  tlsInsecure: boolean;
  timeoutMs?: number;
  /** `-t SECONDS`: the deadline of the whole process, start-up included, as the Monitoring Plugins mean it. */
  processTimeoutSeconds?: number;
  /** `-H HOST` / `-p PORT` of the Monitoring Plugins: the host and port given as options instead of HOST[:PORT]. */
  port?: number;
  verbose: boolean;
  thresholds: NagiosThresholds;
}

const VALUE_FLAGS = new Set(["-H", "--hostname", "-p", "--port", "-t", "--timeout-seconds", "--tls", "--user", "--password-env", "--timeout", "--protocol", "--mail-from", "--rcpt-to", "--ca", "--format", "-w", "--warning", "-c", "--critical", "--cert-days"]);

function seconds(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > 300) throw usageError(`${flag} takes seconds, such as 2 or 0.5 (got '${value.slice(0, 20)}')`);
  return n;
}

function certDays(value: string): { warn: number; crit: number } {
  const m = /^(\d{1,4}),(\d{1,4})$/.exec(value);
  if (!m) throw usageError(`--cert-days takes WARN,CRIT in days, such as 30,7 (got '${value.slice(0, 20)}')`);
  const warn = Number(m[1]);
  const crit = Number(m[2]);
  if (crit > warn) throw usageError(`--cert-days: the critical number of days (${crit}) must not exceed the warning one (${warn})`);
  return { warn, crit };
}

/** The value itself, or bad usage saying `problem` when it holds a control character. */
function withoutControls(value: string, problem: string): string {
  if (hasControlChars(value)) throw usageError(problem);
  return value;
}

type Parsed = Omit<ProbeArgs, "subject"> & { subject?: string };

function setValue(p: Parsed, flag: string, value: string): void {
  switch (flag) {
    case "-H":
    case "--hostname":
      if (p.subject !== undefined) throw usageError(`one host at a time (got '${p.subject.slice(0, 40)}' and '${value.slice(0, 40)}')`);
      p.subject = withoutControls(value, "-H takes a host name or address");
      return;
    case "-p":
    case "--port": {
      const port = Number(value);
      if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw usageError(`${flag} takes a port, 1-65535 (got '${value.slice(0, 20)}')`);
      p.port = port;
      return;
    }
    case "-t":
    case "--timeout-seconds": {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1 || n > 300) throw usageError(`${flag} takes whole seconds, from 1 to 300 (got '${value.slice(0, 20)}')`);
      p.processTimeoutSeconds = n;
      return;
    }
    case "--tls":
      if (value !== "none" && value !== "starttls" && value !== "implicit") throw usageError(`--tls must be none, starttls or implicit (got '${value.slice(0, 40)}')`);
      p.tls = value;
      return;
    case "--protocol":
      if (value !== "pop3" && value !== "smtp" && value !== "imap") throw usageError(`--protocol must be pop3, smtp or imap (got '${value.slice(0, 40)}')`);
      p.protocol = value;
      return;
    case "--format":
      if (value !== "text" && value !== "json" && value !== "nagios") throw usageError(`--format must be text, json or nagios (got '${value.slice(0, 40)}')`);
      p.format = value;
      return;
    case "--user":
      p.user = withoutControls(value, "--user must not contain control characters");
      return;
    case "--password-env":
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) throw usageError(`--password-env takes an environment variable name (the password itself never goes on the command line)`);
      p.passwordEnv = value;
      return;
    case "--mail-from":
    case "--rcpt-to":
      if (!MAIL_ADDRESS.test(value)) throw usageError(`${flag} takes one address such as probe@example.com`);
      if (flag === "--mail-from") p.mailFrom = value;
      else p.rcptTo = value;
      return;
    case "--ca":
      p.ca = withoutControls(value, "--ca takes the path of a PEM file");
      return;
    case "-w":
    case "--warning":
      p.thresholds.warnSeconds = seconds(flag, value);
      return;
    case "-c":
    case "--critical":
      p.thresholds.critSeconds = seconds(flag, value);
      return;
    case "--cert-days":
      p.thresholds.certDays = certDays(value);
      return;
    default: {
      const ms = Number(value);
      if (!/^\d+$/.test(value) || ms < 100 || ms > 300_000) throw usageError("--timeout takes milliseconds, from 100 to 300000");
      p.timeoutMs = ms;
    }
  }
}

export function parseProbeArgs(args: string[]): ProbeArgs {
  const parsed: Parsed = { format: "text", tlsInsecure: false, verbose: false, thresholds: {} };
  let asJson = false;
  let asFormat: ProbeFormat | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === "--json") {
      asJson = true;
      continue;
    }
    if (flag === "-v" || flag === "--verbose") {
      parsed.verbose = true;
      continue;
    }
    if (flag === "--tls-insecure") {
      parsed.tlsInsecure = true;
      continue;
    }
    if (VALUE_FLAGS.has(flag)) {
      const value = eq > 0 && arg.startsWith("--") ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === "") throw usageError(`${flag} needs a value`);
      setValue(parsed, flag, value);
      if (flag === "--format") asFormat = parsed.format;
      continue;
    }
    if (arg === "--password" || arg.startsWith("--password=")) throw usageError("there is no --password: put the password in an environment variable and pass --password-env VAR");
    if (arg.startsWith("-")) throw usageError(`unknown option '${arg.slice(0, 40)}'`);
    if (parsed.subject !== undefined) throw usageError(`one host at a time (got '${parsed.subject.slice(0, 40)}' and '${arg.slice(0, 40)}')`);
    parsed.subject = arg;
  }
  const { subject, ...rest } = parsed;
  if (subject === undefined) throw usageError("probe needs a named host or HOST[:PORT] (or -H HOST)");
  // Two output formats asked for at once is a mistake in the command definition, not a choice to guess.
  if (asJson && asFormat !== undefined && asFormat !== "json") throw usageError(`--json and --format ${asFormat} ask for two outputs: give one`);
  if (asJson) rest.format = "json";
  const t = rest.thresholds;
  if (t.warnSeconds !== undefined && t.critSeconds !== undefined && t.warnSeconds > t.critSeconds) throw usageError("-w must not exceed -c");
  // A certificate check on a plain-text connection would say OK while the password crosses the wire in clear.
  if (t.certDays !== undefined && rest.tls === "none") throw usageError("--cert-days checks a certificate: give --tls starttls or --tls implicit (a plain-text probe has none)");
  return { subject, ...rest };
}

/** True when the flags describe a host typed in a terminal rather than one from the hosts file. */
export function isAdHoc(a: ProbeArgs): boolean {
  return [a.tls, a.protocol, a.user, a.passwordEnv, a.mailFrom, a.rcptTo, a.ca, a.port].some((v) => v !== undefined) || a.tlsInsecure;
}

/** HOST, HOST:PORT, [v6]:PORT or a bare IPv6 address; the port defaults from the protocol's row (110/995, 587/465, 143/993). */
export function parseHostPort(text: string, tls: TlsMode, protocol: Protocol = "pop3"): { host: string; port: number } {
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
  if (portText === undefined) return { host, port: defaultPort(protocol, tls) };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw usageError(`port must be 1-65535 (got '${portText.slice(0, 20)}')`);
  return { host, port };
}
