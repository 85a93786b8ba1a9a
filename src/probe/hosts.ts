// The probe hosts file (PROBE_HOSTS_FILE): the only hosts Slack may probe. A broken file is a start-up error naming entry and field.
import { readTextFile } from "../text-file.js";
import { ProbeHostsError } from "./hosts-error.js";
import type { NamedHost, ProbeTarget } from "./types.js";

export { ProbeHostsError } from "./hosts-error.js";

const MAX_FILE_BYTES = 256 * 1024;

/** Reads and validates the probe hosts file. Throws ProbeHostsError (reason "missing" or "invalid"). */
export async function loadProbeHosts(file: string): Promise<NamedHost[]> {
  const read = readTextFile(file, MAX_FILE_BYTES, "YAML");
  if ("problem" in read) {
    if (read.problem.reason === "missing") throw new ProbeHostsError(`${file}: no probe hosts file (copy probe-hosts.example.yml there, or set PROBE_HOSTS_FILE)`, "missing");
    throw new ProbeHostsError(`${file}: ${read.problem.message}`, "invalid");
  }
  // YAML and zod load only now: a terminal probe of a typed host never pays for them.
  const { parseYamlText } = await import("../yaml-text.js");
  const yaml = parseYamlText(read.text);
  if ("error" in yaml) throw new ProbeHostsError(`${file}: ${yaml.error}`, "invalid");
  const { parseProbeHosts } = await import("./hosts-schema.js");
  return parseProbeHosts(yaml.data, file);
}

export function findHost(hosts: readonly NamedHost[], name: string): NamedHost | undefined {
  const want = name.toLowerCase();
  return hosts.find((h) => h.name.toLowerCase() === want);
}

/** The target for one run: the password is read from the environment now, never stored with the host. */
export function targetFromNamedHost(host: NamedHost, env: NodeJS.ProcessEnv = process.env): ProbeTarget {
  const t: ProbeTarget = { name: host.name, host: host.host, port: host.port, tls: host.tls, tlsInsecure: host.tlsInsecure, protocol: host.protocol ?? "pop3" };
  if (host.user !== undefined) t.user = host.user;
  if (host.mailFrom !== undefined) t.mailFrom = host.mailFrom;
  if (host.rcptTo !== undefined) t.rcptTo = host.rcptTo;
  if (host.ca !== undefined) t.ca = host.ca;
  if (host.oauth2 !== undefined) {
    t.oauth2 = host.oauth2;
    const secret = host.oauth2.clientSecretEnv === undefined ? undefined : env[host.oauth2.clientSecretEnv];
    if (secret !== undefined && secret !== "") t.oauth2Secret = secret;
  }
  if (host.passwordEnv !== undefined) {
    t.passwordEnv = host.passwordEnv;
    const pw = env[host.passwordEnv];
    if (pw !== undefined && pw !== "") t.password = pw;
  }
  return t;
}
