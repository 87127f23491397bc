import os from 'node:os';

/** Small numeric and table helpers shared by the benchmark scripts. */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

export const ms = (value: number, digits = 1) => (Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a');

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * A GitHub-flavoured Markdown table, padded so it also reads well in a terminal. Columns whose
 * header starts with a space are right-aligned (numbers).
 */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const right = headers.map((h) => h.startsWith(' '));
  const cells = [headers.map((h) => h.trim()), ...rows];
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => (right[i] ? (c ?? '').padStart(widths[i]) : (c ?? '').padEnd(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (right[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

const loadAtStart = os.loadavg();

/**
 * The header lines every benchmark prints above its tables (a Markdown list, so the output pastes
 * into docs/benchmarks.md as it is): when, where, how it was run, and how busy the machine was
 * (other work on 2 cores shows up in every number).
 */
export function runContext(command: string): string {
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const cpus = os.cpus();
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}`,
    `- load average (1/5/15 min): ${load(loadAtStart)} at the start, ${load(os.loadavg())} at the end`,
    `- command: \`${command}\``,
  ].join('\n');
}
