// A POP3, SMTP or IMAP probe in a thread: "probing NAME…" first, then the same message replaced by the result.
import type { Article } from "../knowledge/schema.js";
import type { NamedHost, ProbeResult } from "../probe/types.js";
import { ACTION, BLOCK, actionId } from "./actions.js";
import { actions, button, codeSections, context, packMessages, section, sections, type Block, type SlackMessage } from "./blocks.js";
import { escapeMrkdwn, escapeUntrusted, userMention } from "./escape.js";
import { nextStep } from "./next-step.js";
import { tlsReportLine } from "./tls-report.js";

function where(host: string, port: number, tls: string): string {
  return `\`${escapeUntrusted(host)}:${port}\` · TLS ${escapeMrkdwn(tls)}`;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** "Probing NAME…", then, while it runs, the step it is on and the time so far. */
export function renderProbeProgress(h: NamedHost, userId: string | undefined, now?: { step: string; elapsedMs: number }): SlackMessage {
  const name = escapeMrkdwn(h.name);
  const state = now ? ` step *${escapeMrkdwn(now.step)}* · ${seconds(now.elapsedMs)}` : "";
  return {
    text: `Probing ${name}…`,
    blocks: [section(`:hourglass_flowing_sand: Probing *${name}*…${state}`, { block_id: "probe_progress" }), context(`${where(h.host, h.port, h.tls)} · requested by ${userMention(userId)}`)],
  };
}

/** The probe's steps, transcript (password already masked by the probe), and diagnosis linked to articles. */
export function renderProbeResult(r: ProbeResult, byId: (id: string) => Article | undefined, userId: string | undefined): SlackMessage[] {
  const name = escapeMrkdwn(r.name ?? r.host);
  const icon = r.ok ? ":white_check_mark:" : ":x:";
  const blocks: Block[] = [
    section(`${icon} *${r.protocol.toUpperCase()} probe of ${name}*: ${escapeUntrusted(r.diagnosis.summary)}`),
    context(`${where(r.host, r.port, r.tls)} · ${seconds(r.totalMs)} · requested by ${userMention(userId)}`),
  ];
  // The diagnosis is said once, in the first line: steps and findings that only repeat it are not said again.
  const said = new Set([r.diagnosis.summary.trim()]);
  if (r.steps.length) {
    const lines = r.steps.map((s) => {
      const detail = s.detail && !said.has(s.detail.trim()) ? ` — ${escapeUntrusted(s.detail)}` : s.ok ? "" : " — failed";
      if (s.detail) said.add(s.detail.trim());
      return `${s.ok ? ":white_check_mark:" : ":x:"} *${escapeMrkdwn(s.name)}* ${seconds(s.ms)}${detail}`;
    });
    blocks.push(...sections(`*Steps*\n${lines.join("\n")}`));
  }
  if (r.tlsInfo) {
    const t = r.tlsInfo;
    blocks.push(
      context(
        escapeUntrusted(
          `${t.protocol} · certificate ${t.subject} issued by ${t.issuer} · ${t.daysToExpiry < 0 ? `expired ${-t.daysToExpiry} days ago` : `${t.daysToExpiry} days to expiry`}${t.selfSigned ? " · self-signed" : ""}${t.authorized ? "" : ` · not trusted${t.authorizationError ? ` (${t.authorizationError})` : ""}`}`,
        ),
      ),
    );
    const report = tlsReportLine(t, r.host);
    if (report) blocks.push(context(escapeUntrusted(`TLS report: ${report}`)));
  }
  blocks.push(section("*Transcript* (password hidden)"));
  blocks.push(...(r.lines.map((l) => l.text).length ? codeSections(escapeUntrusted(r.lines.map((l) => l.text).join("\n"))) : [context("_no bytes were exchanged_")]));

  const known = r.diagnosis.articles.map((id) => byId(id)).filter((a): a is Article => a !== undefined);
  const diag: string[] = [];
  for (const f of r.diagnosis.findings) if (!said.has(f.trim())) diag.push(`• ${escapeUntrusted(f)}`);
  for (const a of known) diag.push(`:point_right: Matches *${escapeMrkdwn(a.id)}*: ${escapeMrkdwn(a.title)}`);
  const next = nextStep(r, known);
  if (next) diag.push(`*Next step*: ${escapeUntrusted(next)}`);
  if (diag.length) blocks.push(...sections(diag.join("\n")));
  if (known.length) blocks.push(...actions(known.map((a, i) => button(`Show ${a.id}`, actionId(ACTION.show, i), a.id)), BLOCK.diagnosis));
  return packMessages(blocks, `${r.protocol.toUpperCase()} probe of ${name}: ${escapeUntrusted(r.diagnosis.summary)}`);
}

/** A probe that could not start (unknown host, rate limit): said plainly in place of the result. */
export function renderProbeRefused(reason: string): SlackMessage {
  return { text: reason, blocks: [section(`:no_entry: ${reason}`)] };
}
