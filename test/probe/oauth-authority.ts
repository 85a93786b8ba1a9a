// A stand-in for Entra ID on loopback: an HTTPS authority (OpenID configuration and the v2.0 token endpoint) that
// msal-node talks to, and a plain HTTP introspection endpoint Dovecot's passdb oauth2 asks about each token.
// Tokens are unsigned-looking JWTs (header.payload.sig): the probe only decodes them, Dovecot only introspects them.
import { createServer as createHttp, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttps } from "node:https";
import type { AddressInfo } from "node:net";
import { makeCert, type TestCert } from "./certs.js";

export interface AppRegistration {
  tenant: string;
  clientId: string;
  secret: string;
  /** The application permissions granted (roles claim). */
  roles: string[];
}

export interface Authority {
  /** https://127.0.0.1:PORT: the hosts entry's `authority`. */
  url: string;
  /** PEM file to pass as NODE_EXTRA_CA_CERTS to the process that runs msal. */
  caFile: string;
  /** http://127.0.0.1:PORT/introspect, for Dovecot. */
  introspectionUrl: string;
  /** Token requests served, to show msal's cache at work. */
  tokenRequests: number;
  /** Tokens issued, for the no-secret checks. */
  issued: string[];
  stop(): Promise<void>;
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

function body(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve) => {
    let data = "";
    req.on("data", (d: Buffer) => (data += d.toString()));
    req.on("end", () => resolve(new URLSearchParams(data)));
  });
}

function claimsOf(token: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** `mailboxUser` is the name Dovecot knows; `acceptRole` the role a token needs to be active. */
export async function startAuthority(apps: AppRegistration[], mailboxUser: string, acceptRole: string[]): Promise<Authority> {
  const cert: TestCert = await makeCert();
  const state = { tokenRequests: 0, issued: [] as string[] };
  const https = createHttps({ cert: cert.cert, key: cert.key }, async (req, res) => {
    const url = new URL(req.url ?? "/", "https://x");
    const [, tenant] = url.pathname.split("/");
    const base = `https://127.0.0.1:${(https.address() as AddressInfo).port}/${tenant}`;
    const json = (code: number, o: unknown) => res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(o));
    const known = apps.some((a) => a.tenant === tenant);
    if (url.pathname.endsWith("/.well-known/openid-configuration")) {
      if (!known) return json(400, { error: "invalid_tenant", error_description: `AADSTS90002: Tenant '${tenant}' not found.`, error_codes: [90002] });
      return json(200, { token_endpoint: `${base}/oauth2/v2.0/token`, authorization_endpoint: `${base}/oauth2/v2.0/authorize`, end_session_endpoint: `${base}/oauth2/v2.0/logout`, issuer: `${base}/v2.0`, jwks_uri: `${base}/discovery/v2.0/keys` });
    }
    if (url.pathname.endsWith("/oauth2/v2.0/token") && req.method === "POST") {
      state.tokenRequests++;
      const form = await body(req);
      const app = apps.find((a) => a.tenant === tenant && a.clientId === form.get("client_id"));
      if (!app) return json(400, { error: "unauthorized_client", error_description: `AADSTS700016: Application with identifier '${form.get("client_id")}' was not found in the directory '${tenant}'.`, error_codes: [700016] });
      if (form.get("client_secret") !== app.secret) return json(401, { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided.", error_codes: [7000215] });
      const now = Math.floor(Date.now() / 1000);
      const token = `${b64url({ typ: "JWT", alg: "RS256" })}.${b64url({ aud: "https://outlook.office365.com", roles: app.roles, tid: tenant, appid: app.clientId, iat: now, exp: now + 3600 })}.c2ln`;
      state.issued.push(token);
      return json(200, { token_type: "Bearer", expires_in: 3600, ext_expires_in: 3600, access_token: token });
    }
    json(404, { error: "not_found" });
  });
  // Dovecot's introspection_mode = post sends token=...; a token is active when it carries one of the roles.
  const http: Server = createHttp(async (req, res) => {
    const claims = claimsOf((await body(req)).get("token") ?? "");
    const roles = Array.isArray(claims?.roles) ? (claims.roles as string[]) : [];
    const active = roles.some((r) => acceptRole.includes(r));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(active ? { active: "true", username: mailboxUser } : { active: "false" }));
  });
  await Promise.all([new Promise<void>((r) => https.listen(0, "127.0.0.1", r)), new Promise<void>((r) => http.listen(0, "127.0.0.1", r))]);
  return {
    url: `https://127.0.0.1:${(https.address() as AddressInfo).port}`,
    caFile: cert.certFile,
    introspectionUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}/introspect`,
    get tokenRequests() {
      return state.tokenRequests;
    },
    issued: state.issued,
    async stop() {
      https.closeAllConnections();
      http.closeAllConnections();
      await Promise.all([new Promise((r) => https.close(r)), new Promise((r) => http.close(r))]);
      await cert.cleanup();
    },
  };
}
