// The probe: the KB's telnet test as a state machine over node:net / node:tls, every step timed and recorded.
import { lookup } from "node:dns/promises";
import { connect as netConnect, isIP, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import type { Article } from "../knowledge/schema.js";
import { diagnose, type ReplyAfter, type ReplyRecord } from "./diagnose.js";
import { LineReader, ProbeIoError } from "./line-reader.js";
import { parseCapabilities, parseReply, unstuff, type Capabilities, type Pop3Reply } from "./reply.js";
import { describeTls } from "./tls-info.js";
import { MASK, Transcript, sanitise } from "./transcript.js";
import type { ProbeResult, ProbeStep, ProbeTarget, TlsInfo } from "./types.js";

export interface ProbeOptions {
  /** The knowledge base: diagnosis matches replies against its probe signatures. */
  articles: readonly Article[];
  /** Overall deadline for the whole probe. */
  timeoutMs?: number;
  /** Timeout of each step (clipped to what is left of the overall deadline). */
  stepTimeoutMs?: number;
  /** PASS / AUTH get longer: servers delay failed logons on purpose (Dovecot about 1.5 s). */
  loginTimeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_STEP_TIMEOUT_MS = 5_000;
export const DEFAULT_LOGIN_TIMEOUT_MS = 10_000;
/** A CAPA list longer than this is not a capability list. */
const MAX_CAPA_LINES = 100;

/** Why a step failed; `message` is already phrased for people. */
class StepFailure extends Error {
  override name = "StepFailure";
  constructor(message: string) {
    super(message);
  }
}

const noop = (): void => {};
const CONTROL = /[\u0000-\u001f\u007f]/;

function ioMessage(err: ProbeIoError, step: string, timeoutMs: number): string {
  switch (err.kind) {
    case "timeout":
      if (err.partialBytes > 0) return `${step}: ${err.message}`;
      if (step === "greeting") return `no greeting: the server accepted the connection but sent nothing in ${Math.round(timeoutMs)} ms`;
      return `timeout: no reply to ${step} in ${Math.round(timeoutMs)} ms`;
    case "closed":
      return step === "greeting" ? "no greeting: the server closed the connection without greeting" : `the server closed the connection during ${step}`;
    case "reset":
      return step === "greeting" ? "no greeting: the server reset the connection" : `the server reset the connection during ${step}`;
    case "line-too-long":
    case "flood":
      return `${step}: ${err.message} (not a POP3 server, or a broken one)`;
    default:
      return `${step}: ${err.message}`;
  }
}

function connectMessage(err: NodeJS.ErrnoException, host: string, port: number): string {
  switch (err.code) {
    case "ECONNREFUSED":
      return `connection refused: nothing listens on ${host}:${port} (POP3 service stopped, or wrong port)`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${host} is unreachable (${err.code}): no route to the host`;
    case "ECONNRESET":
      return `the connection to ${host}:${port} was reset while connecting`;
    default:
      return `cannot connect to ${host}:${port} (${err.code ?? err.message})`;
  }
}

function handshakeMessage(err: Error & { reason?: string }): string {
  // OpenSSL messages carry file names and line numbers; its `reason` is the part people can use.
  const m = err.reason ?? err.message.split("\n")[0] ?? err.message;
  const hint = /wrong version number|packet length too long|unknown protocol|http request/i.test(m)
    ? ": the port does not speak TLS (a plain POP3 port such as 110 needs tls none or starttls)"
    : "";
  return `TLS handshake failed (${sanitise(m, 160)})${hint}`;
}

function validateTarget(t: ProbeTarget): string | undefined {
  if (!t.host || /[\s/]/.test(t.host) || CONTROL.test(t.host)) return "host must be a host name or an IP address";
  if (!Number.isInteger(t.port) || t.port < 1 || t.port > 65535) return "port must be a whole number from 1 to 65535";
  if (t.user !== undefined && (t.user === "" || CONTROL.test(t.user))) return "user must be non-empty and contain no control characters (CR, LF, ...)";
  if (t.password !== undefined && CONTROL.test(t.password)) return "the password contains control characters (CR, LF, ...) and cannot be sent as a POP3 command";
  return undefined;
}

class ProbeRun {
  private readonly t0 = performance.now();
  private readonly deadline: number;
  private readonly stepTimeout: number;
  private readonly loginTimeout: number;
  private readonly steps: ProbeStep[] = [];
  private readonly transcript = new Transcript(() => performance.now() - this.t0);
  private readonly replies: ReplyRecord[] = [];
  private readonly findings: string[] = [];
  private readonly reader = new LineReader();
  private sockets: Socket[] = [];
  private socket: Socket | undefined;
  private tlsInfo: TlsInfo | undefined;
  private caps: Capabilities | undefined;
  private fault = false;
  private failure: string | undefined;
  private connectionUsable = false;
  private okSummary = "";

  constructor(
    private readonly target: ProbeTarget,
    private readonly opts: ProbeOptions,
  ) {
    this.deadline = this.t0 + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.stepTimeout = opts.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    this.loginTimeout = opts.loginTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
    this.transcript.addSecret(target.password);
  }

  async execute(): Promise<ProbeResult> {
    try {
      await this.session();
    } catch (err) {
      if (!(err instanceof StepFailure)) {
        // A bug, not a finding: still a result, never a thrown probe.
        this.markFault(`internal error: ${err instanceof Error ? err.message : String(err)}`);
      }
    } finally {
      this.reader.detach();
      // Outermost first: destroying a plain socket and then the TLS socket wrapping it crashes Node 20 (SIGSEGV).
      for (const s of [...this.sockets].reverse()) if (!s.destroyed) s.destroy();
    }
    const diagnosis = diagnose({
      replies: this.replies,
      articles: this.opts.articles,
      findings: this.findings.map((f) => this.transcript.redact(f)),
      fault: this.fault,
      okSummary: this.okSummary,
      ...(this.failure !== undefined ? { failure: this.transcript.redact(this.failure) } : {}),
    });
    const lines = this.transcript.finish();
    const result: ProbeResult = {
      ok: !this.fault,
      host: this.target.host,
      port: this.target.port,
      tls: this.target.tls,
      steps: this.steps,
      transcript: lines.map((l) => l.text),
      lines,
      diagnosis,
      totalMs: Math.round(performance.now() - this.t0),
    };
    if (this.target.name !== undefined) result.name = this.target.name;
    if (this.tlsInfo) result.tlsInfo = this.tlsInfo;
    return result;
  }

  private markFault(message: string): void {
    this.fault = true;
    this.failure ??= message;
  }

  /** Time left for a step: its own timeout, clipped to the overall deadline. */
  private budget(stepMs: number, name: string): number {
    const left = this.deadline - performance.now();
    if (left <= 0) throw new StepFailure(`timeout: the overall deadline of ${this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms ran out before ${name}`);
    return Math.min(stepMs, left);
  }

  /** Runs one timed step. `fn` returns the detail line or throws StepFailure; either way the step is recorded. */
  private async step(name: string, stepMs: number, fn: (timeoutMs: number) => Promise<string>, faultOnFailure = true): Promise<void> {
    const start = performance.now();
    const record = (ok: boolean, detail: string) =>
      this.steps.push({ name, ok, ms: Math.round(performance.now() - start), detail: this.transcript.redact(detail) });
    let timeoutMs: number;
    try {
      timeoutMs = this.budget(stepMs, name);
    } catch (err) {
      record(false, (err as Error).message);
      if (faultOnFailure) this.markFault((err as Error).message);
      throw err;
    }
    try {
      record(true, await fn(timeoutMs));
    } catch (err) {
      const message =
        err instanceof StepFailure ? err.message : err instanceof ProbeIoError ? ioMessage(err, name, timeoutMs) : `${name}: ${String(err)}`;
      if (err instanceof ProbeIoError) this.connectionUsable = false;
      record(false, message);
      if (faultOnFailure) this.markFault(message);
      throw new StepFailure(message);
    }
  }

  private async session(): Promise<void> {
    const t = this.target;
    const invalid = validateTarget(t);
    if (invalid) {
      await this.step("config", this.stepTimeout, async () => {
        throw new StepFailure(`bad probe target: ${invalid}`);
      });
    }
    let address = t.host.replace(/^\[(.*)\]$/, "$1");
    await this.step("resolve", this.stepTimeout, async (ms) => {
      if (isIP(address)) return `${address} (IP address, no lookup)`;
      const found = await withTimeout(lookup(address), ms, `timeout: resolving ${address} took over ${Math.round(ms)} ms`).catch((err: unknown) => {
        if (err instanceof StepFailure) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        throw new StepFailure(`the host name ${address} does not resolve (${code ?? String(err)})`);
      });
      const name = address;
      address = found.address;
      return `${name} → ${found.address}`;
    });

    await this.step("connect", this.stepTimeout, (ms) => this.connect(address, ms));
    try {
      if (t.tls === "implicit") await this.step("tls", this.stepTimeout, (ms) => this.startTls(ms));
      await this.step("greeting", this.stepTimeout, async (ms) => {
        const r = await this.readReply("greeting", ms);
        if (r.status !== "+OK") throw new StepFailure(`the server refused the session at greeting: ${sanitise(r.raw, 200)}`);
        return sanitise(r.raw, 200);
      });
      await this.capa();
      if (t.tls === "starttls") await this.stls();
      await this.login();
    } finally {
      if (this.connectionUsable) await this.quit();
    }
  }

  private connect(address: string, ms: number): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const sock = netConnect({ host: address, port: this.target.port });
      this.sockets.push(sock);
      sock.on("error", noop); // the reader reports errors; this keeps a late one from crashing the process
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new StepFailure(`timeout: no TCP connection to ${address}:${this.target.port} in ${Math.round(ms)} ms (a firewall may drop the packets)`));
      }, ms);
      sock.once("error", (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new StepFailure(connectMessage(err, address, this.target.port)));
      });
      sock.once("connect", () => {
        clearTimeout(timer);
        sock.setNoDelay(true);
        this.socket = sock;
        this.connectionUsable = true;
        if (this.target.tls !== "implicit") this.reader.attach(sock);
        resolve(`${address}:${this.target.port}`);
      });
    });
  }

  /** Wraps the current socket in TLS; the reader moves to the TLS socket once the handshake is done. */
  private startTls(ms: number): Promise<string> {
    const raw = this.socket;
    if (!raw) throw new StepFailure("internal: no socket to wrap in TLS");
    this.reader.detach();
    const host = this.target.host.replace(/^\[(.*)\]$/, "$1");
    return new Promise<string>((resolve, reject) => {
      const sock: TLSSocket = tlsConnect({
        socket: raw,
        ...(isIP(host) ? {} : { servername: host }),
        // The probe inspects and reports the certificate itself, then decides (tlsInsecure); it never sends a password over a rejected one.
        rejectUnauthorized: false,
      });
      this.sockets.push(sock);
      sock.on("error", noop);
      const fail = (message: string) => {
        clearTimeout(timer);
        this.connectionUsable = false;
        sock.destroy();
        reject(new StepFailure(message));
      };
      const timer = setTimeout(() => fail(`timeout: TLS handshake did not finish in ${Math.round(ms)} ms`), ms);
      const onError = (err: Error) => fail(handshakeMessage(err));
      const onClose = () => fail("the server closed the connection during the TLS handshake");
      sock.once("error", onError);
      sock.once("close", onClose);
      sock.once("secureConnect", () => {
        clearTimeout(timer);
        sock.off("error", onError);
        sock.off("close", onClose);
        this.socket = sock;
        this.reader.attach(sock);
        const { info, findings } = describeTls(sock, host);
        this.tlsInfo = info;
        const problems = findings.filter((f) => f.certificateProblem);
        for (const f of findings) this.findings.push(f.text);
        const summary = `${info.protocol}, subject ${info.subject || "(none)"}, issuer ${info.issuer || "(none)"}, expires in ${info.daysToExpiry} day(s)`;
        if (problems.length > 0 && !this.target.tlsInsecure) {
          this.connectionUsable = false;
          reject(new StepFailure(`${problems.map((p) => p.text).join("; ")}; not allowed for this host (set tlsInsecure: true to accept it)`));
          return;
        }
        resolve(problems.length > 0 ? `${summary} (certificate problems accepted: tlsInsecure)` : summary);
      });
    });
  }

  private write(line: string, shown: string): void {
    this.transcript.client(shown);
    this.socket?.write(`${line}\r\n`);
  }

  private async readReply(after: ReplyAfter, ms: number): Promise<Pop3Reply> {
    const raw = (await this.reader.readLine(ms)).toString("utf8");
    this.transcript.server(raw);
    const reply = parseReply(raw);
    if (!reply) throw new StepFailure(`${after}: not a POP3 reply: "${sanitise(this.transcript.redact(raw), 120)}"`);
    this.replies.push({ after, reply });
    return reply;
  }

  private async command(after: ReplyAfter, line: string, shown: string, ms: number): Promise<Pop3Reply> {
    this.write(line, shown);
    return this.readReply(after, ms);
  }

  /** Reads a multi-line body up to the "." line, unstuffed; one deadline for the whole body. */
  private async readBody(ms: number, what: string): Promise<string[]> {
    const until = performance.now() + ms;
    const body: string[] = [];
    for (;;) {
      const raw = (await this.reader.readLine(Math.max(0, until - performance.now()))).toString("utf8");
      this.transcript.server(raw);
      if (raw === ".") return body;
      if (body.length >= MAX_CAPA_LINES) throw new StepFailure(`${what}: over ${MAX_CAPA_LINES} lines without the closing "." (not a POP3 server, or a broken one)`);
      body.push(unstuff(raw));
    }
  }

  private async capa(): Promise<void> {
    await this.step("CAPA", this.stepTimeout, async (ms) => {
      const until = performance.now() + ms;
      const r = await this.command("CAPA", "CAPA", "CAPA", ms);
      if (r.status !== "+OK") {
        // CAPA is optional (RFC 2449): an RFC 1939 server such as Exchange 5.5 says -ERR, and USER/PASS still apply.
        this.caps = undefined;
        return `CAPA not supported (${sanitise(r.raw, 120)}); assuming USER/PASS`;
      }
      this.caps = parseCapabilities(await this.readBody(until - performance.now(), "CAPA"));
      const sasl = this.caps.sasl;
      return [...this.caps.names].map((n) => (n === "SASL" && sasl.length ? `SASL ${sasl.join(" ")}` : n)).join(" ") || "(empty list)";
    });
  }

  private async stls(): Promise<void> {
    await this.step("STLS", this.stepTimeout, async (ms) => {
      if (this.caps && !this.caps.names.has("STLS")) throw new StepFailure("STARTTLS unavailable: the server does not list STLS in CAPA");
      const r = await this.command("STLS", "STLS", "STLS", ms);
      if (r.status !== "+OK") throw new StepFailure(`STARTTLS refused: ${sanitise(r.raw, 200)}`);
      // Bytes after the +OK and before the handshake would be read as if protected by TLS (the STARTTLS injection flaw).
      if (this.reader.pendingBytes > 0) {
        this.connectionUsable = false;
        throw new StepFailure("the server sent data after its STLS reply, before TLS started (refusing: it could be injected)");
      }
      return sanitise(r.raw, 200);
    });
    await this.step("tls", this.stepTimeout, (ms) => this.startTls(ms));
    // RFC 2595: capabilities learnt before TLS are stale; the logon methods often change.
    await this.capa();
  }

  private loginMethod(): "USER" | "AUTH" {
    const caps = this.caps;
    if (!caps || caps.names.has("USER")) return "USER";
    if (caps.sasl.includes("PLAIN")) return "AUTH";
    if (caps.names.has("STLS") && this.target.tls === "none") {
      throw new StepFailure("TLS required: the server offers no plain-text logon before STLS; probe with tls starttls");
    }
    throw new StepFailure(`plain-text login disabled: the server offers neither USER nor SASL PLAIN (SASL: ${caps.sasl.join(" ") || "none"})`);
  }

  private async login(): Promise<void> {
    const t = this.target;
    if (t.user === undefined) {
      this.findings.push("no test mailbox configured: logon not tested");
      this.okSummary = "The server greets and answers CAPA; no test mailbox is configured, so logon was not tested.";
      return;
    }
    const user = t.user;
    let method: "USER" | "AUTH" = "USER";
    try {
      method = this.loginMethod();
    } catch (err) {
      const name = "USER";
      this.steps.push({ name, ok: false, ms: 0, detail: (err as Error).message });
      this.markFault((err as Error).message);
      throw err;
    }
    const password = t.password;
    if (method === "USER") {
      await this.step("USER", this.stepTimeout, async (ms) => {
        const r = await this.command("USER", `USER ${user}`, `USER ${user}`, ms);
        if (r.status !== "+OK") throw new StepFailure(`USER rejected: ${sanitise(r.raw, 200)}`);
        return sanitise(r.raw, 200);
      });
      if (password === undefined) return this.noPassword();
      await this.step("PASS", this.loginTimeout, async (ms) => {
        const r = await this.command("PASS", `PASS ${password}`, `PASS ${MASK}`, ms);
        if (r.status !== "+OK") throw new StepFailure(`logon failed at PASS: ${sanitise(this.transcript.redact(r.raw), 200)}`);
        return sanitise(this.transcript.redact(r.raw), 200);
      });
    } else {
      if (password === undefined) return this.noPassword();
      const blob = Buffer.from(`\0${user}\0${password}`, "utf8").toString("base64");
      this.transcript.addSecret(blob);
      await this.step("AUTH", this.loginTimeout, async (ms) => {
        let r = await this.command("AUTH", `AUTH PLAIN ${blob}`, `AUTH PLAIN ${MASK}`, ms);
        if (r.status === "+") {
          // We already sent the initial response (RFC 5034); a further challenge means the exchange went wrong.
          r = await this.command("AUTH", "*", "*", ms);
        }
        if (r.status !== "+OK") throw new StepFailure(`logon failed at AUTH PLAIN: ${sanitise(this.transcript.redact(r.raw), 200)}`);
        return sanitise(this.transcript.redact(r.raw), 200);
      });
    }
    let stat = "";
    await this.step("STAT", this.stepTimeout, async (ms) => {
      const r = await this.command("STAT", "STAT", "STAT", ms);
      if (r.status !== "+OK") throw new StepFailure(`STAT failed after logon: ${sanitise(r.raw, 200)}`);
      const m = /^(\d+)\s+(\d+)/.exec(r.text);
      stat = m ? `${m[1]} message(s), ${m[2]} octets` : sanitise(r.text, 100);
      return stat;
    });
    this.okSummary = `Logged on as ${sanitise(user, 100)} (${method === "USER" ? "USER/PASS" : "AUTH PLAIN"}${this.tlsInfo ? ` over ${this.tlsInfo.protocol}` : ""}); mailbox has ${stat}. No fault found.`;
  }

  private noPassword(): void {
    const env = this.target.passwordEnv;
    if (env) {
      this.markFault(`the password variable ${env} is not set: only USER was tested`);
      this.findings.push(`the password variable ${env} is not set`);
    } else {
      this.findings.push("no password given: only USER was tested");
      this.okSummary = "The server accepts USER; no password was given, so logon was not tested.";
    }
  }

  private async quit(): Promise<void> {
    // A QUIT problem after an earlier fault is noise; on its own it is a fault (the UPDATE state never ran).
    const faultOnFailure = !this.fault;
    await this.step(
      "QUIT",
      this.stepTimeout,
      async (ms) => {
        const r = await this.command("QUIT", "QUIT", "QUIT", ms);
        if (r.status !== "+OK") throw new StepFailure(`QUIT refused: ${sanitise(r.raw, 200)}`);
        return sanitise(r.raw, 200);
      },
      faultOnFailure,
    ).catch(noop);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StepFailure(message)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e as Error);
      },
    );
  });
}

/** Runs one probe. Never throws: every failure, even a bug, ends as a result with a diagnosis. */
export function runProbe(target: ProbeTarget, opts: ProbeOptions): Promise<ProbeResult> {
  return new ProbeRun(target, opts).execute();
}
