// Socket plumbing for the engine: resolve, TCP connect and TLS (from the first byte or after STARTTLS), each under a time limit.
import { readFileSync } from "node:fs";
import { connect as netConnect, isIP, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { StepFailure } from "./step-failure.js";
import { nodeTls } from "./tls-module.js";
import { connectMessage, handshakeMessage } from "./wording.js";
import type { Protocol } from "./types.js";

const noop = (): void => {};

/** Resolves a host name (an IP address passes through); the detail line says what it became. */
export async function resolveHost(name: string, ms: number): Promise<{ address: string; detail: string }> {
  if (isIP(name)) return { address: name, detail: `${name} (IP address, no lookup)` };
  // Loaded only when there is a name to look up: a check of an address never reads it.
  const { lookup } = await import("node:dns/promises");
  const found = await withTimeout(lookup(name), ms, `timeout: resolving ${name} took over ${Math.round(ms)} ms`).catch((err: unknown) => {
    if (err instanceof StepFailure) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new StepFailure(`the host name ${name} does not resolve (${code ?? String(err)})`);
  });
  return { address: found.address, detail: `${name} → ${found.address}` };
}

/** Opens a TCP connection; `track` sees the socket at once so the engine can always destroy it. */
export function connectTcp(address: string, port: number, ms: number, protocol: Protocol, track: (s: Socket) => void): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const sock = netConnect({ host: address, port });
    track(sock);
    sock.on("error", noop); // the reader reports errors; this keeps a late one from crashing the process
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new StepFailure(`timeout: no TCP connection to ${address}:${port} in ${Math.round(ms)} ms (a firewall may drop the packets)`));
    }, ms);
    sock.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new StepFailure(connectMessage(err, address, port, protocol)));
    });
    sock.once("connect", () => {
      clearTimeout(timer);
      sock.setNoDelay(true);
      resolve(sock);
    });
  });
}

/** Reads a private CA file; a missing or empty file is a configuration fault named plainly. */
export function readCa(file: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (err) {
    throw new StepFailure(`cannot read the CA file ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new StepFailure(`the CA file ${file} holds no PEM certificate`);
  return pem;
}

export interface TlsUpgrade {
  raw: Socket;
  /** The name the certificate should carry (no SNI for IP addresses). */
  host: string;
  ca?: string;
  protocol: Protocol;
  track: (s: Socket) => void;
}

/** Wraps a connected socket in TLS and resolves once the handshake is done. The caller judges the certificate. */
export function upgradeTls(u: TlsUpgrade, ms: number): Promise<TLSSocket> {
  const ca = u.ca !== undefined ? readCa(u.ca) : undefined;
  return new Promise<TLSSocket>((resolve, reject) => {
    const sock: TLSSocket = nodeTls().connect({
      socket: u.raw,
      ...(isIP(u.host) ? {} : { servername: u.host }),
      ...(ca ? { ca } : {}),
      // The probe inspects and reports the certificate itself, then decides (tlsInsecure); it never sends a password over a rejected one.
      rejectUnauthorized: false,
    });
    u.track(sock);
    sock.on("error", noop);
    const fail = (message: string) => {
      clearTimeout(timer);
      sock.destroy();
      reject(new StepFailure(message));
    };
    const timer = setTimeout(() => fail(`timeout: TLS handshake did not finish in ${Math.round(ms)} ms`), ms);
    const onError = (err: Error) => fail(handshakeMessage(err, u.protocol));
    const onClose = () => fail("the server closed the connection during the TLS handshake");
    sock.once("error", onError);
    sock.once("close", onClose);
    sock.once("secureConnect", () => {
      clearTimeout(timer);
      sock.off("error", onError);
      sock.off("close", onClose);
      resolve(sock);
    });
  });
}

/** A local address as an SMTP address literal (RFC 5321 4.1.3): "[127.0.0.1]" or "[IPv6:::1]". */
export function addressLiteral(local: string | undefined): string {
  const a = (local ?? "127.0.0.1").replace(/^::ffff:(?=\d+\.)/, "");
  return a.includes(":") ? `[IPv6:${a}]` : `[${a}]`;
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StepFailure(message)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e as Error);
      },
    );
  });
}
