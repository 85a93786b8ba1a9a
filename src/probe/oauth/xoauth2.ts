// The XOAUTH2 step shared by the three protocol scripts: fetch the token as a step of its own, build Microsoft's
// SASL string, and register both as secrets so every output masks them.
import type { Session } from "../engine.js";
import { StepFailure } from "../step-failure.js";

/** base64("user=" + UPN + "\x01auth=Bearer " + token + "\x01\x01"), as Microsoft documents it. */
export function xoauth2String(user: string, token: string): string {
  return Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`, "utf8").toString("base64");
}

export interface Xoauth2 {
  blob: string;
  /** Call when the server refused the logon: adds what the token's claims and the Exchange side suggest. */
  refused(): void;
}

/** Runs the "token" step; undefined when the entry has no oauth2. Throws StepFailure when no token came. */
export async function xoauth2Logon(s: Session): Promise<Xoauth2 | undefined> {
  const { oauth2, oauth2Secret, user } = s.target;
  if (oauth2 === undefined || user === undefined) return undefined;
  // Loaded only for an OAuth probe: a password or plain check never reads them.
  const [{ acquireToken }, { refusedTokenFindings, tokenRefusal }] = await Promise.all([import("./token.js"), import("./claims.js")]);
  s.addSecret(oauth2Secret ?? "");
  if (oauth2.certificateFile === undefined && !oauth2Secret) s.refuse("token", `the client secret variable ${oauth2.clientSecretEnv ?? "(none)"} is not set`);
  let token = "";
  await s.step("token", async () => {
    const r = await acquireToken(oauth2, oauth2Secret);
    if (!r.ok) {
      const line = tokenRefusal(r.aadsts, r.message);
      s.finding(line);
      throw new StepFailure(line);
    }
    token = r.token;
    s.addSecret(token);
    return `token for ${oauth2.clientId} from ${oauth2.authority ?? "login.microsoftonline.com"}${r.expiresOn ? `, expires ${r.expiresOn.toISOString()}` : ""}`;
  });
  const blob = xoauth2String(user, token);
  s.addSecret(blob);
  return { blob, refused: () => refusedTokenFindings(token, s.protocol).forEach((f) => s.finding(f)) };
}
