// The local page follows the conversation (your message, a probe result that grows, the thread of a probe started
// in the channel), shows Details as a modal, keeps runs of spaces, asks for no favicon, and says plainly when the
// server is gone. Screenshots of an answer, a probe in progress, a probe result and the Details view are saved in
// test-results/screens/ (the README's pictures are copies of them).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocal, type LocalMode } from "../../src/app/local-mode.js";
import { startPop3Peer, type RunningPeer } from "../../src/local/pop3-peers.js";
import { PROJECT_ROOT } from "../../src/paths.js";
import { launchChromium, openLocalPage, RUN_BROWSER } from "./chromium.js";
import { localConfig } from "./config.js";

const SCREENS = join(PROJECT_ROOT, "test-results", "screens");
const PASTE_30 = [
  "Event Type:\tFailure Audit",
  "Event Source:\tMSExchangePOP3",
  "Event ID:\t11202",
  "Description: Logon attempt from to has failed: HrLookupCredentials() call failed with error: A required privilege is not held by the client.",
  ...Array.from({ length: 26 }, (_, i) => `  line ${i + 5} of the event log export`),
].join("\n");

let local: LocalMode | undefined;
let browser: Browser;
let page: Page;
let slow: RunningPeer;
let privilege: RunningPeer;
const notFound: string[] = [];

/** The element is wholly inside the scrolling list that holds it. */
async function fullyInView(el: Locator, list: Locator): Promise<boolean> {
  const [e, l] = [await el.boundingBox(), await list.boundingBox()];
  return Boolean(e && l && e.y >= l.y - 1 && e.y + e.height <= l.y + l.height + 1);
}

describe.skipIf(!RUN_BROWSER)("the local page follows the conversation", () => {
  beforeAll(async () => {
    // A slow host (greeting dripped a byte every 60 ms) to watch a probe in progress, and an Exchange 5.5 fault.
    slow = await startPop3Peer("drip", { dripIntervalMs: 60 });
    privilege = await startPop3Peer("exchange55-privilege");
    const cwd = mkdtempSync(join(tmpdir(), "local-follow-"));
    const hosts = [
      { name: "exchange55-privilege", host: privilege.host, port: privilege.port, user: "probe", passwordEnv: "FOLLOW_PW" },
      { name: "slow-server", host: slow.host, port: slow.port },
    ];
    writeFileSync(join(cwd, "probe-hosts.yml"), `hosts:\n${hosts.map((h) => `  - ${JSON.stringify(h)}`).join("\n")}\n`);
    local = await startLocal(localConfig(cwd), { env: { FOLLOW_PW: "follow-Secret-1" }, log: () => undefined });
    browser = await launchChromium();
    page = await openLocalPage(browser, local.url, { width: 1440, height: 900 }, (p) => p.on("response", (r) => void (r.status() === 404 && notFound.push(r.url()))));
    mkdirSync(SCREENS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await local?.stop().catch(() => undefined);
    await Promise.all([slow?.stop(), privilege?.stop()]);
  });

  it("your own 30-line paste scrolls into view; runs of spaces are kept", async () => {
    for (let i = 0; i < 12; i++) {
      await page.locator("#composer-input").fill(`chatter ${i} with    four spaces`);
      await page.locator("#composer-input").press("Enter");
    }
    await page.locator("#messages .msg.from-person", { hasText: "chatter 11" }).waitFor();
    expect(await page.locator("#messages .msg.from-person", { hasText: "chatter 11" }).innerText()).toContain("with    four spaces");
    await page.locator("#messages").evaluate((el) => (el.scrollTop = 0));
    await page.locator("#composer-input").fill(PASTE_30);
    await page.locator("#composer-input").press("Enter");
    const mine = page.locator("#messages .msg.from-person", { hasText: "line 30 of the event log export" });
    await mine.waitFor();
    await expect.poll(() => fullyInView(mine.locator(".msg-body"), page.locator("#messages"))).toBe(true);
    expect(await mine.innerText()).toContain("  line 30 of the event log export");
  });

  it("a probe started from an answer in the channel opens its thread, shows progress, and its result is fully in view", async () => {
    await page.locator("#thread-close").click().catch(() => undefined);
    await page.locator("#composer-input").fill("/exchange 11202");
    await page.locator("#composer-input").press("Enter");
    const parent = page.locator("#messages .msg.from-bot", { hasText: "Run POP3 probe: slow-server" }).last();
    await parent.waitFor();
    await page.locator("#thread-close").click().catch(() => undefined);
    await expect.poll(() => page.locator("#thread").isHidden()).toBe(true);
    await page.screenshot({ path: join(SCREENS, "answer.png") });

    await parent.locator("button.btn", { hasText: "Run POP3 probe: slow-server" }).click();
    // The thread pane opens on that answer, and the "Probing…" message says which step and how long.
    const progress = page.locator("#thread .msg.from-bot", { hasText: /Probing slow-server… step \w+ · [\d.]+ (ms|s)/ });
    await progress.waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(SCREENS, "probe-in-progress.png") });

    const result = page.locator("#thread .msg.from-bot", { hasText: "POP3 probe of slow-server" });
    await result.waitFor({ timeout: 20_000 });
    await expect.poll(() => fullyInView(result, page.locator("#thread-messages"))).toBe(true);
    expect(await result.innerText()).toContain("Next step:");
    await page.screenshot({ path: join(SCREENS, "probe-result.png") });
  }, 40_000);

  it("Details opens the article's long form in a modal over the channel; Escape closes it", async () => {
    const parent = page.locator("#messages .msg.from-bot", { hasText: "Run POP3 probe: slow-server" }).last();
    await parent.locator("button.btn", { hasText: /^Details$/ }).click();
    const modal = page.locator("#modal .modal");
    await modal.waitFor({ timeout: 10_000 });
    expect(await modal.locator(".modal-header").innerText()).toContain("Details: Q171435");
    expect(await modal.innerText()).toContain("Confirm it with telnet");
    await page.screenshot({ path: join(SCREENS, "details.png") });
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("#modal").count()).toBe(0);
  });

  it("asks for no favicon and gets no 404; a stopped server is said plainly, not as 'Failed to fetch'", async () => {
    expect(notFound).toEqual([]);
    await local!.stop();
    local = undefined;
    await page.locator("#composer-input").fill("anyone there?");
    await page.locator("#composer-input").press("Enter");
    await expect.poll(() => page.locator("#composer-error").innerText()).toMatch(/The local server is not running .*npm start/);
    expect(await page.locator("#composer-error").innerText()).not.toContain("Failed to fetch");
  });
});
