// The TLS report of issue 23 put together: the version trials beside the probe's own handshake, and the findings
// an admin acts on (legacy versions Exchange Online refuses, a chain without its intermediate).
import { bareHost } from "./ports.js";
import { legacyAccepted, tryVersions, type VersionReport } from "./tls-versions.js";
import type { ProbeTarget, Protocol, TlsInfo } from "./types.js";

/**
 * The probe's tlsInfo with the versions added. When its own handshake never finished (a server on TLS 1.0 only,
 * which this Node's defaults refuse), a trial that did finish tells what the certificate is.
 */
export function withVersions(info: TlsInfo | undefined, report: VersionReport): TlsInfo | undefined {
  const base = info ?? report.seen;
  return base ? { ...base, versions: report.versions } : undefined;
}

const list = (xs: readonly string[]) => xs.join(" and ");

/** "the server accepts only TLSv1", "... still accepts TLSv1 beside TLS 1.2 or newer", "... accepts TLSv1 (TLS 1.2 and 1.3 untested)". */
export function legacySaid(legacy: NonNullable<ReturnType<typeof legacyAccepted>>, subject = "the server "): string {
  const what = list(legacy.accepted);
  if (legacy.newer === "refused") return `${subject}accepts only ${what}`;
  return legacy.newer === "accepted" ? `${subject}still accepts ${what} beside TLS 1.2 or newer` : `${subject}accepts ${what} (TLS 1.2 and 1.3 untested)`;
}

/** What the versions and the chain tell an admin, as findings. */
export function tlsReportFindings(info: TlsInfo | undefined): string[] {
  if (!info) return [];
  const out: string[] = [];
  const legacy = legacyAccepted(info.versions);
  if (legacy) out.push(`${legacySaid(legacy)}${legacy.newer === "refused" ? ": Exchange Online and current clients refuse TLS below 1.2" : " (Exchange Online refuses TLS 1.0 and 1.1)"}`);
  if (info.chainComplete === false) {
    out.push(`the certificate chain does not reach a trusted root: the server leaves out an intermediate certificate, or its root is not trusted here (Exchange Online says 450 4.4.317 [Message=UntrustedRoot])`);
  }
  return out;
}

/** Starts the version trials of a TLS probe (none for tls: none), under the step budget `ms`. */
export function startVersionTrials(t: ProbeTarget, address: string, protocol: Protocol, ms: number): Promise<VersionReport> | undefined {
  if (t.tls === "none") return undefined;
  return tryVersions({ address, port: t.port, host: bareHost(t.host), protocol, tls: t.tls, ...(t.ca !== undefined ? { ca: t.ca } : {}) }, ms);
}

/** Waits for the trials (each ends by its own budget) and says what the report means. */
export async function finishTlsReport(info: TlsInfo | undefined, trials: Promise<VersionReport> | undefined): Promise<{ info?: TlsInfo; findings: string[] }> {
  const merged = trials ? withVersions(info, await trials) : info;
  return merged ? { info: merged, findings: tlsReportFindings(merged) } : { findings: [] };
}
