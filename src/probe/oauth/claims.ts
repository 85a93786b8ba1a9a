// What an admin needs to know about a refused token: its claims decoded WITHOUT verification (we only read them to
// explain), and what Entra's AADSTS codes mean. Nothing here sees the token again after decoding.
import type { Protocol } from "../types.js";

export const ROLE_FOR: Record<Protocol, string> = { pop3: "POP.AccessAsApp", imap: "IMAP.AccessAsApp", smtp: "SMTP.SendAsApp" };
const AUDIENCE = "https://outlook.office365.com";
const AUDIENCE_ID = "00000002-0000-0ff1-ce00-000000000000";

export interface Claims {
  aud?: string;
  roles?: string[];
  exp?: number;
  tid?: string;
  appid?: string;
}

/** Decodes a JWT's payload; undefined when it is not one (the diagnosis then says so). */
export function decodeClaims(token: string): Claims | undefined {
  const part = token.split(".")[1];
  if (!part) return undefined;
  try {
    const data = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
    const c: Claims = {};
    if (typeof data.aud === "string") c.aud = data.aud;
    if (Array.isArray(data.roles)) c.roles = data.roles.filter((r): r is string => typeof r === "string");
    if (typeof data.exp === "number") c.exp = data.exp;
    if (typeof data.tid === "string") c.tid = data.tid;
    if (typeof data.appid === "string") c.appid = data.appid;
    return c;
  } catch {
    return undefined;
  }
}

/** Findings for a token the server refused: the token's own faults first, then the Exchange-side causes in order. */
export function refusedTokenFindings(token: string, protocol: Protocol, nowMs = Date.now()): string[] {
  const out: string[] = [];
  const role = ROLE_FOR[protocol];
  const c = decodeClaims(token);
  if (!c) out.push("the access token is not a JWT: its claims could not be read");
  else {
    if (c.aud !== undefined && c.aud.replace(/\/+$/, "") !== AUDIENCE && c.aud !== AUDIENCE_ID)
      out.push(`token audience is ${c.aud}, not ${AUDIENCE}: request the scope https://outlook.office365.com/.default`);
    if (!c.roles?.includes(role)) out.push(`token lacks the role ${role} (roles: ${c.roles?.join(" ") || "none"}): add the application permission ${role} and grant admin consent`);
    if (c.exp !== undefined && c.exp * 1000 <= nowMs) out.push(`token expired at ${new Date(c.exp * 1000).toISOString()}`);
  }
  out.push(
    "Exchange side, in order: the service principal registered with New-ServicePrincipal using the enterprise application's Object ID (not the app registration's)",
    "the mailbox permission: Add-MailboxPermission -Identity <mailbox> -User <service principal> -AccessRights FullAccess (SMTP: the SendAs right)",
    protocol === "smtp" ? "SMTP AUTH enabled for the mailbox (Get-CASMailbox <mailbox> | Format-List SmtpClientAuthenticationDisabled)" : `${protocol === "pop3" ? "POP" : "IMAP"} enabled for the mailbox (Get-CASMailbox <mailbox>)`,
  );
  return out;
}

const AADSTS_MEANING: Record<string, string> = {
  AADSTS7000215: "invalid client secret: the secret is wrong or was copied as its ID rather than its value",
  AADSTS7000222: "the client secret has expired: create a new one",
  AADSTS700016: "no application with that client id in this tenant: check clientId and tenant, or the app was not consented there",
  AADSTS90002: "no such tenant: check the tenant name or id",
  AADSTS700027: "the client certificate's signature was not accepted: check certificateThumbprint and the uploaded certificate",
  AADSTS1002012: "the scope is not valid for client credentials: it must end in /.default",
};

/** One line on a refusal from the token endpoint, quoting the AADSTS code when there is one. */
export function tokenRefusal(aadsts: string | undefined, message: string): string {
  if (aadsts === undefined) return `token endpoint refused or unreachable: ${message}`;
  return `token endpoint refused: ${aadsts} ${AADSTS_MEANING[aadsts] ?? "(see the AADSTS error code reference)"}`;
}
