/** Where a command writes: stdout for results, stderr for progress and problems. */
export interface Output {
  out(line?: string): void;
  err(line: string): void;
}

export const consoleOutput: Output = {
  out: (line = '') => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** A plain-text table: columns padded to their widest cell, the last column left ragged. */
export function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : (c ?? '').padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s`, `10m`, `2h`, `1d` → milliseconds; an ISO date → milliseconds before now. */
export function parseSince(value: string, now = Date.now()): number {
  const m = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (m) return Number(m[1]) * UNITS[m[2]];
  const t = Date.parse(value);
  if (!Number.isNaN(t) && t <= now) return now - t;
  throw new UsageError(`--since takes a duration like 30s, 10m, 2h, 1d or a past ISO date, not "${value}"`);
}

/** A mistake in how a command was called (exit code 2, with the usage line). */
export class UsageError extends Error {}

export const errorText = (err: unknown): string => {
  const e = err as { name?: string; message?: string; code?: string };
  const name = e?.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return `${name}${e?.message ?? String(err)}`;
};
