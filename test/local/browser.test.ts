// Local mode in real headless Chromium: a person pastes an error, clicks the probe and feedback buttons,
// and sees what the bot sent, all through the page's server and the bot's real, signature-checking receiver.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Article } from "../../src/knowledge/schema.js";
import { fixtureArticles } from "../helpers/knowledge.js";
import { startLocal, type LocalMode } from "../../src/app/local-mode.js";
import { PROJECT_ROOT } from "../../src/paths.js";
import type { LogRecord } from "../../src/slack/services.js";
import { launchChromium, openLocalPage, RUN_BROWSER } from "./chromium.js";
import { localConfig } from "./config.js";

const PASTE_11202 = [
  "Event Type:\tFailure Audit",
  "Event Source:\tMSExchangePOP3",
  "Event Category:\tNone",
  "Event ID:\t11202",
  "Description:",
  "Logon attempt from <192.168.1.20> to <POP3> has failed: HrLookupCredentials() call failed with error: A required privilege is not held by the client.",
].join("\n");

const SCREENSHOT = join(PROJECT_ROOT, "test-results", "local-mode.png");

let local: LocalMode;
let browser: Browser;
let page: Page;
let q171435: Article;
const env: NodeJS.ProcessEnv = {};
const logs: LogRecord[] = [];
const requests: { method: string; url: string }[] = [];

