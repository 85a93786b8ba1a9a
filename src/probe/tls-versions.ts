// Which TLS protocol versions a server accepts: TLS 1.0, 1.1, 1.2 and 1.3, each tried on a connection of its own,
// all at once, with the STARTTLS exchange first where the entry says starttls. A trial only shakes hands and
// hangs up: it never sends a logon. Exchange Online refuses TLS 1.0 and 1.1, so a server left on them is a finding.
import { isIP, type Socket } from "node:net";
import { now } from "./clock.js";
import type { TLSSocket } from "node:tls";
import { nodeTls } from "./tls-module.js";
import { connectTcp, readCa } from "./net.js";
import { describeTls } from "./tls-info.js";
import { starttlsPrelude } from "./tls-starttls.js";
import type { Protocol, TlsInfo, TlsMode, TlsVersionName, TlsVersionVerdict, TlsVersions } from "./types.js";

export const TLS_VERSIONS: readonly TlsVersionName[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
const LEGACY: ReadonlySet<TlsVersionName> = new Set(["TLSv1", "TLSv1.1"]);

/**
 * Node's OpenSSL refuses TLS 1.0/1.1 at its default security level (it says "legacy sigalg disallowed" once the
 * server answers); level 0 lets this Node offer them, which is what a trial needs to hear the server's own answer.
 */
const LEGACY_CIPHERS = "DEFAULT@SECLEVEL=0";
/** Errors raised by our own OpenSSL, not the server: the version is untested, not refused. */
const LOCAL_ERRORS = new Set(["ERR_SSL_NO_PROTOCOLS_AVAILABLE", "ERR_SSL_NO_CIPHERS_AVAILABLE", "ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED"]);

export interface TrialTarget {
  /** The resolved address to connect to. */
  address: string;
  port: number;
  /** The name the certificate should carry (SNI unless it is an IP address). */
  host: string;
  protocol: Protocol;
  tls: Exclude<TlsMode, "none">;
  ca?: string;
}

export interface VersionReport {
  versions: TlsVersions;
  /** The certificate as a trial that shook hands saw it: what tlsInfo says when the probe's own handshake failed. */
  seen?: TlsInfo;
}

interface Trial {
  verdict: TlsVersionVerdict;
  seen?: TlsInfo;
}

async function trial(t: TrialTarget, version: TlsVersionName, ca: Buffer | undefined, ms: number): Promise<Trial> {
  const until = now() + ms;
  const sockets: Socket[] = [];
  try {
    let raw: Socket;
    try {
      raw = await connectTcp(t.address, t.port, ms, t.protocol, (s) => sockets.push(s));
      if (t.tls === "starttls") await starttlsPrelude(raw, t.protocol, until - now());
    } catch {
      // No handshake was tried: the server said nothing about this version.
      return { verdict: "untested" };
    }
    return await new Promise<Trial>((resolve) => {
      const sock: TLSSocket = nodeTls().connect({
        socket: raw,
        ...(isIP(t.host) ? {} : { servername: t.host }),
        ...(ca ? { ca } : {}),
        minVersion: version,
        maxVersion: version,
        ...(LEGACY.has(version) ? { ciphers: LEGACY_CIPHERS } : {}),
        // The trial judges nothing and sends nothing: it only learns whether the handshake completes.
        rejectUnauthorized: false,
      });
      sockets.push(sock);
      const timer = setTimeout(() => resolve({ verdict: "untested" }), Math.max(0, until - now()));
      sock.once("secureConnect", () => {
        clearTimeout(timer);
        resolve({ verdict: true, seen: describeTls(sock, t.host).info });
      });
      sock.on("error", (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve({ verdict: err.code !== undefined && LOCAL_ERRORS.has(err.code) ? "untested" : false });
      });
      // A server that hangs up on the ClientHello refuses the version as surely as one that sends an alert.
      sock.once("close", () => {
        clearTimeout(timer);
        resolve({ verdict: false });
      });
    });
  } finally {
    // Outermost first (see engine.ts): destroying the plain socket under a live TLS socket crashes Node 20.
    for (const s of sockets.reverse()) if (!s.destroyed) s.destroy();
  }
}

/** Tries every version at once, within `ms` in all. Never throws: a version it could not try is "untested". */
export async function tryVersions(t: TrialTarget, ms: number): Promise<VersionReport> {
  let ca: Buffer | undefined;
  try {
    ca = t.ca !== undefined ? readCa(t.ca) : undefined;
  } catch {
    // The probe's own handshake reports the unreadable CA file; without it no trial would mean anything.
    return { versions: Object.fromEntries(TLS_VERSIONS.map((v) => [v, "untested"])) as TlsVersions };
  }
  const trials = await Promise.all(TLS_VERSIONS.map((v) => trial(t, v, ca, ms).catch((): Trial => ({ verdict: "untested" }))));
  const versions = Object.fromEntries(TLS_VERSIONS.map((v, i) => [v, trials[i]?.verdict ?? "untested"])) as TlsVersions;
  // The newest version's view of the certificate, as a client today would see it.
  const seen = [...trials].reverse().find((x) => x.seen)?.seen;
  return seen ? { versions, seen } : { versions };
}

/**
 * The legacy versions (TLS 1.0, 1.1) a server accepts, and what it does with the newer ones: "refused" (it is on
 * legacy TLS only), "accepted" (legacy beside 1.2 or 1.3), "untested" (neither known to be accepted, not both refused).
 */
export function legacyAccepted(versions: TlsVersions | undefined): { accepted: TlsVersionName[]; newer: "refused" | "accepted" | "untested" } | undefined {
  if (!versions) return undefined;
  const accepted = TLS_VERSIONS.filter((v) => LEGACY.has(v) && versions[v] === true);
  if (accepted.length === 0) return undefined;
  const newer = [versions["TLSv1.2"], versions["TLSv1.3"]];
  return { accepted, newer: newer.includes(true) ? "accepted" : newer.every((x) => x === false) ? "refused" : "untested" };
}
