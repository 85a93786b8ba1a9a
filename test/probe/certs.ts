// Self-signed certificates for TLS tests, made with the openssl command line into a temp folder.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TestCert {
  dir: string;
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
  cleanup(): Promise<void>;
}

/** A self-signed EC certificate for localhost, 127.0.0.1 and 127.0.0.2; `expired` backdates it to January 2020. */
export async function makeCert(opts: { expired?: boolean; dir?: string } = {}): Promise<TestCert> {
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), "probe-cert-")));
  const keyFile = join(dir, "key.pem");
  const certFile = join(dir, "cert.pem");
  const san = "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:127.0.0.2";
  if (!opts.expired) {
    await run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "30", "-subj", "/CN=localhost", "-addext", san]);
  } else {
    // `openssl req -x509` cannot backdate; `openssl ca -selfsign` takes explicit start and end dates.
    await writeFile(join(dir, "index.txt"), "");
    await writeFile(join(dir, "serial"), "01\n");
    await writeFile(
      join(dir, "ca.cnf"),
      [
        "[ ca ]",
        "default_ca = CA_default",
        "[ CA_default ]",
        `database = ${join(dir, "index.txt")}`,
        `new_certs_dir = ${dir}`,
        `serial = ${join(dir, "serial")}`,
        "default_md = sha256",
        "policy = policy_any",
        "unique_subject = no",
        "[ policy_any ]",
        "commonName = supplied",
        "[ ext ]",
        san.replace("=", " = "),
        "basicConstraints = CA:FALSE",
        "",
      ].join("\n"),
    );
    const csr = join(dir, "req.csr");
    await run("openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile, "-out", csr, "-subj", "/CN=localhost"]);
    await run("openssl", ["ca", "-batch", "-selfsign", "-config", join(dir, "ca.cnf"), "-keyfile", keyFile, "-in", csr, "-out", certFile, "-startdate", "20200101000000Z", "-enddate", "20200201000000Z", "-extensions", "ext"]);
  }
  return {
    dir,
    certFile,
    keyFile,
    cert: await readFile(certFile, "utf8"),
    key: await readFile(keyFile, "utf8"),
    cleanup: () => (opts.dir ? Promise.resolve() : rm(dir, { recursive: true, force: true })),
  };
}

export interface CaSigned extends TestCert {
  /** The private CA's certificate (PEM file), for --ca / ca:. */
  caFile: string;
}

/** A private CA and a leaf it signs for `names` (DNS names or IP addresses): trusted only with the CA file. */
export async function makeCaSigned(names: string[]): Promise<CaSigned> {
  const dir = await mkdtemp(join(tmpdir(), "probe-ca-"));
  const caKey = join(dir, "ca-key.pem");
  const caFile = join(dir, "ca.pem");
  const keyFile = join(dir, "key.pem");
  const certFile = join(dir, "cert.pem");
  const csr = join(dir, "leaf.csr");
  const ext = join(dir, "leaf.ext");
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await run("openssl", ["req", "-x509", ...ec, "-keyout", caKey, "-out", caFile, "-days", "30", "-subj", "/CN=exchange-bot test CA"]);
  await run("openssl", ["req", "-new", ...ec, "-keyout", keyFile, "-out", csr, "-subj", `/CN=${names[0] ?? "nobody"}`]);
  const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
  await writeFile(ext, `basicConstraints = CA:FALSE\n${san ? `subjectAltName = ${san}\n` : ""}`);
  await run("openssl", ["x509", "-req", "-in", csr, "-CA", caFile, "-CAkey", caKey, "-CAcreateserial", "-out", certFile, "-days", "30", "-extfile", ext]);
  return {
    dir,
    caFile,
    certFile,
    keyFile,
    cert: await readFile(certFile, "utf8"),
    key: await readFile(keyFile, "utf8"),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
