// The probe engine: one session of timed steps under one deadline, connect, TLS, replies and transcript.
// It knows no protocol: a script (protocols/pop3.ts, smtp.ts, imap.ts) drives it, and it names no article.
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { LineReader, ProbeIoError } from "./line-reader.js";
import { addressLiteral, connectTcp, resolveHost, upgradeTls } from "./net.js";
import { bareHost, protocolLabel } from "./ports.js";
import type { Reply, ReplyRecord } from "./reply.js";
import { DEFAULT_STEP_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, SLOW_LOGON_MS, type EngineOptions, type ProtocolScript, type StepOptions } from "./script.js";
import { StepFailure } from "./step-failure.js";
import { targetProblem } from "./target-check.js";
import { judgeTls } from "./tls-info.js";
import { finishTlsReport, startVersionTrials } from "./tls-report.js";
import { Transcript, sanitise } from "./transcript.js";
import type { ProbeOutcome, ProbeStep, ProbeTarget, Protocol, TlsInfo } from "./types.js";
import { ioMessage, plainAtTlsPortHint, slowLogonMessage } from "./wording.js";
import { now } from "./clock.js";

export class Session {
  private readonly t0 = now();
  private readonly deadline: number;
  private readonly overallMs: number;
  private readonly stepTimeout: number;
  private readonly loginTimeout: number | undefined;
  private readonly onStep: ((name: string) => void) | undefined;
  private readonly steps: ProbeStep[] = [];
  private readonly transcript = new Transcript(() => now() - this.t0);
  private readonly replies: ReplyRecord[] = [];
  private readonly findingList: string[] = [];
  private readonly reader = new LineReader();
  private readonly sockets: Socket[] = [];
  private socket: Socket | undefined;
  private failure: string | undefined;
  private usable = false;
  private connectedTo: string | undefined;
  private trials: ReturnType<typeof startVersionTrials>; // TLS version trials, on connections of their own
  /** Set by the script: one line on what went right. */
  okSummary = "";
  tlsInfo: TlsInfo | undefined;
  fault = false;

  constructor(
    readonly target: ProbeTarget,
    private readonly script: ProtocolScript,
    opts: EngineOptions,
  ) {
    this.overallMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.deadline = this.t0 + this.overallMs;
    this.stepTimeout = opts.stepTimeoutMs ?? Math.max(DEFAULT_STEP_TIMEOUT_MS, this.overallMs / 4);
    this.loginTimeout = opts.loginTimeoutMs;
    this.onStep = opts.onStep;
    this.transcript.addSecret(target.password);
    this.transcript.addSecret(target.oauth2Secret);
  }

  get protocol(): Protocol {
    return this.script.protocol;
  }

  /** False once the connection can no longer carry a goodbye (closed, reset, or a refused TLS upgrade). */
  get connectionUsable(): boolean {
    return this.usable;
  }

