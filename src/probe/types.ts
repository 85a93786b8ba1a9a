// The probe's public contract: the Slack surface, local mode and the CLI build against these types.
import type { ReplyRecord } from "./reply.js";

export type TlsMode = "none" | "starttls" | "implicit";
/** Which script the engine runs. Absent means pop3, the probe's first and default protocol. */
export type Protocol = "pop3" | "smtp" | "imap";

/** Where and how to probe: what a hosts-file entry and a probe run share. */
export interface HostFields {
  host: string;
  port: number;
  tls: TlsMode;
  user?: string;
  /** The variable the password comes from; named in the finding when it is unset. */
  passwordEnv?: string;
  tlsInsecure: boolean;
  /** pop3 when absent. */
  protocol?: Protocol;
  /** SMTP: the MAIL FROM address (default: the user name when it is an address). */
  mailFrom?: string;
  /** SMTP: the RCPT TO address (default: the MAIL FROM address). */
  rcptTo?: string;
  /** PEM file of a private CA that signs this host's certificate; without it the system store (plus NODE_EXTRA_CA_CERTS) decides trust. */
  ca?: string;
  /** OAuth2 logon (XOAUTH2) with a client-credentials token instead of a password. */
  oauth2?: OAuth2Config;
}

/** `oauth2:` of a hosts-file entry, with the names. The secret itself comes from clientSecretEnv. */
export interface OAuth2Config {
  tenant: string;
  clientId: string;
  clientSecretEnv?: string;
  /** PEM with the private key, and the certificate's SHA-256 thumbprint (hex). */
  certificateFile?: string;
  certificateThumbprint?: string;
  /** Default https://login.microsoftonline.com. */
  authority?: string;
  /** Default https://outlook.office365.com/.default. */
  scope?: string;
}

/** An entry of the probe hosts file (PROBE_HOSTS_FILE). The password itself never lives here. */
export interface NamedHost extends HostFields {
  name: string;
  /** Who may probe it from Slack: a click passes when it matches any list given. Absent: everyone. */
  allow?: HostAllow;
}

/** `allow: { channels: [C…], users: [U…], usergroups: [S…] }`, exactly as the hosts file writes it. */
export interface HostAllow {
  channels?: string[];
  users?: string[];
  usergroups?: string[];
}

/** What one probe run talks to. `password` is resolved from the environment just before the run. */
export interface ProbeTarget extends HostFields {
  name?: string;
  password?: string;
  /** The client secret read from oauth2.clientSecretEnv just before the run. */
  oauth2Secret?: string;
}

export interface ProbeStep {
  name: string;
  ok: boolean;
  ms: number;
  detail: string;
  /** false: recorded but never run (refused before anything was sent, or no time was left for it); absent when it ran. */
  ran?: boolean;
}

export interface TlsInfo {
  protocol: string;
  subject: string;
  issuer: string;
  daysToExpiry: number;
  selfSigned: boolean;
  authorized: boolean;
  authorizationError?: string;
  /**
   * Each protocol version tried on a connection of its own (issue 23): true accepted, false refused by the server,
   * "untested" when this Node cannot offer it or the trial never reached the handshake (no STARTTLS, timeout).
   */
  versions?: TlsVersions;
  /** False when the chain the server sends does not reach a self-signed root (a missing intermediate). */
  chainComplete?: boolean;
  /** The names on the certificate: subjectAltName DNS and IP entries, then the subject CN. */
  names?: string[];
  /** Whether the probed host is one of those names (Node's checkServerIdentity). */
  nameMatches?: boolean;
  /** Days to expiry, the same number as daysToExpiry (negative once expired). */
  daysLeft?: number;
}

export type TlsVersionName = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
export type TlsVersionVerdict = boolean | "untested";
export type TlsVersions = Record<TlsVersionName, TlsVersionVerdict>;

export interface ProbeDiagnosis {
  summary: string;
  /** Knowledge article ids whose probe signatures match the replies, best first. */
  articles: string[];
  /** General findings (refused, timeout, TLS required, self-signed certificate, ...). */
  findings: string[];
}

export interface TranscriptLine {
  /** Milliseconds since the probe started. */
  at: number;
  /** "S: ..." or "C: ...", password and AUTH data already shown as ********. */
  text: string;
}

/** What every probe run reports: where it went, each step, the transcript. */
export interface ProbeRunFacts {
  ok: boolean;
  name?: string;
  host: string;
  /** ADDRESS:PORT the connection was made to, as the socket reports it (a typed "0x7f.1" shows as 127.0.0.1). */
  connectedTo?: string;
  port: number;
  tls: TlsMode;
  protocol: Protocol;
  steps: ProbeStep[];
  /** Every transcript line with its offset; the CLI's --json `transcript` is these texts. */
  lines: TranscriptLine[];
  tlsInfo?: TlsInfo;
  totalMs: number;
}

/** What the engine saw, before anyone reads it against the knowledge base. */
export interface ProbeOutcome extends ProbeRunFacts {
  /** Every parsed reply with the command it answers, for diagnosis. */
  replies: ReplyRecord[];
  /** What stopped the probe, phrased for people and redacted; absent when it ran to the end. */
  failure?: string;
  /** Findings in order: the run's own (TLS, capabilities, ...) then those read from the replies. */
  findings: string[];
  /** One line on what went right, used when nothing went wrong. */
  okSummary: string;
}

/** The outcome with its diagnosis: what Slack, the terminal and local mode show. */
export interface ProbeResult extends ProbeRunFacts {
  diagnosis: ProbeDiagnosis;
}
