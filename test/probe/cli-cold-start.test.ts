// What a healthy `exchange-bot probe HOST:PORT` loads: the cold start stays near `node -e 0` (see `npm run bench`,
// section probe) only while the probe path imports no package but dotenv. zod, yaml and fuse.js load when a
// hosts file exists or there is a fault to diagnose, never for a healthy probe.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startPop3Peer, type RunningPeer } from "../../src/local/pop3-peers.js";
import { assertFreshBuild, runProbeCli } from "./run-cli.js";

let dir: string;
let peer: RunningPeer;

beforeAll(async () => {
  assertFreshBuild();
  dir = await mkdtemp(join(tmpdir(), "probe-cold-"));
  // A module resolve hook in the child that names every package file it loads on stderr.
  await writeFile(join(dir, "hook.mjs"), 'export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.includes("/node_modules/")) console.error("LOADED " + r.url); return r; }\n');
  await writeFile(join(dir, "register.mjs"), `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(dir, "hook.mjs")).href)});\n`);
  peer = await startPop3Peer("healthy");
});
afterAll(async () => {
  await peer?.stop();
  await rm(dir, { recursive: true, force: true });
});

it("a healthy probe with no hosts file loads no package but dotenv", async () => {
  const r = await runProbeCli([`${peer.host}:${peer.port}`], { PROBE_HOSTS_FILE: join(dir, "none.yml"), NODE_OPTIONS: `--import=${pathToFileURL(join(dir, "register.mjs")).href}` });
  expect(r.code, r.err).toBe(0);
  const packages = [...new Set([...r.err.matchAll(/^LOADED .*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]))];
  // The hook ran (dotenv is always read for .env), so an empty list cannot pass by accident.
  expect(packages).toEqual(["dotenv"]);
});