  async execute(): Promise<ProbeOutcome> {
    try {
      await this.session();
    } catch (err) {
      // A bug, not a finding: still an outcome, never a thrown probe.
      if (!(err instanceof StepFailure)) this.markFault(`internal error: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.reader.detach();
      // Outermost first: destroying a plain socket and then the TLS socket wrapping it crashes Node 20 (SIGSEGV).
      for (const s of [...this.sockets].reverse()) if (!s.destroyed) s.destroy();
    }
    const report = await finishTlsReport(this.tlsInfo, this.trials);
    this.tlsInfo = report.info;
    const findings = [...this.findingList, ...report.findings].map((f) => this.transcript.redact(f));
    for (const f of this.script.findings(this.replies).map((x) => this.transcript.redact(x))) if (!findings.includes(f)) findings.push(f);
    const out: ProbeOutcome = {
      ok: !this.fault,
      host: this.target.host,
      port: this.target.port,
      tls: this.target.tls,
      protocol: this.script.protocol,
      steps: this.steps,
      lines: this.transcript.finish(),
      totalMs: Math.round(now() - this.t0),
      replies: this.replies,
      findings,
      okSummary: this.okSummary,
      ...(this.connectedTo ? { connectedTo: this.connectedTo } : {}),
    };
    if (this.target.name !== undefined) out.name = this.target.name;
    if (this.tlsInfo) out.tlsInfo = this.tlsInfo;
    if (this.failure !== undefined) out.failure = this.transcript.redact(this.failure);
    return out;
  }

  markFault(message: string): void {
    this.fault = true;
    this.failure ??= message;
  }

  finding(text: string): void {
    this.findingList.push(text);
  }
  addSecret(secret: string): void {
    this.transcript.addSecret(secret);
  }
  redact(text: string): string {
    return this.transcript.redact(text);
  }

  /** A step that fails before anything is sent (TLS required, no logon method): recorded under its own name as not run. */
  refuse(name: string, message: string): never {
    return this.notRun(name, message, true);
  }

  /** Records `name` as never run (ms 0, ran false) and fails it; `fault`: the probe's fault is this message. */
  private notRun(name: string, message: string, fault: boolean): never {
    this.steps.push({ name, ok: false, ms: 0, detail: this.transcript.redact(message), ran: false });
    if (fault) this.markFault(message);
    throw new StepFailure(message);
  }

  /** Marks the connection as unfit for a goodbye (e.g. bytes injected before TLS). */
  abandonConnection(): void {
    this.usable = false;
  }

  /** The time a step may take, or undefined when the overall deadline has run out. */
  private budget(stepMs: number | undefined): number | undefined {
    const left = this.deadline - now();
    return left <= 0 ? undefined : stepMs === undefined ? left : Math.min(stepMs, left);
  }

  /** Runs one timed step. `fn` returns the detail line or throws; either way the step is recorded. */
  async step(name: string, fn: (timeoutMs: number) => Promise<string>, opts?: StepOptions): Promise<void> {
    const faultOnFailure = opts?.faultOnFailure ?? true;
    const login = opts?.login === true;
    if (this.onStep) {
      try {
        this.onStep(name);
      } catch {
        // Progress is a courtesy: a failing listener never fails the probe.
      }
    }
    const start = now();
    const timeoutMs = this.budget(login ? this.loginTimeout : this.stepTimeout);
    // No time was left: the step never started.
    if (timeoutMs === undefined) this.notRun(name, `timeout: the overall deadline of ${this.overallMs} ms ran out before ${name}`, faultOnFailure);
    let detail: string;
    try {
      detail = await fn(timeoutMs);
    } catch (err) {
      let message = err instanceof StepFailure ? err.message : err instanceof ProbeIoError ? ioMessage(err, name, timeoutMs, this.protocol) : `${name}: ${String(err)}`;
      if (err instanceof ProbeIoError) this.usable = false;
      if (name === "greeting" && !(err instanceof StepFailure)) message += plainAtTlsPortHint(this.target.port, this.target.tls);
      if (login && err instanceof ProbeIoError && err.kind === "timeout") message += `; ${slowLogonMessage(name, now() - start)}`;
      this.recordStep(name, start, false, message);
      if (faultOnFailure) this.markFault(message);
      throw new StepFailure(message);
    }
    const ms = this.recordStep(name, start, true, detail);
    if (login && ms > SLOW_LOGON_MS) this.finding(slowLogonMessage(name, ms));
  }

  /** Records a finished step and returns how long it took. */
  private recordStep(name: string, start: number, ok: boolean, detail: string): number {
    const ms = now() - start;
    this.steps.push({ name, ok, ms: Math.round(ms), detail: this.transcript.redact(detail) });
    return ms;
  }

  private async session(): Promise<void> {
    const t = this.target;
    const invalid = targetProblem(t);
    if (invalid) this.refuse("config", `bad probe target: ${invalid}`);
    let address = bareHost(t.host);
    await this.step("resolve", async (ms) => {
      const r = await resolveHost(address, ms);
      address = r.address;
      return r.detail;
    });
    this.trials = startVersionTrials(t, address, this.protocol, Math.min(this.stepTimeout, this.deadline - now()));
    await this.step("connect", async (ms) => {
      this.socket = await connectTcp(address, t.port, ms, this.protocol, (s) => this.sockets.push(s));
      this.usable = true;
      if (this.socket.remoteAddress) this.connectedTo = `${this.socket.remoteAddress}:${this.socket.remotePort ?? t.port}`;
      if (t.tls !== "implicit") this.reader.attach(this.socket);
      return `${address}:${t.port}`;
    });
    try {
      if (t.tls === "implicit") await this.step("tls", (ms) => this.startTls(ms));
      await this.script.run(this);
    } finally {
      if (this.usable) await this.script.quit(this).catch(() => undefined);
    }
  }

  /** The server's first reply, read with the script's reader: a refusal ends the session with what the server said. */
  async greeting(read: (ms: number) => Promise<Reply>, accepted: (r: Reply) => boolean): Promise<void> {
    await this.step("greeting", async (ms) => {
      const r = await read(ms);
      if (!accepted(r)) throw new StepFailure(`the server refused the session at greeting: ${this.shown(r)}`);
      return this.shown(r);
    });
  }

  /** The goodbye: a problem with it after an earlier fault is noise; on its own it is a fault. */
  async goodbye(name: string, exchange: (ms: number) => Promise<Reply>, accepted: (r: Reply) => boolean): Promise<void> {
    await this.step(
      name,
      async (ms) => {
        const r = await exchange(ms);
        if (!accepted(r)) throw new StepFailure(`${name} refused: ${this.shown(r)}`);
        return this.shown(r);
      },
      { faultOnFailure: !this.fault },
    );
  }

  /** Wraps the current socket in TLS and judges the certificate; no secret is sent over a refused one. */
  async startTls(ms: number): Promise<string> {
    const raw = this.socket;
    if (!raw) throw new StepFailure("internal: no socket to wrap in TLS");
    this.reader.detach();
    const host = bareHost(this.target.host);
    let sock: TLSSocket;
    try {
      sock = await upgradeTls({ raw, host, protocol: this.protocol, track: (s) => this.sockets.push(s), ...(this.target.ca !== undefined ? { ca: this.target.ca } : {}) }, ms);
    } catch (err) {
      this.usable = false;
      throw err;
    }
    this.socket = sock;
    this.reader.attach(sock);
    const judged = judgeTls(sock, host, this.target.tlsInsecure);
    this.tlsInfo = judged.info;
    for (const text of judged.said) this.finding(text);
    if (judged.refusal === undefined) return judged.detail;
    this.usable = false;
    throw new StepFailure(judged.refusal);
  }

  /** Our end of the connection as an SMTP address literal (RFC 5321 4.1.3): "[127.0.0.1]" or "[IPv6:::1]". */
  get localAddressLiteral(): string {
    return addressLiteral(this.socket?.localAddress);
  }

  /** Bytes that arrived and nobody read yet (a STARTTLS reply must be the last thing before the handshake). */
  get pendingBytes(): number {
    return this.reader.pendingBytes;
  }

  /** Sends one command line; `shown` is what the transcript may show (credentials already masked). */
  send(line: string, shown: string): void {
    this.transcript.client(shown);
    this.socket?.write(`${line}\r\n`);
  }

  /** The next line if it has already arrived (a multi-line reply's rest usually has), recorded; else undefined: wait with readLine. */
  bufferedLine(): string | undefined {
    const raw = this.reader.takeReady();
    if (raw !== undefined) this.transcript.server(raw);
    return raw;
  }

  /** Reads one line and records it in the transcript. */
  async readLine(ms: number): Promise<string> {
    const raw = await this.reader.readLine(ms);
    this.transcript.server(raw);
    return raw;
  }

  /** Reads one line that must parse as a reply of this protocol, and records it against `after`. */
  async readReply(after: string, ms: number): Promise<Reply> {
    const raw = await this.readLine(ms);
    const reply = this.script.parse(raw);
    if (!reply) throw new StepFailure(`${after}: not a ${protocolLabel(this.protocol)} reply: "${sanitise(this.transcript.redact(raw), 120)}"`);
    return this.record(after, reply);
  }

  /** Keeps a reply (parsed by the script, e.g. a multi-line SMTP reply) for diagnosis. */
  record(after: string, reply: Reply): Reply {
    this.replies.push({ after, reply });
    return reply;
  }

  /** A reply's text, safe to show in a step detail. */
  shown(reply: Reply, max = 200): string {
    return sanitise(this.transcript.redact(reply.raw.replace(/\r\n/g, " | ")), max);
  }
}

/** Runs one protocol script against one target. Never throws: every failure, even a bug, ends as an outcome. */
export function runSession(target: ProbeTarget, script: ProtocolScript, opts: EngineOptions = {}): Promise<ProbeOutcome> {
  return new Session(target, script, opts).execute();
}
