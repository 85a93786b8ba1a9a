// Failure wording shared by every protocol: each message takes the protocol's name instead of assuming POP3.
import type { ProbeIoError } from "./line-reader.js";
import { DEFAULT_PORTS, implicitTlsPortOf, protocolLabel } from "./ports.js";
import { sanitise } from "./transcript.js";
import type { Protocol, TlsMode } from "./types.js";

export function ioMessage(err: ProbeIoError, step: string, timeoutMs: number, protocol: Protocol): string {
  switch (err.kind) {
    case "timeout":
      if (err.partialBytes > 0) return `${step}: ${err.message}`;
      if (step === "greeting") return `no greeting: the server accepted the connection but sent nothing in ${Math.round(timeoutMs)} ms`;
      return `timeout: no reply to ${step} in ${Math.round(timeoutMs)} ms`;
    case "closed":
      return step === "greeting" ? "no greeting: the server closed the connection without greeting" : `the server closed the connection during ${step}`;
    case "reset":
      return step === "greeting" ? "no greeting: the server reset the connection" : `the server reset the connection during ${step}`;
    case "line-too-long":
    case "flood":
      return `${step}: ${err.message} (not a ${protocolLabel(protocol)} server, or a broken one)`;
    default:
      return `${step}: ${err.message}`;
  }
}

/** Said after a logon step timed out or answered slowly: the delay is usually deliberate. */
export function slowLogonMessage(step: string, ms: number): string {
  return `the server took ${(ms / 1000).toFixed(1)} s to answer ${step}: servers delay logons after failed attempts (Dovecot by up to 15 s), so earlier wrong passwords for this account can slow a correct one`;
}

export function connectMessage(err: NodeJS.ErrnoException, host: string, port: number, protocol: Protocol): string {
  switch (err.code) {
    case "ECONNREFUSED":
      return `connection refused: nothing listens on ${host}:${port} (${protocolLabel(protocol)} service stopped, or wrong port)`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${host} is unreachable (${err.code}): no route to the host`;
    case "ECONNRESET":
      return `the connection to ${host}:${port} was reset while connecting`;
    default:
      return `cannot connect to ${host}:${port} (${err.code ?? err.message})`;
  }
}

export function handshakeMessage(err: Error & { reason?: string }, protocol: Protocol): string {
  // OpenSSL messages carry file names and line numbers; its `reason` is the part people can use.
  const m = err.reason ?? err.message.split("\n")[0] ?? err.message;
  const row = DEFAULT_PORTS[protocol];
  const ports = [row.plain, ...row.alsoPlain].join(" or ");
  const hint = /wrong version number|packet length too long|unknown protocol|http request/i.test(m)
    ? `: the port does not speak TLS (a plain ${protocolLabel(protocol)} port such as ${ports} needs tls none or starttls)`
    : "";
  return `TLS handshake failed (${sanitise(m, 160)})${hint}`;
}

/** Plain text aimed at a TLS-from-the-first-byte port: the server waits for a TLS hello and the greeting never comes. */
export function plainAtTlsPortHint(port: number, tls: TlsMode): string {
  if (tls === "implicit") return "";
  const p = implicitTlsPortOf(port);
  if (!p) return "";
  return ` (port ${port} is where ${protocolLabel(p)} usually speaks TLS from the first byte: probe it with tls implicit)`;
}
