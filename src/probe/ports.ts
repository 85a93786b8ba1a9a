// One table of default ports, the way monitoring-plugins' check_tcp keeps one row per protocol.
import type { Protocol, TlsMode } from "./types.js";

export interface PortRow {
  /** Plain text, and STARTTLS on the same port. */
  plain: number;
  /** TLS from the first byte. */
  implicit: number;
  /** Other plain ports people use for this protocol (SMTP relay on 25). */
  alsoPlain: readonly number[];
}

export const DEFAULT_PORTS: Readonly<Record<Protocol, PortRow>> = {
  pop3: { plain: 110, implicit: 995, alsoPlain: [] },
  smtp: { plain: 587, implicit: 465, alsoPlain: [25] },
  imap: { plain: 143, implicit: 993, alsoPlain: [] },
};

export const PROTOCOLS: readonly Protocol[] = ["pop3", "smtp", "imap"];

export function defaultPort(protocol: Protocol, tls: TlsMode): number {
  const row = DEFAULT_PORTS[protocol];
  return tls === "implicit" ? row.implicit : row.plain;
}

/** The protocol whose TLS-from-the-first-byte port this is (995, 465, 993), if any. */
export function implicitTlsPortOf(port: number): Protocol | undefined {
  return PROTOCOLS.find((p) => DEFAULT_PORTS[p].implicit === port);
}

/** "POP3", "SMTP", "IMAP": how people write the protocol. */
export function protocolLabel(p: Protocol): string {
  return p.toUpperCase();
}

/** IPv6 literals are written [::1] in host:port text; sockets and TLS want them bare. */
export function bareHost(host: string): string {
  return host.replace(/^\[(.*)\]$/, "$1");
}
