import type { DetailedPeerCertificate, TLSSocket } from "node:tls";
import { chainFacts } from "./tls-chain.js";
import { nodeTls } from "./tls-module.js";
import type { TlsInfo } from "./types.js";

const DAY_MS = 86_400_000;
/** Warn (without failing) when a certificate runs out this soon. */
const EXPIRY_WARNING_DAYS = 14;

function formatName(name: object | undefined): string {
  if (!name) return "";
  return Object.entries(name as Record<string, string | string[]>)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("+") : v}`)
    .join(", ");
}

const ALTNAME_ERROR = "ERR_TLS_CERT_ALTNAME_INVALID";

/** The names a certificate is valid for, said plainly (Node's own message ends in an empty list when there are none). */
function certNames(cert: DetailedPeerCertificate): string {
  const alt = (cert.subjectaltname ?? "").split(/,\s*/).filter(Boolean);
  if (alt.length > 0) return `it names ${alt.join(", ")}`;
  const cn = (cert.subject as Record<string, string | string[]> | undefined)?.CN;
  return cn ? `it names no alternative names, only the common name ${Array.isArray(cn) ? cn.join("+") : cn}` : "it names no host at all";
}

/** One line on the handshake for a step detail: protocol, certificate, and expiry said the right way round. */
export function tlsSummary(info: TlsInfo): string {
  return `${info.protocol}, subject ${info.subject || "(none)"}, issuer ${info.issuer || "(none)"}, ${expiryText(info.daysToExpiry)}`;
}

/** "expires in 30 day(s)" or "expired 1029 day(s) ago". */
export function expiryText(days: number): string {
  return days < 0 ? `expired ${-days} day(s) ago` : `expires in ${days} day(s)`;
}

const SELF_SIGNED_ERRORS = new Set(["DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN"]);

export interface TlsFinding {
  text: string;
  /** True when the finding is a fault unless the host allows it (tlsInsecure). */
  certificateProblem: boolean;
}

/** Reads protocol and certificate facts from an established TLS socket, with the findings they lead to. */
export function describeTls(socket: TLSSocket, host: string, now = Date.now()): { info: TlsInfo; findings: TlsFinding[] } {
  const cert: DetailedPeerCertificate = socket.getPeerCertificate(true);
  const protocol = socket.getProtocol() ?? "unknown";
  // Node returns {} when the peer sent no certificate.
  if (!cert || !cert.subject) {
    return {
      info: { protocol, subject: "", issuer: "", daysToExpiry: 0, selfSigned: false, authorized: false, authorizationError: "NO_CERTIFICATE" },
      findings: [{ text: "the server sent no TLS certificate", certificateProblem: true }],
    };
  }
  const validTo = Date.parse(cert.valid_to);
  const daysToExpiry = Number.isFinite(validTo) ? Math.floor((validTo - now) / DAY_MS) : 0;
  // Node 20 reports a wrong host name as authorizationError even when not rejecting: that is the name check below, not the chain.
  const reported = socket.authorizationError ? String(socket.authorizationError) : undefined;
  const chainError = reported === ALTNAME_ERROR ? undefined : reported;
  const selfSigned =
    (chainError !== undefined && SELF_SIGNED_ERRORS.has(chainError)) ||
    cert.issuerCertificate === cert ||
    (cert.issuerCertificate?.fingerprint256 === cert.fingerprint256 && formatName(cert.issuer) === formatName(cert.subject));
  // Node checks the name only when it rejects unauthorised peers; the probe never does (it reports instead), so check here.
  const identityError = nodeTls().checkServerIdentity(host, cert);
  const info: TlsInfo = {
    protocol,
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    daysToExpiry,
    selfSigned,
    authorized: (socket.authorized || reported === ALTNAME_ERROR) && chainError === undefined && !identityError,
    ...chainFacts(cert, host),
    daysLeft: daysToExpiry,
  };
  const authorizationError = chainError ?? (identityError ? ALTNAME_ERROR : undefined);
  if (authorizationError) info.authorizationError = authorizationError;

  const findings: TlsFinding[] = [];
  // A self-signed certificate the chain check accepted was given as its own CA (--ca, ca:): trusted on purpose.
  if (selfSigned && chainError !== undefined) findings.push({ text: `TLS certificate is self-signed (subject ${info.subject || "empty"})`, certificateProblem: true });
  if (daysToExpiry < 0) findings.push({ text: `TLS certificate expired ${-daysToExpiry} day(s) ago (valid to ${cert.valid_to})`, certificateProblem: true });
  else if (daysToExpiry < EXPIRY_WARNING_DAYS) findings.push({ text: `TLS certificate expires in ${daysToExpiry} day(s)`, certificateProblem: false });
  if (chainError && !SELF_SIGNED_ERRORS.has(chainError) && chainError !== "CERT_HAS_EXPIRED") {
    findings.push({ text: `TLS certificate is not trusted (${chainError})`, certificateProblem: true });
  }
  if (identityError) findings.push({ text: `TLS certificate does not name ${host} (${certNames(cert)})`, certificateProblem: true });
  if (!info.authorized && !findings.some((f) => f.certificateProblem)) findings.push({ text: "TLS certificate is not trusted", certificateProblem: true });
  return { info, findings };
}

/** The handshake judged for a probe: what to record, what to say, and why to refuse it, if it must be refused. */
export interface TlsJudgement {
  info: TlsInfo;
  /** Findings to report. A refused certificate's problems are said once, in the refusal itself. */
  said: string[];
  /** Set when the certificate has problems and the host does not accept them (tlsInsecure). */
  refusal?: string;
  /** The step's detail line when the handshake is accepted. */
  detail: string;
}

export function judgeTls(socket: TLSSocket, host: string, tlsInsecure: boolean): TlsJudgement {
  const { info, findings } = describeTls(socket, host);
  const problems = findings.filter((f) => f.certificateProblem);
  const refused = problems.length > 0 && !tlsInsecure;
  const said = findings.filter((f) => !(refused && f.certificateProblem)).map((f) => f.text);
  const summary = tlsSummary(info);
  const detail = problems.length > 0 ? `${summary} (certificate problems accepted: tlsInsecure)` : summary;
  if (!refused) return { info, said, detail };
  const refusal = `${problems.map((p) => p.text).join("; ")}; not allowed for this host (set tlsInsecure: true, or --tls-insecure, to accept it; --ca FILE or ca: for a private CA)`;
  return { info, said, refusal, detail };
}
