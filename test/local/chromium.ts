// Debian's chromium driven by playwright-core: never a downloaded browser. Missing chromium skips the
// browser tests loudly on a developer machine and fails them in CI, where .ci/run installs it.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const IN_CI = Boolean(process.env.CI);

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

if (!HAVE_CHROMIUM && !IN_CI) {
  process.stderr.write(
    `\n*** SKIPPING the local-mode browser tests: ${CHROMIUM} is missing. Install it with \`apt-get update && apt-get install -y chromium\` (CI installs it and fails without it). ***\n\n`,
  );
}

/** Whether to run the browser tests: always in CI (where a missing chromium must fail), else only with chromium. */
export const RUN_BROWSER = HAVE_CHROMIUM || IN_CI;

export async function launchChromium(): Promise<Browser> {
  if (!HAVE_CHROMIUM) throw new Error(`${CHROMIUM} is missing: CI must install chromium (see .ci/run); the browser test cannot run`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
}

/**
 * A page on local mode at `url`, once its script has run (body[data-ready]) and its event stream is live.
 * `watch` sees the page before it loads, for request and response listeners.
 */
export async function openLocalPage(browser: Browser, url: string, viewport: { width: number; height: number }, watch?: (page: Page) => void): Promise<Page> {
  const page = await browser.newPage({ viewport });
  watch?.(page);
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForSelector("#connection[data-state=live]");
  return page;
}
