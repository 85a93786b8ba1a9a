// A throwaway Dovecot POP3 server on loopback for the probe tests: plain 110-style, STARTTLS and 995-style TLS ports.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeCert } from "./certs.js";

export interface Dovecot {
  host: string;
  /** Plain POP3 with STLS offered (the port-110 listener). */
  pop3Port: number;
  /** TLS from the first byte (the port-995 listener). */
  pop3sPort: number;
  user: string;
  password: string;
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** Where dovecot is, or undefined. Tests use this to skip loudly (or fail in CI). */
export function findDovecot(): string | undefined {
  // DOVECOT_BIN pins the binary (and lets anyone check the skip / CI-failure path with a wrong one).
  const pinned = process.env.DOVECOT_BIN;
  if (pinned) return spawnSync(pinned, ["--version"]).status === 0 ? pinned : undefined;
  for (const p of ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"]) {
    if (spawnSync(p, ["--version"]).status === 0) return p;
  }
  const r = spawnSync("sh", ["-c", "command -v dovecot"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, host, () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once the port answers with a POP3 greeting (Dovecot needs a moment after start). */
async function waitForGreeting(host: string, port: number, until: number, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dovecot exited with code ${child.exitCode} during start-up`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host, port });
      const done = (v: boolean) => {
        s.destroy();
        resolve(v);
      };
      s.setTimeout(500, () => done(false));
      s.once("error", () => done(false));
      s.once("data", (d) => done(d.toString().startsWith("+OK")));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`dovecot did not accept connections on ${host}:${port} in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface DovecotOptions {
  /** ssl = required: no logon before TLS, even from loopback (disable_plaintext_auth trusts 127.0.0.1). */
  tlsRequired?: boolean;
  /**
   * Listen address. Dovecot treats a client whose address equals the server's as secure and lets it log on in
   * plain text whatever ssl says; 127.0.0.2 (still loopback) makes the probe's 127.0.0.1 a different peer.
   */
  address?: "127.0.0.1" | "127.0.0.2";
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
  const [pop3Port, pop3sPort] = [await freePort(opts.address ?? "127.0.0.1"), await freePort(opts.address ?? "127.0.0.1")];
  const host = opts.address ?? "127.0.0.1";
  const user = "probe";
  const password = `pw-${randomBytes(9).toString("base64url")}`;
  const conf = join(dir, "dovecot.conf");
  const logFile = join(dir, "dovecot.log");
  await writeFile(
    conf,
    `# Throwaway config written by test/probe/dovecot.ts
base_dir = ${join(dir, "run")}
state_dir = ${join(dir, "state")}
instance_name = probe-test-${pop3Port}
log_path = ${logFile}
protocols = pop3
listen = ${opts.address ?? "127.0.0.1"}
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 1
first_valid_gid = 1
ssl = ${opts.tlsRequired ? "required" : "yes"}
ssl_cert = <${cert.certFile}
ssl_key = <${cert.keyFile}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = ${opts.tlsRequired ? "yes" : "no"}
auth_mechanisms = plain
login_trusted_networks =
pop3_uidl_format = %08Xu%08Xv
mail_location = maildir:${mail}/%u
passdb {
  driver = static
  args = password=${password}
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=${mail}/%u
}
service pop3-login {
  inet_listener pop3 {
    address = ${opts.address ?? "127.0.0.1"}
    port = ${pop3Port}
  }
  inet_listener pop3s {
    address = ${opts.address ?? "127.0.0.1"}
    port = ${pop3sPort}
    ssl = yes
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
`,
  );
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
  try {
    await waitForGreeting(host, pop3Port, Date.now() + 15_000, child);
  } catch (err) {
    const log = await readFile(logFile, "utf8").catch(() => "");
    await stop();
    throw new Error(`${(err as Error).message}\n--- dovecot output ---\n${output}\n--- dovecot log ---\n${log}`);
  }
  return { host, pop3Port, pop3sPort, user, password, log: () => readFile(logFile, "utf8").catch(() => ""), stop };
}
