// Client-credentials tokens from msal-node: one ConfidentialClientApplication per authority+tenant+clientId, kept
// in this process only (msal's in-memory cache serves a token again until shortly before it expires); never in
// Redis, never logged. The secret and the token reach the caller only to be sent and masked.
import { readFile } from "node:fs/promises";
import type { OAuth2Config } from "../types.js";

export const DEFAULT_AUTHORITY = "https://login.microsoftonline.com";
export const DEFAULT_SCOPE = "https://outlook.office365.com/.default";
/** A cached token closer than this to its expiry is not used: a new one is fetched (the five minutes). */
const REFRESH_BEFORE_MS = 5 * 60_000;

type Msal = typeof import("@azure/msal-node");
type Client = InstanceType<Msal["ConfidentialClientApplication"]>;
const clients = new Map<string, Promise<Client>>();

export type TokenOutcome = { ok: true; token: string; expiresOn?: Date } | { ok: false; message: string; aadsts?: string };

function authorityUrl(c: OAuth2Config): string {
  return `${(c.authority ?? DEFAULT_AUTHORITY).replace(/\/+$/, "")}/${c.tenant}`;
}

async function makeClient(c: OAuth2Config, secret: string | undefined): Promise<Client> {
  const msal: Msal = await import("@azure/msal-node");
  const authority = authorityUrl(c);
  // knownAuthorities lets msal trust an authority it does not know (national clouds, a lab) without instance discovery.
  const auth: import("@azure/msal-node").NodeAuthOptions = { clientId: c.clientId, authority, knownAuthorities: [new URL(authority).host] };
  if (c.certificateFile !== undefined && c.certificateThumbprint !== undefined) {
    const privateKey = await readFile(c.certificateFile, "utf8");
    auth.clientCertificate = { thumbprintSha256: c.certificateThumbprint, privateKey };
  } else {
    auth.clientSecret = secret ?? "";
  }
  return new msal.ConfidentialClientApplication({ auth, system: { loggerOptions: { piiLoggingEnabled: false, loggerCallback: () => {} } } });
}

/**
 * msal reports a failed OpenID discovery as endpoints_resolution_error without the body; Entra's body holds the
 * AADSTS code (AADSTS90002 for no such tenant), so ask once more and read it. Resolves "" when there is none.
 */
async function discoveryError(c: OAuth2Config): Promise<string> {
  // Loaded here, not at start-up: only an OAuth probe whose discovery failed needs it.
  const { get } = await import("node:https");
  return new Promise((resolve) => {
    const req = get(`${authorityUrl(c)}/v2.0/.well-known/openid-configuration`, { timeout: 5000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body = (body + d).slice(0, 8192)));
      res.on("end", () => resolve(/AADSTS\d+[^"]*/.exec(body)?.[0] ?? ""));
    });
    req.on("error", () => resolve(""));
    req.on("timeout", () => req.destroy());
  });
}

/** Gets a token for the config; the secret is what clientSecretEnv held. Never throws. */
export async function acquireToken(c: OAuth2Config, secret: string | undefined): Promise<TokenOutcome> {
  const key = `${authorityUrl(c)}\n${c.clientId}\n${c.certificateThumbprint ?? ""}`;
  try {
    let client = clients.get(key);
    if (!client) {
      client = makeClient(c, secret);
      clients.set(key, client);
      client.catch(() => clients.delete(key));
    }
    const app = await client;
    const scopes = [c.scope ?? DEFAULT_SCOPE];
    let r = await app.acquireTokenByClientCredential({ scopes });
    if (r?.expiresOn && r.expiresOn.getTime() - Date.now() < REFRESH_BEFORE_MS) r = await app.acquireTokenByClientCredential({ scopes, skipCache: true });
    if (!r?.accessToken) return { ok: false, message: "the token endpoint returned no access token" };
    return r.expiresOn ? { ok: true, token: r.accessToken, expiresOn: r.expiresOn } : { ok: true, token: r.accessToken };
  } catch (err) {
    let text = err instanceof Error ? `${err.message} ${(err as { errorMessage?: string }).errorMessage ?? ""}` : String(err);
    if (text.includes("endpoints_resolution_error")) text = `${await discoveryError(c)} ${text}`;
    const code = /AADSTS(\d+)/.exec(text);
    return code ? { ok: false, message: text.trim(), aadsts: `AADSTS${code[1]}` } : { ok: false, message: text.trim() };
  }
}
