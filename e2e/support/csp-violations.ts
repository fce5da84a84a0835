import type { Page } from "@playwright/test";

// Content-Security-Policy violations a page reports: the page records every
// `securitypolicyviolation` event itself (from before its first script runs), and console
// messages that mention the policy are collected here.

export async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const seen = ((window as unknown as { __violations?: string[] }).__violations ??= []);
      seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** The violations the current document recorded. */
export async function pageViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);
}
