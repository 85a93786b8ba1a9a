// A throwaway Dovecot on loopback for the probe tests: POP3 and IMAP (plain with STARTTLS, and TLS from the first byte),
// and the auth socket Postfix uses for SASL.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeCert } from "./certs.js";
import { freePort, requireBinary, waitForGreeting } from "./servers.js";

export interface Dovecot {
  host: string;
  /** Plain POP3 with STLS offered (the port-110 listener); 0 without pop3. */
  pop3Port: number;
  /** TLS from the first byte (the port-995 listener). */
  pop3sPort: number;
  /** Plain IMAP with STARTTLS offered (the port-143 listener); 0 without imap. */
  imapPort: number;
  /** TLS from the first byte (the port-993 listener). */
  imapsPort: number;
  /** The auth socket Postfix asks (smtpd_sasl_type = dovecot), mode 0666. */
  authSocket: string;
  user: string;
  password: string;
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** Where dovecot is; throws a clear message when it is not installed (the tests fail, never skip). */
export function findDovecot(): string {
  return requireBinary("dovecot", "DOVECOT_BIN", "dovecot-core dovecot-pop3d dovecot-imapd openssl");
}

export interface DovecotOptions {
  /** ssl = required: no logon before TLS, even from loopback (disable_plaintext_auth trusts 127.0.0.1). */
  tlsRequired?: boolean;
  /**
   * Listen address. Dovecot treats a client whose address equals the server's as secure and lets it log on in
   * plain text whatever ssl says; 127.0.0.2 (still loopback) makes the probe's 127.0.0.1 a different peer.
   */
  address?: "127.0.0.1" | "127.0.0.2";
  /** Which services listen (default pop3); none at all still serves the auth socket. */
  protocols?: Array<"pop3" | "imap">;
  /** Also take XOAUTH2 and OAUTHBEARER, asking this introspection endpoint about each token (passdb oauth2). */
  oauth2IntrospectionUrl?: string;
  /** ssl_min_protocol (default TLSv1.2). */
  sslMinProtocol?: "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
  /** ssl_cipher_list, e.g. "DEFAULT@SECLEVEL=0" so this OpenSSL will speak TLS 1.0/1.1 at all. */
  sslCipherList?: string;
  /** The certificate (chain) and key to serve, readable by dovecot, instead of a fresh self-signed one. */
  cert?: { certFile: string; keyFile: string };
}

export async function startDovecot(binary: string, opts: DovecotOptions = {}): Promise<Dovecot> {
  const dir = await mkdtemp(join(tmpdir(), "probe-dovecot-"));
  // The login process runs as dovenull and internals as dovecot: they must reach the config, certs and run folder.
  await chmod(dir, 0o755);
  const cert = await makeCert({ dir });
  await chmod(cert.keyFile, 0o600);
  const mail = join(dir, "mail");
  await mkdir(mail, { mode: 0o755 });
  await chown(mail, 65534, 65534);
  const host = opts.address ?? "127.0.0.1";
  const protocols = opts.protocols ?? ["pop3"];
  const pop = protocols.includes("pop3");
  const imap = protocols.includes("imap");
  const port = async (on: boolean) => (on ? freePort(host) : 0);
  const [pop3Port, pop3sPort, imapPort, imapsPort] = [await port(pop), await port(pop), await port(imap), await port(imap)];
  const user = "probe";
  const password = `pw-${randomBytes(9).toString("base64url")}`;
  const conf = join(dir, "dovecot.conf");
  const logFile = join(dir, "dovecot.log");
  const authSocket = join(dir, "auth");
  const listeners = (service: string, plain: number, tls: number) => `service ${service}-login {
  inet_listener ${service} {
    address = ${host}
    port = ${plain}
  }
  inet_listener ${service}s {
    address = ${host}
    port = ${tls}
    ssl = yes
  }
}
`;
  await writeFile(
    conf,
    `# Throwaway config written by test/probe/dovecot.ts
base_dir = ${join(dir, "run")}
state_dir = ${join(dir, "state")}
instance_name = probe-test-${randomBytes(4).toString("hex")}
log_path = ${logFile}
protocols = ${protocols.join(" ") || "none"}
listen = ${host}
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 1
first_valid_gid = 1
ssl = ${opts.tlsRequired ? "required" : "yes"}
ssl_cert = <${opts.cert?.certFile ?? cert.certFile}
ssl_key = <${opts.cert?.keyFile ?? cert.keyFile}
ssl_min_protocol = ${opts.sslMinProtocol ?? "TLSv1.2"}
${opts.sslCipherList ? `ssl_cipher_list = ${opts.sslCipherList}\n` : ""}disable_plaintext_auth = ${opts.tlsRequired ? "yes" : "no"}
auth_mechanisms = plain login${opts.oauth2IntrospectionUrl ? " xoauth2 oauthbearer" : ""}
login_trusted_networks =
pop3_uidl_format = %08Xu%08Xv
mail_location = maildir:${mail}/%u
${opts.oauth2IntrospectionUrl ? `passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${join(dir, "oauth2.conf.ext")}
}
` : ""}passdb {
  driver = static
  args = password=${password}
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=${mail}/%u
}
${pop ? listeners("pop3", pop3Port, pop3sPort) : ""}${imap ? listeners("imap", imapPort, imapsPort) : ""}service auth {
  unix_listener ${authSocket} {
    mode = 0666
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
service pop3-login {
  chroot =
}
`,
  );
  if (opts.oauth2IntrospectionUrl) {
    await writeFile(join(dir, "oauth2.conf.ext"), `introspection_url = ${opts.oauth2IntrospectionUrl}\nintrospection_mode = post\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n`);
  }
  const child = spawn(binary, ["-F", "-c", conf], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    await rm(dir, { recursive: true, force: true });
  };
  const alive = () => (child.exitCode !== null ? `dovecot exited with code ${child.exitCode} during start-up` : undefined);
  try {
    const until = Date.now() + 15_000;
    if (pop) await waitForGreeting(host, pop3Port, "+OK", until, alive);
    if (imap) await waitForGreeting(host, imapPort, "* OK", until, alive);
    while (!existsSync(authSocket)) {
      const dead = alive();
      if (dead) throw new Error(dead);
      if (Date.now() > until) throw new Error(`dovecot made no auth socket at ${authSocket} in time`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    const log = await readFile(logFile, "utf8").catch(() => "");
    await stop();
    throw new Error(`${(err as Error).message}\n--- dovecot output ---\n${output}\n--- dovecot log ---\n${log}`);
  }
  return { host, pop3Port, pop3sPort, imapPort, imapsPort, authSocket, user, password, log: () => readFile(logFile, "utf8").catch(() => ""), stop };
}
