// Clear-text credentials in pastes are found by kind; placeholders and ordinary error text are not.
import { describe, expect, it } from "vitest";
import { findCredentials } from "../../src/secrets/credentials.js";

const b64 = (s: string): string => Buffer.from(s, "latin1").toString("base64");

describe("findCredentials", () => {
  it.each([
    ["a telnet PASS line", "USER ana\n+OK\nPASS s3cret!\n-ERR Logon failure", "pass-line"],
    ["a transcript's C: PASS line", "C: USER ana\nC: PASS hunter22", "pass-line"],
    ["an IMAP LOGIN", 'a1 LOGIN ana "correct horse"', "imap-login"],
    ["AUTH PLAIN data", `AUTH PLAIN ${b64("\0ana\0s3cret!")}`, "auth-data"],
    ["AUTH LOGIN's password line", `AUTH LOGIN\n334 VXNlcm5hbWU6\n${b64("ana")}\n334 UGFzc3dvcmQ6\n${b64("s3cret!")}`, "auth-data"],
    ["a password= setting, Slack-escaped", "Server=mail;User=ana;Password=s3cret!&amp;x", "setting"],
    ["pwd: in a config line", "pwd: Winter2026", "setting"],
    ["ConvertTo-SecureString -AsPlainText", '$p = ConvertTo-SecureString "P@ssw0rd1" -AsPlainText -Force', "powershell"],
    ["-Password with a literal", "Set-Thing -Password 'P@ssw0rd1'", "powershell"],
  ])("finds %s", (_name, text, kind) => {
    expect(findCredentials(text)).toContain(kind);
  });

  it.each([
    ["a masked PASS", "PASS ********"],
    ["a placeholder PASS", "PASS <password>"],
    ["the word in an error", "Logon failure: unknown user name or bad password."],
    ["Event Viewer text", "Event ID: 11202\nHrLookupCredentials() call failed with error: A required privilege is not held by the client."],
    ["a password read from a variable", "Password=$env:PROBE_PW"],
    ["AUTH PLAIN with no password", `AUTH PLAIN ${b64("\0ana\0")}`],
    ["a redacted setting", "password=REDACTED"],
  ])("leaves %s alone", (_name, text) => {
    expect(findCredentials(text)).toEqual([]);
  });

  it("returns kinds only: the secret itself is nowhere in the result", () => {
    expect(JSON.stringify(findCredentials("PASS Tr0ub4dor&3\npassword=Tr0ub4dor&3"))).not.toContain("Tr0ub4dor");
  });
});