describe.skipIf(!RUN_BROWSER)("local mode in Chromium", () => {
  beforeAll(async () => {
    q171435 = fixtureArticles().find((a) => a.id === "Q171435")!;
    // A folder with no probe-hosts.yml: the lab servers become the named hosts, as on a fresh clone.
    const cwd = mkdtempSync(join(tmpdir(), "local-mode-"));
    local = await startLocal(localConfig(cwd), { env, log: (r) => logs.push(r) });
    browser = await launchChromium();
    page = await openLocalPage(browser, local.url, { width: 1440, height: 960 }, (p) => p.on("request", (r) => requests.push({ method: r.method(), url: r.url() })));
  });

  afterAll(async () => {
    await browser?.close();
    await local?.stop();
  });

  it("the intro advertises only hosts an answer offers a button for, with those answers", async () => {
    const intro = page.locator("#intro");
    await expect.poll(() => intro.innerText()).toContain("Probe buttons");
    const text = await intro.innerText();
    expect(text).toMatch(/hub02 \(SMTP: [^)]*E2007-1020/);
    expect(text).toMatch(/exchange55-privilege \(POP3: [^)]*Q171435/);
    // The fixture base has no IMAP article: no answer would offer imap-lab, so the intro does not either.
    expect(text).not.toContain("imap-lab");
    expect(text).not.toContain("Exchange 5.5");
  });

  it("paste 11202 → cause and numbered steps in the thread; probe the privilege lab host; say it helped", async () => {
    expect(env.PROBE_LAB_PASSWORD, "the lab peers need a password to hide").toBeTruthy();
    const password = env.PROBE_LAB_PASSWORD!;

    await page.locator("#composer-input").fill(PASTE_11202);
    await page.locator("#composer-input").press("Enter");

    // The paste itself shows in the channel as the person's message, escaped the way Slack stores it.
    const pasted = page.locator("#messages .msg.from-person").last();
    await expect.poll(() => pasted.innerText()).toContain("Logon attempt from <192.168.1.20> to <POP3> has failed");

    // The bot answers in a thread under the paste; the page opens it.
    const thread = page.locator("#thread");
    await thread.waitFor({ state: "visible", timeout: 10_000 });
    await page.locator("#thread .msg.from-bot").first().waitFor();
    const threadText = await thread.innerText();
    expect(threadText).toContain("Cause");
    expect(threadText).toContain(q171435.cause.split(".")[0]!);
    expect(threadText).toContain("Event 11202 (MSExchangePOP3, Failure Audit)");
    await expect.poll(() => page.locator("#messages .msg.from-person").last().locator(".replies").innerText()).toMatch(/^\d+ repl(y|ies)$/);

    // Numbered steps as Slack numbers them: each rich-text ordered list starts where the last one stopped.
    const steps = await page.$$eval("#thread ol.rt-list", (lists) =>
      lists.flatMap((ol) => Array.from(ol.querySelectorAll(":scope > li")).map((li, i) => ({ n: (ol as HTMLOListElement).start + i, text: (li as HTMLElement).innerText.trim() }))),
    );
    // A step's path shows right after its text (as code); its command in a code block under it, not in the list.
    expect(steps).toEqual(q171435.steps!.map((s, i) => ({ n: i + 1, text: s.path ? `${s.text} ${s.path}` : s.text })));

    // The probe button for the privilege lab host, in the thread.
    const before = local.api.lastSeq;
    await page.locator("#thread button.btn", { hasText: "Run POP3 probe: exchange55-privilege" }).click();
    const result = page.locator("#thread .msg.from-bot", { hasText: "POP3 probe of exchange55-privilege" });
    await result.waitFor({ timeout: 15_000 });
    const resultText = await result.innerText();
    expect(resultText).toContain("Transcript (password hidden)");
    expect(resultText).toMatch(/S: \+OK Microsoft Exchange POP3 server version 5\.5/);
    expect(resultText).toContain("C: USER probe");
    expect(resultText).toContain("C: PASS ********");
    expect(resultText).toContain("-ERR A required privilege is not held by the client");
    expect(resultText).toMatch(/Next step: /);
    expect(resultText).toMatch(/Matches Q171435/);
    expect(await page.content()).not.toContain(password);

    // "Probing…" was posted, then that same message was updated: one element on the page, marked edited.
    const changes = local.api.changesSince(before);
    const progress = changes.find((c) => c.type === "posted" && c.message.text.startsWith("Probing exchange55-privilege"));
    expect(progress, "a progress message was posted first").toBeDefined();
    expect(changes.some((c) => c.type === "updated" && c.message.ts === progress!.message.ts)).toBe(true);
    expect(await result.getAttribute("data-ts")).toBe(progress!.message.ts);
    expect(await page.locator(`#thread .msg[data-ts="${progress!.message.ts}"]`).count()).toBe(1);
    expect(await result.locator(".edited").count()).toBe(1);

    // "Did this help?" → Yes: the bot records it and shows the count under the buttons, which stay.
    await page.locator("#thread button.btn", { hasText: /^Yes$/ }).click();
    await page.locator("#thread", { hasText: "1 found this helpful" }).waitFor({ timeout: 10_000 });
    expect(await page.locator("#thread button.btn", { hasText: /^Yes$/ }).count()).toBe(1);
    expect(logs).toContainEqual(expect.objectContaining({ event: "feedback", helpful: true, article: "Q171435", user: local.info.user.id, channel: local.info.channel.id }));

    // Tall enough that the whole thread (cause, steps, transcript, diagnosis, votes) is in one picture.
    mkdirSync(join(PROJECT_ROOT, "test-results"), { recursive: true });
    await page.setViewportSize({ width: 1440, height: 2000 });
    await page.locator("#thread-messages").evaluate((el) => (el.scrollTop = 0));
    await page.screenshot({ path: SCREENSHOT });
    await page.setViewportSize({ width: 1440, height: 960 });

    // The page spoke only to its own server, and only through the page's endpoints.
    const origin = new URL(local.url).origin;
    for (const r of requests) {
      expect(r.url.startsWith(origin), r.url).toBe(true);
      const path = new URL(r.url).pathname;
      expect(["/", "/local/info", "/local/knowledge", "/local/messages", "/local/stream", "/local/send", "/local/click"].includes(path) || path.startsWith("/page/"), path).toBe(true);
    }
    expect(requests.filter((r) => r.method === "POST").map((r) => new URL(r.url).pathname)).toEqual(["/local/send", "/local/click", "/local/click"]);
  }, 60_000);

  it("/exchange 11202 posts a parent with probe buttons and opens its thread of steps; help is only for you", async () => {
    await page.locator("#thread-close").click();
    await page.locator("#composer-input").fill("/exchange 11202");
    await page.locator("#composer-input").press("Enter");
    const parent = page.locator("#messages .msg.from-bot", { hasText: q171435.title }).last();
    await parent.waitFor({ timeout: 10_000 });
    expect(await parent.locator(".b-header").innerText()).toBe(q171435.title);
    expect(await parent.locator("button.btn", { hasText: "Run POP3 probe" }).allInnerTexts()).toEqual(local.hosts.filter((h) => (h.protocol ?? "pop3") === "pop3").map((h) => `Run POP3 probe: ${h.name}`));
    await page.locator("#thread ol.rt-list").first().waitFor({ timeout: 10_000 });
    expect(await page.locator("#thread ol.rt-list > li").count()).toBe(q171435.resolution.length);

    await page.locator("#composer-input").fill("/exchange help");
    await page.locator("#composer-input").press("Enter");
    const help = page.locator("#messages .msg.ephemeral", { hasText: "/exchange 11202" }).last();
    await help.waitFor({ timeout: 10_000 });
    expect(await help.innerText()).toContain("Only visible to you");

    await page.locator("#composer-input").fill("/invite @someone");
    await page.locator("#composer-input").press("Enter");
    await expect.poll(() => page.locator("#composer-error").innerText()).toContain("/invite is not a command");
  }, 60_000);

  it("chatter gets no answer and is shown as text, never as markup", async () => {
    const before = local.api.botMessages({ channel: local.info.channel.id }).length;
    await page.locator("#composer-input").fill('lunch? <img src=x onerror="window.pwned=1"> <script>window.pwned=2</script>');
    await page.locator("#composer-input").press("Enter");
    const mine = page.locator("#messages .msg.from-person", { hasText: "lunch?" });
    await mine.waitFor();
    expect(await mine.innerText()).toContain('<img src=x onerror="window.pwned=1">');
    expect(await mine.locator("img, script").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    // Give the bot the time it would take to answer, then check it stayed silent.
    await new Promise((r) => setTimeout(r, 500));
    expect(local.api.botMessages({ channel: local.info.channel.id }).length).toBe(before);
  });

  it("a block type the page does not draw shows a visible placeholder, live", async () => {
    await local.bot.app.client.chat.postMessage({
      channel: local.info.channel.id,
      text: "diagram",
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: "Here is the *topology*:" } },
        { type: "image", image_url: "http://127.0.0.1:9/topology.png", alt_text: "topology" },
      ],
    });
    const msg = page.locator("#messages .msg.from-bot", { hasText: "topology" }).last();
    await msg.waitFor({ timeout: 5000 });
    const placeholder = msg.locator('[data-unsupported="image"]');
    expect(await placeholder.isVisible()).toBe(true);
    expect(await placeholder.innerText()).toContain("image");
    expect(await msg.locator("b", { hasText: "topology" }).count()).toBe(1);
  });

  it("a restarted bot (after editing an article, say) reloads the page onto the new run", async () => {
    const port = local.port;
    const oldRun = local.info.runId;
    expect(await page.locator("#messages .msg").count()).toBeGreaterThan(0);
    await local.stop();
    await page.waitForSelector("#connection[data-state=reconnecting]", { timeout: 10_000 });
    local = await startLocal(localConfig(mkdtempSync(join(tmpdir(), "local-mode-")), { PORT: String(port) }), { env, log: (r) => logs.push(r) });
    expect(local.info.runId).not.toBe(oldRun);
    // The old run's messages are gone from the page only if it reloaded onto the new, empty run.
    await page.waitForFunction(() => document.body.dataset.ready === "true" && document.querySelectorAll("#messages .msg").length === 0, undefined, { timeout: 15_000 });
    await page.waitForSelector("#connection[data-state=live]", { timeout: 10_000 });
  }, 40_000);
});
