// Local mode tells a terminal in the same folder which lab hosts it started, so `exchange-bot probe NAME`
// finds them: a small file, readable only by its owner, removed when local mode stops. The lab password in
// it is this run's throwaway password for servers on 127.0.0.1, never a real account's.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { NamedHost } from "../probe/types.js";

export const ADVERT_FILE = join(".exchange-bot", "local-mode.json");

export interface LocalAdvert {
  pid: number;
  url: string;
  hosts: NamedHost[];
  /** passwordEnv name to the lab password, for the hosts above. */
  passwords: Record<string, string>;
}

export function writeAdvert(cwd: string, a: LocalAdvert): () => void {
  const file = join(cwd, ADVERT_FILE);
  mkdirSync(join(cwd, ".exchange-bot"), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(a, null, 2), { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The advert of a local mode running from `cwd`, if there is one and its process still runs. */
export function readAdvert(cwd: string): LocalAdvert | undefined {
  let raw: string;
  try {
    raw = readFileSync(join(cwd, ADVERT_FILE), "utf8");
  } catch {
    return undefined;
  }
  try {
    const a = JSON.parse(raw) as LocalAdvert;
    if (!Number.isInteger(a.pid) || !Array.isArray(a.hosts) || typeof a.passwords !== "object" || !a.passwords) return undefined;
    return alive(a.pid) ? a : undefined;
  } catch {
    return undefined;
  }
}
