// What `exchange-bot probe HOST:PORT --format nagios` loads: a monitoring system runs thousands a minute, so a
// healthy plain-text check loads no package at all (dotenv only when a .env exists), no Slack module, no
// knowledge base, no text renderer, no other protocol's script, and none of node:tls, node:https, node:crypto,
// node:dns or perf_hooks (see `npm run bench`, section probe, for what that costs). A fault loads the
// knowledge base to name the article.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPop3Peer, type RunningPeer } from "../../src/local/pop3-peers.js";
import { assertFreshBuild, runProbeCli } from "./run-cli.js";

const SECRET = "cold-start-Secret-0f-the-probe";
let dir: string;
let healthy: RunningPeer;
let faulty: RunningPeer;

beforeAll(async () => {
  assertFreshBuild();
  dir = await mkdtemp(join(tmpdir(), "probe-cold-"));
  // Hooks in the child that name every module it loads on stderr: imports (a resolve hook) and require() calls.
  await writeFile(join(dir, "hook.mjs"), 'export async function resolve(s, c, next) { const r = await next(s, c); console.error("LOADED " + r.url); return r; }\n');
  await writeFile(
    join(dir, "register.mjs"),
    [
      'import { createRequire, register } from "node:module";',
      'import { pathToFileURL } from "node:url";',
      `register(${JSON.stringify(pathToFileURL(join(dir, "hook.mjs")).href)});`,
      'const Module = createRequire(import.meta.url)("node:module");',
      "const load = Module._load;",
      "Module._load = function (request, parent, isMain) {",
      "  const r = load.call(this, request, parent, isMain);",
      '  let where = request; try { where = Module.isBuiltin(request) ? "node:" + request.replace(/^node:/, "") : pathToFileURL(Module._resolveFilename(request, parent)).href; } catch {}',
      '  console.error("LOADED " + where);',
      "  return r;",
      "};",
      "",
    ].join("\n"),
  );
  [healthy, faulty] = await Promise.all([startPop3Peer("healthy", { password: SECRET }), startPop3Peer("exchange55-privilege", { password: SECRET })]);
});
afterAll(async () => {
  await Promise.all([healthy?.stop(), faulty?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

async function loaded(peer: RunningPeer, cwd: string, env: NodeJS.ProcessEnv = { LAB_PW: SECRET }): Promise<{ code: number | null; out: string; urls: string[] }> {
  const args = ["-H", peer.host, "-p", String(peer.port), "--user", "probe", "--password-env", "LAB_PW", "--format", "nagios"];
  const r = await runProbeCli(args, { PROBE_HOSTS_FILE: join(dir, "none.yml"), NODE_OPTIONS: `--import=${pathToFileURL(join(dir, "register.mjs")).href}`, ...env }, cwd);
  return { code: r.code, out: r.out, urls: [...new Set([...r.err.matchAll(/^LOADED (\S+)/gm)].map((m) => m[1]!))] };
}
const packages = (urls: string[]) => [...new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []))];
const ours = (urls: string[]) => urls.flatMap((u) => /\/dist\/src\/(.+)\.js$/.exec(u)?.[1] ?? []);

describe("what a probe loads", () => {
  it("a healthy plain check: no package, and only the probe's own modules", async () => {
    const r = await loaded(healthy, dir);
    expect(r.code, r.out).toBe(0);
    // The hook ran: the probe's own modules are listed, so the empty lists below cannot pass by accident.
    expect(ours(r.urls)).toEqual(expect.arrayContaining(["cli/probe", "probe/engine", "probe/protocols/pop3", "render/nagios"]));
    expect(packages(r.urls)).toEqual([]);
    const unwanted = ours(r.urls).filter((m) => /^(slack|knowledge\/load|knowledge\/parse|match|local\/(?!advert)|render\/text|cli\/help)|protocols\/(imap|smtp)$|oauth\/(token|claims)/.test(m));
    expect(unwanted).toEqual([]);
    expect(r.urls.filter((u) => /^node:(tls|https|http|crypto|dns|perf_hooks)/.test(u))).toEqual([]);
  });

  it("a .env in the working directory is read (dotenv loads only then)", async () => {
    const withEnv = await mkdtemp(join(tmpdir(), "probe-cold-env-"));
    try {
      await writeFile(join(withEnv, ".env"), `LAB_PW=${SECRET}\n`);
      const r = await loaded(healthy, withEnv, {});
      expect(r.code, r.out).toBe(0);
      expect(packages(r.urls)).toEqual(["dotenv"]);
    } finally {
      await rm(withEnv, { recursive: true, force: true });
    }
  });

  it("a fault loads the knowledge base, to name the article", async () => {
    const r = await loaded(faulty, dir, { LAB_PW: SECRET, KNOWLEDGE_DIR: join(process.cwd(), "test/fixtures/knowledge") });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/Q171435/);
    expect(ours(r.urls)).toContain("knowledge/load");
  });
});
