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

export interface TestChain {
  dir: string;
  /** The root CA (self-signed), for --ca / ca:. */
  rootFile: string;
  /** The leaf alone: a server configured with it leaves out the intermediate. */
  leafFile: string;
  /** Leaf then intermediate: the whole chain a server should send. */
  fullChainFile: string;
  keyFile: string;
  cleanup(): Promise<void>;
}

/** root → intermediate → leaf for `names` (DNS names or IP addresses), made with openssl. */
export async function makeChain(names: string[]): Promise<TestChain> {
  const dir = await mkdtemp(join(tmpdir(), "probe-chain-"));
  const f = (n: string) => join(dir, n);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await writeFile(f("ca.ext"), "basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n");
  const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
  await writeFile(f("leaf.ext"), `basicConstraints = CA:FALSE\nauthorityKeyIdentifier = keyid\n${san ? `subjectAltName = ${san}\n` : ""}`);
  await run("openssl", ["req", "-x509", ...ec, "-keyout", f("root-key.pem"), "-out", f("root.pem"), "-days", "30", "-subj", "/CN=exchange-bot test root", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  await run("openssl", ["req", "-new", ...ec, "-keyout", f("int-key.pem"), "-out", f("int.csr"), "-subj", "/CN=exchange-bot test intermediate"]);
  await run("openssl", ["x509", "-req", "-in", f("int.csr"), "-CA", f("root.pem"), "-CAkey", f("root-key.pem"), "-CAcreateserial", "-out", f("int.pem"), "-days", "30", "-extfile", f("ca.ext")]);
  await run("openssl", ["req", "-new", ...ec, "-keyout", f("key.pem"), "-out", f("leaf.csr"), "-subj", `/CN=${names[0] ?? "nobody"}`]);
  await run("openssl", ["x509", "-req", "-in", f("leaf.csr"), "-CA", f("int.pem"), "-CAkey", f("int-key.pem"), "-CAcreateserial", "-out", f("leaf.pem"), "-days", "20", "-extfile", f("leaf.ext")]);
  await writeFile(f("fullchain.pem"), (await readFile(f("leaf.pem"), "utf8")) + (await readFile(f("int.pem"), "utf8")));
  return { dir, rootFile: f("root.pem"), leafFile: f("leaf.pem"), fullChainFile: f("fullchain.pem"), keyFile: f("key.pem"), cleanup: () => rm(dir, { recursive: true, force: true }) };
}
