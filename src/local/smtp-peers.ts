// Scripted SMTP submission peers on loopback: an Exchange 2007 Receive connector that refuses submission the way
// event 1020 describes, and a healthy submission service. For tests, the benchmark and local mode.
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { onCommands, startPeerServer, upgradeToTls, verb, type PeerTls, type RunningPeer, type Send } from "./peer-server.js";

export type SmtpPeerBehaviour =
  /**
   * Exchange 2007 Hub Transport, Client Receive connector: the probe account's credentials are valid, but it lacks
   * Ms-Exch-SMTP-Submit, so Exchange logs event 1020 ("failing authentication") and answers AUTH with 535 5.7.3;
   * anonymous users may not submit either, so MAIL FROM without a logon gets 530 5.7.1.
   */
  | "exchange2007-1020"
  /** A submission service that accepts the password and the envelope. */
  | "smtp-healthy"
  /**
   * An Exchange Online tenant whose SMTP AUTH is turned off (the default for existing tenants from the end of
   * December 2026): every AUTH, password or token, gets the 5.7.139 SmtpClientAuthentication reply.
   */
  | "exo-smtp-auth-disabled";

const EXO_AUTH_DISABLED = "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.";
const EXO_HOST = "LAB0PR01CA0001.outlook.office365.com";

export interface SmtpPeerOptions {
  /** The password the healthy peer accepts (any when unset). */
  password?: string;
  tls?: PeerTls;
  /** SASL mechanisms offered after AUTH in EHLO. */
  auth?: string[];
  /** Every command verb received, in order (tests check that DATA never arrives). */
  commands?: string[];
}

const EX_HOST = "hub02.contoso.local";

function ehloLines(host: string, greetingName: string, secure: boolean, opts: SmtpPeerOptions, exchange: boolean): string {
  const starttls = opts.tls?.mode === "starttls" && !secure;
  const lines = [
    `250-${host} Hello [${greetingName}]`,
    "250-SIZE 10485760",
    "250-PIPELINING",
    ...(exchange ? ["250-DSN"] : []),
    "250-ENHANCEDSTATUSCODES",
    ...(starttls ? ["250-STARTTLS"] : []),
    `250-AUTH ${(opts.auth ?? (exchange ? ["NTLM", "LOGIN"] : ["PLAIN", "LOGIN"])).join(" ")}`,
    "250-8BITMIME",
    ...(exchange ? ["250-BINARYMIME"] : []),
    exchange ? "250 CHUNKING" : "250 SMTPUTF8",
  ];
  return lines.join("\r\n");
}

function script(behaviour: SmtpPeerBehaviour, opts: SmtpPeerOptions) {
  const exo = behaviour === "exo-smtp-auth-disabled";
  const exchange = behaviour === "exchange2007-1020" || exo;
  const host = exo ? EXO_HOST : exchange ? EX_HOST : "submit.lab.local";
  if (exo) opts = { ...opts, auth: opts.auth ?? ["LOGIN", "XOAUTH2"] };
  return (socket: Socket, startSecure: boolean, track: (t: TLSSocket) => void): void => {
    let secure = startSecure;
    let current = socket;
    let authed = false;
    let mail = false;
    /** AUTH LOGIN in progress: what the next line is. */
    let pending: "user" | "password" | undefined;
    const accept = (pw: string) => !exchange && (opts.password === undefined || pw === opts.password);
    const finishAuth = (pw: string, send: Send) => {
      // Exchange says the same to a wrong password and to valid credentials without Ms-Exch-SMTP-Submit (event 1020).
      if (accept(pw)) {
        authed = true;
        send("235 2.7.0 Authentication successful");
      } else send(exo ? EXO_AUTH_DISABLED : exchange ? "535 5.7.3 Authentication unsuccessful" : "535 5.7.8 Error: authentication failed");
    };
    const handler = (line: string, send: Send): void => {
      if (pending) {
        const decoded = Buffer.from(line, "base64").toString("utf8");
        if (line === "*") {
          pending = undefined;
          send("501 5.0.0 Authentication cancelled");
        } else if (pending === "user") {
          pending = "password";
          send("334 UGFzc3dvcmQ6");
        } else {
          pending = undefined;
          finishAuth(decoded, send);
        }
        return;
      }
      const { cmd, arg } = verb(line);
      opts.commands?.push(cmd);
      if (cmd === "EHLO") send(ehloLines(host, socket.remoteAddress ?? "127.0.0.1", secure, opts, exchange));
      else if (cmd === "STARTTLS" && opts.tls?.mode === "starttls" && !secure) {
        send("220 2.0.0 SMTP server ready");
        current = upgradeToTls(current, opts.tls, track, handler);
        secure = true;
      } else if (cmd === "AUTH" && !authed) {
        const [mech, ir] = arg.split(" ");
        if (mech?.toUpperCase() === "LOGIN") {
          pending = "user";
          send("334 VXNlcm5hbWU6");
        } else if (exo && mech?.toUpperCase() === "XOAUTH2") {
          send(EXO_AUTH_DISABLED);
        } else if (mech?.toUpperCase() === "PLAIN" && (opts.auth ?? ["PLAIN"]).includes("PLAIN") && !exchange) {
          finishAuth(Buffer.from(ir ?? "", "base64").toString("utf8").split("\0")[2] ?? "", send);
        } else send("504 5.7.4 Unrecognized authentication type");
      } else if (cmd === "MAIL") {
        if (!authed) send(exchange ? "530 5.7.1 Client was not authenticated" : "530 5.7.0 Authentication required");
        else {
          mail = true;
          send("250 2.1.0 Sender OK");
        }
      } else if (cmd === "RCPT") send(mail ? "250 2.1.5 Recipient OK" : "503 5.5.1 Need MAIL command");
      else if (cmd === "RSET") {
        mail = false;
        send(exchange ? "250 2.0.0 Resetting" : "250 2.0.0 Ok");
      } else if (cmd === "DATA") send("554 5.5.1 The lab never takes mail");
      else if (cmd === "QUIT") {
        send("221 2.0.0 Service closing transmission channel");
        current.end();
      } else send("500 5.3.3 Unrecognized command");
    };
    onCommands(socket, handler);
    const when = new Date().toUTCString().replace(/ GMT$/, " +0000");
    socket.write(exchange ? `220 ${host} Microsoft ESMTP MAIL Service ready at ${when}\r\n` : `220 ${host} ESMTP lab\r\n`);
  };
}

/** Starts one scripted SMTP peer on 127.0.0.1 on a free port. */
export function startSmtpPeer(behaviour: SmtpPeerBehaviour, opts: SmtpPeerOptions = {}): Promise<RunningPeer> {
  return startPeerServer(behaviour, script(behaviour, opts), opts.tls?.mode === "implicit" ? opts.tls : undefined);
}
