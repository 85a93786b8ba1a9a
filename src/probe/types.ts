// The probe's public contract: the Slack surface, local mode and the CLI build against these types.
export type TlsMode = "none" | "starttls" | "implicit";

/** An entry of the probe hosts file (PROBE_HOSTS_FILE). The password itself never lives here. */
export interface NamedHost {
  name: string;
  host: string;
  port: number;
  tls: TlsMode;
  user?: string;
  passwordEnv?: string;
  tlsInsecure: boolean;
}

/** What one probe run talks to. `password` is resolved from the environment just before the run. */
export interface ProbeTarget {
  name?: string;
  host: string;
  port: number;
  tls: TlsMode;
  user?: string;
  password?: string;
  /** The variable the password should have come from; named in the finding when it is unset. */
  passwordEnv?: string;
  tlsInsecure: boolean;
}

export interface ProbeStep {
  name: string;
  ok: boolean;
  ms: number;
  detail: string;
}

export interface TlsInfo {
  protocol: string;
  subject: string;
  issuer: string;
  daysToExpiry: number;
  selfSigned: boolean;
  authorized: boolean;
  authorizationError?: string;
}

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

export interface ProbeResult {
  ok: boolean;
  name?: string;
  host: string;
  port: number;
  tls: TlsMode;
  steps: ProbeStep[];
  /** Same lines as `lines`, without offsets: the CLI's --json interface. */
  transcript: string[];
  lines: TranscriptLine[];
  diagnosis: ProbeDiagnosis;
  tlsInfo?: TlsInfo;
  totalMs: number;
}
