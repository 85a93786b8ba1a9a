import type { ProbeResult } from "../../src/probe/types.js";

/** A probe result without a probe: for tests of what happens around the engine (limits, audit). */
export function fakeResult(ok: boolean): ProbeResult {
  return {
    ok,
    host: "127.0.0.1",
    port: 110,
    tls: "none",
    protocol: "pop3",
    steps: [],
    lines: [],
    diagnosis: { summary: ok ? "fine" : "privilege", articles: ok ? [] : ["Q171435"], findings: [] },
    totalMs: 5,
  };
}
