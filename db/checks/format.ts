import type { CheckReport, CheckResult } from "./types.js";

// The CLI's view of a report: one line per check, then what to do about each one that did not
// pass. Plain text, no colours, so it reads the same in a terminal, a CI log and a file.

const SAMPLE_LINES = 3;

const pad = (text: string, width: number) => text.padEnd(width);

function sampleLine(row: Record<string, unknown>): string {
  return Object.entries(row)
    .map(([key, value]) => `${key}=${value instanceof Date ? value.toISOString() : String(value)}`)
    .join(" ");
}

function details(result: CheckResult): string[] {
  const lines: string[] = [];
  if (result.message) lines.push(`    ${result.message}`);
  if (result.status === "pass") return lines;
  if (result.offendingCount > 0) {
    for (const row of result.sample.slice(0, SAMPLE_LINES)) lines.push(`    - ${sampleLine(row)}`);
    const more = result.offendingCount - Math.min(SAMPLE_LINES, result.sample.length);
    if (more > 0) lines.push(`    … and ${more} more`);
  }
  lines.push(`    fix: ${result.fixHint}`);
  return lines;
}

export function formatReport(report: CheckReport): string {
  const idWidth = Math.max(5, ...report.results.map((r) => r.id.length));
  const header = `${pad("STATUS", 7)}${pad("SEVERITY", 9)}${pad("CHECK", idWidth + 2)}${pad("ROWS", 7)}${pad("MS", 9)}TITLE`;
  const lines = [
    `Data-quality checks on ${report.engineLabel}, ${report.startedAt.toISOString()}`,
    "",
    header,
    "-".repeat(header.length + 20),
  ];
  for (const r of report.results) {
    lines.push(
      `${pad(r.status === "pass" ? r.status : r.status.toUpperCase(), 7)}${pad(r.severity, 9)}${pad(r.id, idWidth + 2)}` +
        `${pad(String(r.offendingCount), 7)}${pad(r.durationMs.toFixed(1), 9)}${r.title}`,
    );
    lines.push(...details(r));
  }
  const { pass, warn, fail, error } = report.counts;
  lines.push(
    "",
    `${report.results.length} checks in ${report.durationMs.toFixed(0)} ms: ${pass} pass, ${warn} warn, ` +
      `${fail} fail, ${error} error. ` +
      (report.passed ? "PASSED" : "FAILED: an error-severity check failed or could not run."),
  );
  return lines.join("\n");
}
