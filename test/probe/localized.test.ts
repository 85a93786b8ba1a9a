// A POP3 server on German, French, Spanish or Italian Windows answers PASS with the logon failure in its own
// language. The diagnosis reads the article's phrase variants (data in the fixture article), not English only.
import { createServer, type AddressInfo, type Server } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Article } from "../../src/knowledge/schema.js";
import { startPop3Peer, type RunningPeer } from "../../src/local/pop3-peers.js";
import { diagnose, localizedTexts } from "../../src/probe/diagnose.js";
import { decodeLine } from "../../src/probe/line-reader.js";
import { Transcript } from "../../src/probe/transcript.js";
import { parseReply } from "../../src/probe/protocols/pop3-reply.js";
import { runProbe } from "../../src/probe/run.js";
import { fixtureArticles } from "../helpers/knowledge.js";

const articles = fixtureArticles();
const PASSWORD = "Passwort-f1xture";
const GERMAN = "-ERR Anmeldung fehlgeschlagen: unbekannter Benutzername oder falsches Kennwort.";
const FRENCH = "-ERR Échec de l'ouverture de session : nom d'utilisateur inconnu ou mot de passe incorrect.";

const peers: RunningPeer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});

async function pop3Answering(loginReply: string): Promise<RunningPeer> {
  const p = await startPop3Peer("healthy", { password: PASSWORD, loginReply });
  peers.push(p);
  return p;
}

const probe = (p: { host: string; port: number }) => runProbe({ host: p.host, port: p.port, tls: "none", user: "probe", password: PASSWORD, tlsInsecure: false }, { articles });

describe("a localized -ERR after PASS, from a real POP3 peer on loopback", () => {
  it("German: diagnosed as the article whose phrase variants carry it (Q247764), password hidden", async () => {
    const r = await probe(await pop3Answering(GERMAN));
    expect(r.ok).toBe(false);
    expect(r.diagnosis.articles).toEqual(["Q247764"]);
    // The probe's own credentials come first: the reply says "unknown user name or bad password" either way.
    expect(r.diagnosis.summary).toMatch(/^The POP3 service refused the logon\. The reply itself says it: a wrong user name or password in the probe's own hosts entry.*\(Q247764\)$/);
    expect(r.lines.map((l) => l.text)).toContain(`S: ${GERMAN}`);
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
  });

  it("the English reply still matches, and a German reply to USER (the wrong step) does not", async () => {
    expect((await probe(await pop3Answering("-ERR Logon failure: unknown user name or bad password."))).diagnosis.articles).toEqual(["Q247764"]);
    const atUser = diagnose({ articles, replies: [{ after: "USER", reply: parseReply(GERMAN)! }], findings: [], fault: true, okSummary: "" });
    expect(atUser.articles).toEqual([]);
  });

  describe("French, in the server's code page (Windows-1252), as French Windows sends it", () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      // Exchange 5.5's dialogue by hand, so the PASS reply goes out as Windows-1252 bytes, not UTF-8.
      server = createServer((s) => {
        s.on("error", () => s.destroy());
        s.write("+OK POP3 ready\r\n");
        let buf = "";
        s.on("data", (d: Buffer) => {
          buf += d.toString("latin1");
          for (let i = buf.indexOf("\r\n"); i >= 0; i = buf.indexOf("\r\n")) {
            const cmd = buf.slice(0, i).split(" ")[0]!.toUpperCase();
            buf = buf.slice(i + 2);
            if (cmd === "PASS") s.write(Buffer.from(`${FRENCH}\r\n`, "latin1"));
            else if (cmd === "QUIT") s.end("+OK\r\n");
            else s.write(cmd === "USER" ? "+OK\r\n" : "-ERR Protocol Error\r\n");
          }
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise<void>((r) => server.close(() => r()));
    });

    it("is read as Windows-1252 (not replacement characters) and diagnosed as Q247764", async () => {
      expect(Buffer.from(FRENCH, "latin1").includes(0xc9)).toBe(true);
      const r = await probe({ host: "127.0.0.1", port });
      expect(r.lines.map((l) => l.text)).toContain(`S: ${FRENCH}`);
      expect(r.diagnosis.articles).toEqual(["Q247764"]);
    });
  });
});

describe("reading lines as Windows-1252 gives no secret away", () => {
  it("a non-ASCII password echoed in UTF-8 on a line that is not UTF-8 is masked in its Windows-1252 reading too", () => {
    const secret = "Passwörter-9";
    const t = new Transcript(() => 0);
    t.addSecret(secret);
    const line = decodeLine(Buffer.concat([Buffer.from(`-ERR echo ${secret} `, "utf8"), Buffer.from([0xe9])]));
    expect(line).toContain("PasswÃ¶rter-9");
    t.server(line);
    expect(t.lines[0]!.text).toBe("S: -ERR echo ******** é");
    expect(decodeLine(Buffer.from(`+OK ${secret}`, "utf8"))).toBe(`+OK ${secret}`);
  });
});

describe("localizedTexts: the article's variants are the data", () => {
  const article = (phrases: Article["phrases"]): Pick<Article, "phrases"> => ({ phrases });
  const sig = { reply: "-ERR Logon failure: unknown user name or bad password" };

  it("takes the variants of a phrase that is the whole reply (their text) or the reply's text (as they are)", () => {
    const whole = article([{ text: "-ERR Logon failure: unknown user name or bad password", generic: false, variants: { de: ["-ERR Anmeldung fehlgeschlagen: x"] } }]);
    expect(localizedTexts(sig, whole)).toEqual(["Anmeldung fehlgeschlagen: x"]);
    const text = article([{ text: "Logon failure: unknown user name or bad password.", generic: true, variants: { it: ["Accesso non riuscito: y"], es: ["Error de inicio de sesión: z"] } }]);
    expect(localizedTexts(sig, text)).toEqual(["Accesso non riuscito: y", "Error de inicio de sesión: z"]);
  });

  it("ignores phrases that are not the signature's, and articles without variants", () => {
    const other = article(["-ERR Logon failure: unknown user name or bad password", { text: "A required privilege is not held by the client", generic: false, variants: { de: ["Ein erforderliches Recht fehlt"] } }]);
    expect(localizedTexts(sig, other)).toEqual([]);
  });
});
