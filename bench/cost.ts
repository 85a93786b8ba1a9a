// What one monitoring check costs the machine (issue 24 item 11): CPU time (user + system) and peak RSS of a
// healthy `exchange-bot probe --format nagios`, beside check_pop (Monitoring Plugins) and `node -e 0`, each a
// fresh process against the same healthy POP3 peer in a process of its own. Measured with GNU time
// (/usr/bin/time, Debian package `time`); check_pop is /usr/lib/nagios/plugins/check_pop (monitoring-plugins-basic).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../src/paths.js";
import { percentile } from "../testkit/stats.js";

const RUNS = 21;
const PASSWORD = "bench-password";
const GNU_TIME = "/usr/bin/time";
const CHECK_POP = "/usr/lib/nagios/plugins/check_pop";
/** The aim for a healthy check. */
const AIM = { cpuS: 0.12, rssMiB: 40 };

interface Sample {
  cpuS: number;
  rssMiB: number;
}

/** One fresh process under GNU time: its CPU seconds (user + system) and peak RSS; it must exit 0. */
async function measure(cmd: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Sample> {
  const out = join(cwd, "time.txt");
  const child = spawn(GNU_TIME, ["-o", out, "-f", "%U %S %M", ...cmd], { stdio: "ignore", env, cwd });
  const [code] = (await once(child, "close")) as [number | null];
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited ${code}`);
  const [user, sys, kib] = readFileSync(out, "utf8").trim().split(/\s+/).slice(-3).map(Number);
  return { cpuS: user! + sys!, rssMiB: kib! / 1024 };
}

export async function run(): Promise<void> {
  if (!existsSync(GNU_TIME)) return void console.log(`${GNU_TIME} is missing (apt-get install time): cost not measured.`);
  const haveCheckPop = existsSync(CHECK_POP);
  const child = spawn(process.execPath, [join(PROJECT_ROOT, ".bench/bench/peer-process.js")], { env: { ...process.env, BENCH_PEER_PASSWORD: PASSWORD }, stdio: ["pipe", "pipe", "inherit"] });
  const [first] = (await once(child.stdout, "data")) as [Buffer];
  const port = String((JSON.parse(first.toString("utf8")) as { pop3: number }).pop3);
  const dir = mkdtempSync(join(tmpdir(), "bench-cost-"));
  // Run from an empty folder (no hosts file, no .env), as a monitoring daemon runs it; the audit line goes there too.
  const env = { ...process.env, PROBE_HOSTS_FILE: join(dir, "none.yml"), DATA_DIR: dir, BENCH_PW: PASSWORD };
  const bin = join(PROJECT_ROOT, "bin/exchange-bot.js");
  const rows: Array<{ name: string; cmd: string[] }> = [
    { name: "`node -e 0`", cmd: [process.execPath, "-e", "0"] },
    ...(haveCheckPop ? [{ name: "`check_pop -H 127.0.0.1 -p PORT` (greeting, QUIT)", cmd: [CHECK_POP, "-H", "127.0.0.1", "-p", port] }] : []),
    { name: "`probe -H 127.0.0.1 -p PORT --format nagios` (greeting, CAPA, QUIT)", cmd: [process.execPath, bin, "probe", "-H", "127.0.0.1", "-p", port, "--format", "nagios"] },
    { name: "`probe ... --user probe --password-env VAR --format nagios` (logs on: USER, PASS, STAT)", cmd: [process.execPath, bin, "probe", "-H", "127.0.0.1", "-p", port, "--user", "probe", "--password-env", "BENCH_PW", "--format", "nagios"] },
  ];
  const samples = rows.map(() => [] as Sample[]);
  try {
    // Interleaved, so machine noise hits every command alike.
    for (let i = 0; i < RUNS; i++) for (const [k, r] of rows.entries()) samples[k]!.push(await measure(r.cmd, env, dir));
  } finally {
    child.stdin.end();
    if (child.exitCode === null) await once(child, "exit");
    rmSync(dir, { recursive: true, force: true });
  }
  const med = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
  console.log(`\nOne healthy check, a fresh process each, median of ${RUNS} (GNU time: user + system CPU, peak RSS), from an empty folder:\n`);
  console.log("| command | CPU s (median) | CPU s (max) | peak RSS MiB (median) |");
  console.log("|---|---:|---:|---:|");
  for (const [k, r] of rows.entries()) {
    const s = samples[k]!;
    console.log(`| ${r.name} | ${med(s.map((x) => x.cpuS)).toFixed(3)} | ${Math.max(...s.map((x) => x.cpuS)).toFixed(3)} | ${med(s.map((x) => x.rssMiB)).toFixed(1)} |`);
  }
  const logon = samples[samples.length - 1]!;
  const cpu = med(logon.map((x) => x.cpuS));
  const rss = med(logon.map((x) => x.rssMiB));
  console.log(`\nAim for a healthy check (logging on): ${AIM.cpuS} s CPU ${cpu <= AIM.cpuS ? "(met)" : "(MISSED)"}, ${AIM.rssMiB} MiB ${rss <= AIM.rssMiB ? "(met)" : "(MISSED)"}.`);
  if (!haveCheckPop) console.log(`(${CHECK_POP} is missing: apt-get install monitoring-plugins-basic to measure it beside.)`);
}
