// Scripted POP3 peers for probe tests: start one (stopped after each test by stopPeers), probe it with the test password.
import { expect } from "vitest";
import { fixtureArticles } from "../helpers/knowledge.js";
import { startPop3Peer, type PeerBehaviour, type PeerOptions, type RunningPeer } from "../../src/local/pop3-peers.js";
import { runProbe, type ProbeOptions } from "../../src/probe/run.js";
import type { ProbeResult, ProbeTarget } from "../../src/probe/types.js";

export const articles = fixtureArticles();
export const PASSWORD = "Tr0ub4dor-probe-secret";
const peers: RunningPeer[] = [];

export async function peer(behaviour: PeerBehaviour, opts: PeerOptions = {}): Promise<RunningPeer> {
  const p = await startPop3Peer(behaviour, { password: PASSWORD, ...opts });
  peers.push(p);
  return p;
}

/** Stops every peer started since the last call (for afterEach). */
export async function stopPeers(): Promise<void> {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
}

export function probe(p: { host: string; port: number }, target: Partial<ProbeTarget> = {}, opts: Partial<ProbeOptions> = {}): Promise<ProbeResult> {
  return runProbe({ host: p.host, port: p.port, tls: "none", user: "probe", password: PASSWORD, tlsInsecure: false, ...target }, { articles, ...opts });
}

/** The password, and the AUTH PLAIN blob that carries it, must appear nowhere in a result. */
export function expectNoSecret(r: ProbeResult, password = PASSWORD): void {
  const json = JSON.stringify(r);
  expect(json).not.toContain(password);
  expect(json).not.toContain(Buffer.from(`\0probe\0${password}`).toString("base64"));
}

export const step = (r: ProbeResult, name: string) => r.steps.find((s) => s.name === name);
