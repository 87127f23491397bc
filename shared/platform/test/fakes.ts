/** Fakes of shared/platform's ports, one per port, for every service's unit tests. */

/** Metrics as the Metrics class buffers them: counts, gauges, and how often they were flushed. */
export class RecordingMetrics {
  readonly counts: Record<string, number> = {};
  readonly gauges: Record<string, number[]> = {};
  flushes = 0;
  count(name: string, value = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + value;
  }
  gauge(name: string, value: number): void {
    (this.gauges[name] ??= []).push(value);
  }
  async flush(): Promise<void> {
    this.flushes++;
  }
}
