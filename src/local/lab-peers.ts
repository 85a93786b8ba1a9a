// The lab local mode offers as named hosts: Exchange 5.5 POP3 faults, a healthy POP3 server, an Exchange 2007
// Receive connector that refuses submission as event 1020 describes, and an IMAP server.
import { randomBytes } from "node:crypto";
import type { NamedHost, Protocol } from "../probe/types.js";
import { startImapPeer } from "./imap-peers.js";
import type { RunningPeer } from "./peer-server.js";
import { startPop3Peer } from "./pop3-peers.js";
import { startSmtpPeer } from "./smtp-peers.js";

export interface LabPeers {
  /** Named hosts "exchange55-privilege", "exchange55-logon", "healthy" (POP3), "hub02" (SMTP), "imap-lab" and "exo-smtp-disabled" (Exchange Online SMTP AUTH off), ready for the probe. */
  hosts: NamedHost[];
  peers: RunningPeer[];
  stop(): Promise<void>;
}

export const LAB_USER = "probe";
export const LAB_PASSWORD_ENV = "PROBE_LAB_PASSWORD";

interface LabSpec {
  name: string;
  protocol: Protocol;
  start: (password: string) => Promise<RunningPeer>;
}

const SPECS: readonly LabSpec[] = [
  { name: "exchange55-privilege", protocol: "pop3", start: (password) => startPop3Peer("exchange55-privilege", { password }) },
  { name: "exchange55-logon", protocol: "pop3", start: (password) => startPop3Peer("exchange55-logon", { password }) },
  { name: "healthy", protocol: "pop3", start: (password) => startPop3Peer("healthy", { password }) },
  { name: "hub02", protocol: "smtp", start: () => startSmtpPeer("exchange2007-1020") },
  { name: "imap-lab", protocol: "imap", start: (password) => startImapPeer({ password }) },
  // An Exchange Online tenant with SMTP AUTH disabled: the 535 5.7.139 of the December 2026 wave.
  { name: "exo-smtp-disabled", protocol: "smtp", start: () => startSmtpPeer("exo-smtp-auth-disabled") },
];

/**
 * Starts the lab peers local mode offers as named hosts. The lab password comes from PROBE_LAB_PASSWORD;
 * when that is unset a random one is generated and put there, so the probe really sends a secret to hide.
 */
export async function startLabPeers(env: NodeJS.ProcessEnv = process.env): Promise<LabPeers> {
  const password = (env[LAB_PASSWORD_ENV] ||= randomBytes(12).toString("base64url"));
  const peers: RunningPeer[] = [];
  try {
    for (const spec of SPECS) peers.push(await spec.start(password));
  } catch (err) {
    await Promise.all(peers.map((p) => p.stop()));
    throw err;
  }
  const hosts: NamedHost[] = SPECS.map((spec, i) => ({
    name: spec.name,
    host: "127.0.0.1",
    port: peers[i]?.port ?? 0,
    tls: "none",
    user: LAB_USER,
    passwordEnv: LAB_PASSWORD_ENV,
    tlsInsecure: false,
    protocol: spec.protocol,
    ...(spec.protocol === "smtp" ? { mailFrom: "probe@contoso.local" } : {}),
  }));
  return { hosts, peers, stop: async () => void (await Promise.all(peers.map((p) => p.stop()))) };
}
