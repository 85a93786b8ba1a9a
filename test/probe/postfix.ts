// A throwaway Postfix submission service on loopback for the SMTP probe tests: its own config and queue folders,
// Dovecot SASL, STARTTLS on one port and TLS from the first byte (465-style) on another. One account logs on but
// may not submit (check_sasl_access), the closest Postfix shape of Exchange's event 1020; any other submits.
import { execFile } from "node:child_process";
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { makeCert } from "./certs.js";
import { findDovecot, startDovecot, type Dovecot } from "./dovecot.js";
import { freePort, requireBinary, waitForGreeting } from "./servers.js";

const run = promisify(execFile);

export interface Postfix {
  host: string;
  /** Plain submission with STARTTLS (587-style). */
  submissionPort: number;
  /** TLS from the first byte (465-style). */
  smtpsPort: number;
  /** Plain SMTP that offers no STARTTLS (smtpd_tls_security_level = none), AUTH in clear. */
  noTlsPort: number;
  /** Logs on and submits. */
  submitter: string;
  /** Logs on, but the server refuses its mail (550 5.7.1). */
  refused: string;
  password: string;
  /** The server's self-signed certificate (names localhost and 127.0.0.1): a probe trusts it given as its CA. */
  certFile: string;
  /** Postfix's own log (maillog_file). */
  log(): Promise<string>;
  stop(): Promise<void>;
}

export function findPostfix(): string {
  return requireBinary("postfix", "POSTFIX_BIN", "postfix dovecot-core openssl");
}

/** Runs the postfix command; its complaints go to syslog, so failures re-read our log file for the reason. */
async function postfixCommand(binary: string, confDir: string, verb: string, logFile: string): Promise<void> {
  try {
    await run(binary, ["-c", confDir, verb], { timeout: 20_000 });
  } catch (err) {
    const log = await readFile(logFile, "utf8").catch(() => "(no log)");
    throw new Error(`postfix -c ${confDir} ${verb} failed: ${(err as Error).message}\n--- postfix log ---\n${log}`);
  }
}

/** `oauth2IntrospectionUrl`: Dovecot's SASL also takes XOAUTH2 against that endpoint (see dovecot.ts). */
export interface PostfixOptions {
  oauth2IntrospectionUrl?: string;
  /** smtpd_tls_protocols and smtpd_tls_mandatory_protocols, e.g. ">=TLSv1.3" or "<=TLSv1.1". */
  tlsProtocols?: string;
  /** tls_medium_cipherlist, e.g. "DEFAULT:@SECLEVEL=0" so this OpenSSL will speak TLS 1.0/1.1 at all. */
  cipherList?: string;
  /** smtpd_tls_security_level (default may); none takes STARTTLS out of the EHLO reply. */
  tlsSecurityLevel?: "may" | "none";
}

