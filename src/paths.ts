// Where things are: the project folder, the default knowledge folder and probe hosts file, and the one
// reader of the path settings (KNOWLEDGE_DIR, PROBE_HOSTS_FILE) that every subcommand and mode uses.
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project folder, whether running from src/ (tests) or dist/src/ (built). */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "knowledge"))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export const PROJECT_ROOT = findRoot();

/** The shipped knowledge base, used when KNOWLEDGE_DIR is not set. */
export const DEFAULT_KNOWLEDGE_DIR = join(PROJECT_ROOT, "knowledge");

/** The probe hosts file looked for in the working directory when PROBE_HOSTS_FILE is not set. */
export const DEFAULT_PROBE_HOSTS_FILE = "probe-hosts.yml";

export interface Paths {
  /** Absolute folder of knowledge articles. */
  knowledgeDir: string;
  /** Absolute path of the probe hosts file. */
  probeHostsFile: string;
  /** True when PROBE_HOSTS_FILE was set: then a missing file is an error, not "no hosts yet". */
  probeHostsFileSet: boolean;
  /** Absolute folder of the feedback trail (DATA_DIR, default ./data). */
  dataDir: string;
}

/** An environment variable, trimmed; unset or blank is undefined. */
export function envSetting(env: Record<string, string | undefined>, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** Where votes, probe outcomes and answers are kept when DATA_DIR is not set, relative to the working directory. */
export const DEFAULT_DATA_DIR = "data";

/** Reads KNOWLEDGE_DIR, PROBE_HOSTS_FILE and DATA_DIR (relative to `cwd`), with the defaults above. */
export function readPaths(env: Record<string, string | undefined>, cwd: string): Paths {
  const hosts = envSetting(env, "PROBE_HOSTS_FILE");
  const knowledge = envSetting(env, "KNOWLEDGE_DIR");
  return {
    knowledgeDir: knowledge ? resolve(cwd, knowledge) : DEFAULT_KNOWLEDGE_DIR,
    probeHostsFile: hosts ? (isAbsolute(hosts) ? hosts : resolve(cwd, hosts)) : resolve(cwd, DEFAULT_PROBE_HOSTS_FILE),
    probeHostsFileSet: hosts !== undefined,
    dataDir: resolve(cwd, envSetting(env, "DATA_DIR") ?? DEFAULT_DATA_DIR),
  };
}
