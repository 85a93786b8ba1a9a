// Validation of a parsed probe hosts file (zod), loaded only when a hosts file exists: every problem names the
// entry (index and name) and the field.
import { isIP } from "node:net";
import { dirname, resolve as resolvePath } from "node:path";
import { z } from "zod";
import { ProbeHostsError } from "./hosts-error.js";
import { bareHost, defaultPort } from "./ports.js";
import type { NamedHost } from "./types.js";
import { hasControlChars, MAIL_ADDRESS } from "../net-names.js";

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

// Slack ids as Slack writes them: channels C… (G… for old private channels), users U… or W…, user groups S….
const slackIds = (re: RegExp, what: string) => z.array(z.string().regex(re, `must be ${what}`)).min(1, "must list at least one id (or leave the list out)");
const Allow = z
  .strictObject({
    channels: slackIds(/^[CG][A-Z0-9]{2,20}$/, "a Slack channel id such as C0123ABCD"),
    users: slackIds(/^[UW][A-Z0-9]{2,20}$/, "a Slack user id such as U0123ABCD"),
    usergroups: slackIds(/^S[A-Z0-9]{2,20}$/, "a Slack user group id such as S0123ABCD"),
  })
  .partial()
  .refine((a) => a.channels !== undefined || a.users !== undefined || a.usergroups !== undefined, "needs channels, users or usergroups (or leave allow out: then everyone may probe)");

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const OAuth2 = z
  .strictObject({
    tenant: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/, "must be a tenant name such as contoso.onmicrosoft.com or a tenant id"),
    clientId: z.string().regex(/^[0-9a-fA-F-]{36}$/, "must be the application (client) id, a GUID"),
    clientSecretEnv: z.string().regex(ENV_NAME, "must be an environment variable name such as PROBE_EXO_SECRET").optional(),
    certificateFile: z.string().min(1).max(4096).optional(),
    certificateThumbprint: z.string().regex(/^[0-9a-fA-F]{40,64}$/, "must be the certificate thumbprint in hex").optional(),
    authority: z.url({ protocol: /^https$/ }).optional(),
    scope: z.string().min(1).max(512).optional(),
  })
  .refine((o) => (o.clientSecretEnv !== undefined) !== (o.certificateFile !== undefined), "needs clientSecretEnv, or certificateFile with certificateThumbprint (one of the two)")
  .refine((o) => (o.certificateFile === undefined) === (o.certificateThumbprint === undefined), "certificateFile and certificateThumbprint go together");

const HostEntry = z.strictObject({
  // Names travel in Slack button values and audit lines: keep them plain.
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"),
  host: z
    .string()
    .refine((h) => isIP(bareHost(h)) !== 0 || HOSTNAME.test(h), "must be a host name or an IP address"),
  port: z.number().int().min(1, "must be 1-65535").max(65535, "must be 1-65535").optional(),
  tls: z.enum(["none", "starttls", "implicit"]).default("none"),
  user: z
    .string()
    .min(1)
    .max(256)
    .refine((u) => !hasControlChars(u), "must not contain control characters")
    .optional(),
  passwordEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name such as PROBE_LAB_PASSWORD")
    .optional(),
  tlsInsecure: z.boolean().default(false),
  protocol: z.enum(["pop3", "smtp", "imap"]).default("pop3"),
  // SMTP envelope: one address each, no brackets (the probe adds them).
  mailFrom: z.string().regex(MAIL_ADDRESS, "must be one address such as probe@example.com").optional(),
  rcptTo: z.string().regex(MAIL_ADDRESS, "must be one address such as postmaster@example.com").optional(),
  // PEM file of a private CA that signs this host's certificate.
  ca: z.string().min(1).max(4096).optional(),
  allow: Allow.optional(),
  oauth2: OAuth2.optional(),
});

const HostsFile = z.strictObject({ hosts: z.array(z.unknown()) });

function describe(entry: unknown, i: number): string {
  const name = entry && typeof entry === "object" && "name" in entry && typeof entry.name === "string" ? ` (${JSON.stringify(entry.name.slice(0, 64))})` : "";
  return `hosts[${i}]${name}`;
}

/** Validates parsed YAML; every problem names the entry (index and name) and the field. */
export function parseProbeHosts(data: unknown, file: string): NamedHost[] {
  const problems: string[] = [];
  const top = HostsFile.safeParse(data);
  if (!top.success) {
    throw new ProbeHostsError(`${file}: ${top.error.issues.map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`).join("; ")} (expected "hosts:" with a list of entries)`, "invalid");
  }
  const hosts: NamedHost[] = [];
  const seen = new Map<string, number>();
  top.data.hosts.forEach((entry, i) => {
    const r = HostEntry.safeParse(entry);
    if (!r.success) {
      for (const issue of r.error.issues) problems.push(`${describe(entry, i)}: ${issue.path.map(String).join(".") || "(entry)"}: ${issue.message}`);
      return;
    }
    const e = r.data;
    if (e.oauth2 !== undefined && e.user === undefined) problems.push(`${describe(entry, i)}: user: required with oauth2 (the mailbox the app may open)`);
    if (e.oauth2 !== undefined && e.passwordEnv !== undefined) problems.push(`${describe(entry, i)}: passwordEnv: not with oauth2 (the logon uses the token)`);
    if (e.user !== undefined && e.passwordEnv === undefined && e.oauth2 === undefined) problems.push(`${describe(entry, i)}: passwordEnv: required when user is set (the password comes from that variable)`);
    if (e.passwordEnv !== undefined && e.user === undefined) problems.push(`${describe(entry, i)}: user: required when passwordEnv is set`);
    const before = seen.get(e.name.toLowerCase());
    if (before !== undefined) problems.push(`${describe(entry, i)}: name: duplicate of hosts[${before}]`);
    seen.set(e.name.toLowerCase(), i);
    if ((e.mailFrom !== undefined || e.rcptTo !== undefined) && e.protocol !== "smtp") problems.push(`${describe(entry, i)}: mailFrom/rcptTo: only for protocol: smtp`);
    const host: NamedHost = { name: e.name, host: e.host, port: e.port ?? defaultPort(e.protocol, e.tls), tls: e.tls, tlsInsecure: e.tlsInsecure, protocol: e.protocol };
    if (e.user !== undefined) host.user = e.user;
    if (e.passwordEnv !== undefined) host.passwordEnv = e.passwordEnv;
    if (e.mailFrom !== undefined) host.mailFrom = e.mailFrom;
    if (e.rcptTo !== undefined) host.rcptTo = e.rcptTo;
    // A relative CA path is relative to the hosts file, as people write it next to the file.
    if (e.ca !== undefined) host.ca = resolvePath(dirname(file), e.ca);
    if (e.oauth2 !== undefined) {
      const { certificateFile, ...rest } = e.oauth2;
      host.oauth2 = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as NamedHost["oauth2"] & object;
      if (certificateFile !== undefined) host.oauth2.certificateFile = resolvePath(dirname(file), certificateFile);
    }
    if (e.allow !== undefined) {
      const { channels, users, usergroups } = e.allow;
      host.allow = { ...(channels ? { channels } : {}), ...(users ? { users } : {}), ...(usergroups ? { usergroups } : {}) };
    }
    hosts.push(host);
  });
  if (problems.length === 1) throw new ProbeHostsError(`${file}: ${problems[0]}`, "invalid");
  if (problems.length > 1) throw new ProbeHostsError(`${file}: ${problems.length} problems:\n  ${problems.join("\n  ")}`, "invalid");
  return hosts;
}
