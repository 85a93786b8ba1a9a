// What a certificate says about the server that sent it: whether its chain reaches a root, the names on it and
// whether the probed host is one of them. Exchange Online refuses an incomplete chain with
// "450 4.4.317 Cannot connect to remote server [Message=UntrustedRoot]".
import type { DetailedPeerCertificate } from "node:tls";
import { nodeTls } from "./tls-module.js";

/** A certificate can carry thousands of names; the report keeps this many. */
export const MAX_NAMES = 100;
/** Longer than any real chain; a loop in a broken one stops here. */
const MAX_DEPTH = 16;

export interface ChainFacts {
  chainComplete: boolean;
  names: string[];
  nameMatches: boolean;
}

const isSelfIssued = (c: DetailedPeerCertificate): boolean =>
  c.issuerCertificate === c || (c.issuerCertificate !== undefined && c.issuerCertificate.fingerprint256 === c.fingerprint256);

/**
 * Node builds the chain from the certificates the server sent, then from the trust store (the probe's `ca`, or
 * the system roots): it ends at a self-signed root only when no link is missing. The store rarely holds
 * intermediates, so a missing link is almost always an intermediate the server should have sent.
 */
export function chainReachesRoot(cert: DetailedPeerCertificate): boolean {
  let c = cert;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (isSelfIssued(c)) return true;
    const next = c.issuerCertificate;
    // Node ends the chain with a certificate whose issuerCertificate is absent (or an empty object) when it found no issuer.
    if (!next?.fingerprint256) return false;
    c = next;
  }
  return false;
}

/** subjectAltName's DNS and IP entries, then the CN when it is not one of them. */
export function certificateNames(cert: DetailedPeerCertificate): string[] {
  const names: string[] = [];
  for (const entry of (cert.subjectaltname ?? "").split(/,\s*/)) {
    const m = /^(DNS|IP Address):(.+)$/.exec(entry.trim());
    if (m?.[2] && !names.includes(m[2])) names.push(m[2]);
  }
  const cn = (cert.subject as Record<string, string | string[]> | undefined)?.CN;
  for (const n of Array.isArray(cn) ? cn : cn ? [cn] : []) if (!names.includes(n)) names.push(n);
  return names.slice(0, MAX_NAMES);
}

export function chainFacts(cert: DetailedPeerCertificate, host: string): ChainFacts {
  return { chainComplete: chainReachesRoot(cert), names: certificateNames(cert), nameMatches: nodeTls().checkServerIdentity(host, cert) === undefined };
}