export async function startPostfix(opts: PostfixOptions = {}): Promise<Postfix> {
  const binary = findPostfix();
  const dovecot: Dovecot = await startDovecot(findDovecot(), { protocols: [], ...(opts.oauth2IntrospectionUrl ? { oauth2IntrospectionUrl: opts.oauth2IntrospectionUrl } : {}) });
  const dir = await mkdtemp(join(tmpdir(), "probe-postfix-"));
  // Postfix's daemons run as the postfix user and must reach data_directory below this folder (mkdtemp makes it 0700).
  await chmod(dir, 0o755);
  const conf = join(dir, "conf");
  const queue = join(dir, "queue");
  const data = join(dir, "data");
  await Promise.all([mkdir(conf), mkdir(queue), mkdir(data)]);
  // master.lock and the TLS session cache live in data_directory, which must belong to mail_owner.
  await chown(data, ...(await postfixIds()));
  const cert = await makeCert();
  const host = "127.0.0.1";
  const [submissionPort, smtpsPort, noTlsPort] = [await freePort(host), await freePort(host), await freePort(host)];
  const logFile = join(dir, "postfix.log");
  const refused = "noperm@lab.test";
  await writeFile(
    join(conf, "main.cf"),
    `# Throwaway config written by test/probe/postfix.ts
compatibility_level = 3.6
queue_directory = ${queue}
data_directory = ${data}
mail_owner = postfix
setgid_group = postdrop
myhostname = submit.lab.test
mydomain = lab.test
myorigin = lab.test
mydestination =
local_recipient_maps =
relay_domains =
inet_interfaces = loopback-only
inet_protocols = ipv4
maillog_file = ${logFile}
maillog_file_prefixes = ${dir}
smtpd_banner = $myhostname ESMTP lab
smtpd_sasl_type = dovecot
smtpd_sasl_path = ${dovecot.authSocket}
smtpd_sasl_auth_enable = yes
smtpd_tls_cert_file = ${cert.certFile}
smtpd_tls_key_file = ${cert.keyFile}
smtpd_tls_security_level = ${opts.tlsSecurityLevel ?? "may"}
${opts.tlsProtocols ? `smtpd_tls_protocols = ${opts.tlsProtocols}\nsmtpd_tls_mandatory_protocols = ${opts.tlsProtocols}\n` : ""}${opts.cipherList ? `tls_medium_cipherlist = ${opts.cipherList}\n` : ""}smtpd_sender_restrictions = check_sasl_access inline:{ { ${refused} = 550 5.7.1 Account not authorized to submit mail } }
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
`,
  );
  // Only what smtpd needs up to RSET, none chrooted (a chroot would need copies of /etc in the queue folder).
  const services = [
    ["cleanup", "unix", "n", "-", "n", "-", "0", "cleanup"],
    ["qmgr", "unix", "n", "-", "n", "300", "1", "qmgr"],
    ["tlsmgr", "unix", "-", "-", "n", "1000?", "1", "tlsmgr"],
    ["rewrite", "unix", "-", "-", "n", "-", "-", "trivial-rewrite"],
    ["bounce", "unix", "-", "-", "n", "-", "0", "bounce"],
    ["defer", "unix", "-", "-", "n", "-", "0", "bounce"],
    ["trace", "unix", "-", "-", "n", "-", "0", "bounce"],
    ["verify", "unix", "-", "-", "n", "-", "1", "verify"],
    ["proxymap", "unix", "-", "-", "n", "-", "-", "proxymap"],
    ["error", "unix", "-", "-", "n", "-", "-", "error"],
    ["retry", "unix", "-", "-", "n", "-", "-", "error"],
    ["discard", "unix", "-", "-", "n", "-", "-", "discard"],
    ["anvil", "unix", "-", "-", "n", "-", "1", "anvil"],
    ["scache", "unix", "-", "-", "n", "-", "1", "scache"],
    ["postlog", "unix-dgram", "n", "-", "n", "-", "1", "postlogd"],
  ];
  await writeFile(
    join(conf, "master.cf"),
    [
      `${host}:${submissionPort} inet n - n - - smtpd`,
      `${host}:${smtpsPort} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes`,
      `${host}:${noTlsPort} inet n - n - - smtpd -o smtpd_tls_security_level=none`,
      ...services.map((s) => s.join(" ")),
      "",
    ].join("\n"),
  );
  const stop = async () => {
    await run(binary, ["-c", conf, "stop"], { timeout: 20_000 }).catch(() => undefined);
    await Promise.all([dovecot.stop(), cert.cleanup()]);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await postfixCommand(binary, conf, "start", logFile);
    const until = Date.now() + 15_000;
    await waitForGreeting(host, submissionPort, "220 ", until, () => undefined);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host,
    submissionPort,
    smtpsPort,
    noTlsPort,
    submitter: "submitter@lab.test",
    refused,
    password: dovecot.password,
    certFile: cert.certFile,
    log: () => readFile(logFile, "utf8").catch(() => ""),
    stop,
  };
}

/** The postfix user's uid and gid (Debian makes them at install time). */
async function postfixIds(): Promise<[number, number]> {
  const { stdout } = await run("id", ["postfix"]);
  const uid = /uid=(\d+)/.exec(stdout)?.[1];
  const gid = /gid=(\d+)/.exec(stdout)?.[1];
  if (uid === undefined || gid === undefined) throw new Error(`no postfix user: ${stdout}`);
  return [Number(uid), Number(gid)];
}
