// CloudWatch metrics, alarms and dashboards. SDK v3 speaks AWS JSON 1.0 (query-compatible errors), AWS CLI v2.9
// the query protocol (Version 2010-08-01); both reach `handle` with the same input shape (query values as strings).
import { AwsError, XmlMap, bool, list, num, page, rec, str, strs, time, unknownAction, type Rec, type Service } from './protocol';

interface Dim { Name: string; Value: string }
/** One datum: a statistic set plus, when known, the raw values as [value, count] (for percentiles). */
interface Sample { t: number; n: number; sum: number; min: number; max: number; unit: string; values?: [number, number][] }
interface Series { Namespace: string; MetricName: string; Dimensions: Dim[]; samples: Sample[] }
/** A PutMetricAlarm input, normalised; timestamps in epoch ms. */
type Alarm = Rec & { AlarmName: string; StateValue: string };
interface Dashboard { name: string; body: string; lastModified: number }

const RETENTION_MS = 24 * 3600_000;
const MAX_SAMPLES = 100_000;
const OPERATORS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
const ALARM_TIMES = ['AlarmConfigurationUpdatedTimestamp', 'StateUpdatedTimestamp', 'StateTransitionedTimestamp'];
// JSON `__type` is the SDK's shape name; the query / `x-amzn-query-error` code is AWS's query code.
const invalidValue = (m: string) => new AwsError('InvalidParameterValueException', m, 400, 'InvalidParameterValue');
const combination = (m: string) => new AwsError('InvalidParameterCombinationException', m, 400, 'InvalidParameterCombination');
const missing = (field: string) => new AwsError('MissingRequiredParameterException', `The parameter ${field} is required.`, 400, 'MissingParameter');
const noDashboard = (name: string) => new AwsError('DashboardNotFoundError', `Dashboard ${name} does not exist`, 404, 'ResourceNotFound');

const dims = (v: unknown): Dim[] => list(v).map((d) => ({ Name: str(rec(d).Name) ?? '', Value: str(rec(d).Value) ?? '' }));
const seriesKey = (ns: string, name: string, d: Dim[]): string =>
  JSON.stringify([ns, name, d.map((x) => [x.Name, x.Value]).sort()]);
const alarmView = (a: Alarm): Rec => ({ ...a, ...Object.fromEntries(ALARM_TIMES.map((k) => [k, a[k] && new Date(a[k] as number)])) });
function need<T>(v: T | undefined, field: string): T {
  if (v === undefined || v === '') throw missing(field);
  return v;
}

export class CloudWatchService implements Service {
  private series = new Map<string, Series>();
  private alarms = new Map<string, Alarm>();
  private dashboards = new Map<string, Dashboard>();
  onChange = (): void => {};

  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  handle(action: string, i: Rec): unknown {
    switch (action) {
      case 'PutMetricData': {
        const namespace = need(str(i.Namespace), 'Namespace');
        if (namespace.startsWith('AWS/')) throw invalidValue('The value AWS/ for parameter Namespace is invalid.');
        this.putMetricData(namespace, list(i.MetricData).map(rec));
        return {};
      }
      case 'GetMetricStatistics':
        return this.getMetricStatistics(i);
      case 'GetMetricData':
        return this.getMetricData(i);
      case 'ListMetrics': {
        const filters = list(i.Dimensions).map(rec);
        const matches = [...this.series.values()].filter((s) =>
          (!i.Namespace || s.Namespace === str(i.Namespace)) && (!i.MetricName || s.MetricName === str(i.MetricName)) &&
          filters.every((f) => s.Dimensions.some((d) => d.Name === str(f.Name) && (f.Value === undefined || d.Value === str(f.Value)))));
        const { items, next } = page(matches, i.NextToken, 500);
        return { Metrics: items.map(({ Namespace, MetricName, Dimensions }) => ({ Namespace, MetricName, Dimensions })), NextToken: next };
      }
      case 'PutMetricAlarm':
        this.putMetricAlarm(i);
        return {};
      case 'DescribeAlarms': {
        const names = strs(i.AlarmNames);
        const [prefix, state, action] = [str(i.AlarmNamePrefix), str(i.StateValue), str(i.ActionPrefix)];
        const matches = [...this.alarms.values()].sort((a, b) => a.AlarmName.localeCompare(b.AlarmName)).filter((a) =>
          (!names.length || names.includes(a.AlarmName)) && (!prefix || a.AlarmName.startsWith(prefix)) &&
          (!state || a.StateValue === state) && (!action || strs(a.AlarmActions).some((x) => x.startsWith(action))));
        const { items, next } = page(matches, i.NextToken, num(i.MaxRecords) ?? 50);
        return { MetricAlarms: items.map(alarmView), CompositeAlarms: [], NextToken: next };
      }
      case 'SetAlarmState': {
        const a = this.alarms.get(str(i.AlarmName) ?? '');
        if (!a) throw new AwsError('ResourceNotFound', `Alarm ${str(i.AlarmName)} does not exist`, 404);
        const state = need(str(i.StateValue), 'StateValue');
        if (!['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(state)) throw invalidValue(`Invalid StateValue: ${state}`);
        const now = Date.now();
        Object.assign(a, { StateValue: state, StateReason: need(str(i.StateReason), 'StateReason'), StateUpdatedTimestamp: now, StateTransitionedTimestamp: now });
        this.onChange();
        return {};
      }
      case 'DeleteAlarms': {
        const names = strs(i.AlarmNames);
        const unknown = names.filter((n) => !this.alarms.has(n));
        if (unknown.length) throw new AwsError('ResourceNotFound', `Alarm(s) ${unknown.join(', ')} not found`, 404);
        names.forEach((n) => this.alarms.delete(n));
        this.onChange();
        return {};
      }
      case 'PutDashboard':
        return this.putDashboard(need(str(i.DashboardName), 'DashboardName'), need(str(i.DashboardBody), 'DashboardBody'));
      case 'GetDashboard': {
        const d = this.dashboards.get(str(i.DashboardName) ?? '');
        if (!d) throw noDashboard(str(i.DashboardName) ?? '');
        return { DashboardArn: this.dashboardArn(d.name), DashboardBody: d.body, DashboardName: d.name };
      }
      case 'ListDashboards': {
        const prefix = str(i.DashboardNamePrefix) ?? '';
        const matches = [...this.dashboards.values()].filter((d) => d.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
        const { items, next } = page(matches, i.NextToken, 1000);
        return {
          DashboardEntries: items.map((d) => ({
            DashboardName: d.name, DashboardArn: this.dashboardArn(d.name), LastModified: new Date(d.lastModified), Size: Buffer.byteLength(d.body),
          })),
          NextToken: next,
        };
      }
      case 'DeleteDashboards': {
        const names = strs(i.DashboardNames);
        const unknown = names.find((n) => !this.dashboards.has(n));
        if (unknown !== undefined) throw noDashboard(unknown);
        names.forEach((n) => this.dashboards.delete(n));
        this.onChange();
        return {};
      }
      default:
        throw unknownAction(action);
    }
  }

  snapshot(): unknown {
    return { series: [...this.series.values()], alarms: [...this.alarms.values()], dashboards: [...this.dashboards.values()] };
  }

  restore(data: unknown): void {
    const d = rec(data);
    this.series = new Map((list(d.series) as Series[]).map((s) => [seriesKey(s.Namespace, s.MetricName, s.Dimensions), s]));
    this.alarms = new Map((list(d.alarms) as Alarm[]).map((a) => [a.AlarmName, a]));
    this.dashboards = new Map((list(d.dashboards) as Dashboard[]).map((x) => [x.name, x]));
  }

  /** Stores datums. Also how the local stack records what AWS publishes itself (AWS/Lambda), which the API refuses. */
  putMetricData(namespace: string, data: Rec[]): void {
    const now = Date.now();
    data.forEach((d, k) => {
      const name = need(str(d.MetricName), `MetricData.member.${k + 1}.MetricName`);
      const key = seriesKey(namespace, name, dims(d.Dimensions));
      const s = this.series.get(key) ?? { Namespace: namespace, MetricName: name, Dimensions: dims(d.Dimensions), samples: [] };
      this.series.set(key, s);
      s.samples.push(toSample(d, time(d.Timestamp) ?? now, str(d.Unit) ?? 'None'));
      // Keep memory bounded: the last 24 hours, at most MAX_SAMPLES per metric.
      if (s.samples[0].t < now - RETENTION_MS) s.samples = s.samples.filter((x) => x.t >= now - RETENTION_MS);
      if (s.samples.length > MAX_SAMPLES) s.samples.shift();
    });
    this.onChange();
  }

  private getMetricStatistics(i: Rec): Rec {
    const name = need(str(i.MetricName), 'MetricName');
    const [stats, extended, unit] = [strs(i.Statistics), strs(i.ExtendedStatistics), str(i.Unit)];
    if (!stats.length && !extended.length) throw combination('Must specify either Statistics or ExtendedStatistics');
    const buckets = this.buckets(need(str(i.Namespace), 'Namespace'), name, dims(i.Dimensions), unit,
      need(time(i.StartTime), 'StartTime'), need(time(i.EndTime), 'EndTime'), need(num(i.Period), 'Period'));
    const pick = (samples: Sample[], list: string[]) => Object.fromEntries(list.map((s) => [s, statistic(samples, s)]));
    return {
      Label: name,
      Datapoints: [...buckets].map(([t, samples]) => ({
        Timestamp: new Date(t), ...pick(samples, stats), Unit: unit ?? samples[0].unit,
        ...(extended.length ? { ExtendedStatistics: new XmlMap(pick(samples, extended)) } : {}),
      })),
    };
  }

  private getMetricData(i: Rec): Rec {
    const [start, end] = [need(time(i.StartTime), 'StartTime'), need(time(i.EndTime), 'EndTime')];
    const queries = list(i.MetricDataQueries).map(rec).filter((q) => bool(q.ReturnData) !== false);
    const results = queries.map((q) => {
      const stat = rec(q.MetricStat);
      const metric = rec(stat.Metric);
      if (!q.MetricStat) {
        return { Id: str(q.Id), Label: str(q.Label) ?? str(q.Id), Timestamps: [], Values: [], StatusCode: 'InternalError',
          Messages: [{ Code: 'Unsupported', Value: 'Only MetricStat queries are supported locally (no metric math).' }] };
      }
      const buckets = [...this.buckets(str(metric.Namespace) ?? '', str(metric.MetricName) ?? '', dims(metric.Dimensions), str(stat.Unit),
        start, end, need(num(stat.Period), 'Period'))];
      const points = buckets.map(([t, samples]) => [t, statistic(samples, str(stat.Stat) ?? 'Average')] as const).filter(([, v]) => v !== undefined);
      if (str(i.ScanBy) !== 'TimestampAscending') points.reverse(); // AWS default: newest first
      return {
        Id: str(q.Id), Label: str(q.Label) ?? str(metric.MetricName), StatusCode: 'Complete',
        Timestamps: points.map(([t]) => new Date(t)), Values: points.map(([, v]) => v),
      };
    });
    return { MetricDataResults: results, Messages: [] };
  }

  /** Samples of one exact metric (all dimensions equal) within [start, end), by period, oldest first. */
  private buckets(ns: string, name: string, d: Dim[], unit: string | undefined, start: number, end: number, periodS: number): Map<number, Sample[]> {
    const period = periodS * 1000;
    const out = new Map<number, Sample[]>();
    const samples = (this.series.get(seriesKey(ns, name, d))?.samples ?? [])
      .filter((s) => s.t >= start && s.t < end && (!unit || s.unit === unit)).sort((a, b) => a.t - b.t);
    for (const s of samples) {
      const t = Math.floor(s.t / period) * period;
      out.set(t, [...(out.get(t) ?? []), s]);
    }
    return out;
  }

  private putMetricAlarm(i: Rec): void {
    const name = need(str(i.AlarmName), 'AlarmName');
    const op = need(str(i.ComparisonOperator), 'ComparisonOperator');
    if (!OPERATORS.includes(op)) throw invalidValue(`ComparisonOperator ${op} is not supported locally`);
    if (i.Metrics) throw invalidValue('Metric math alarms (Metrics) are not supported locally');
    ['MetricName', 'Namespace', 'Period', 'EvaluationPeriods', 'Threshold'].forEach((k) => need(str(i[k]), k));
    if (!i.Statistic && !i.ExtendedStatistic) throw missing('Statistic');
    const prev = this.alarms.get(name);
    const now = Date.now();
    this.alarms.set(name, {
      AlarmName: name, AlarmArn: `arn:aws:cloudwatch:${this.region}:${this.accountId}:alarm:${name}`,
      AlarmDescription: str(i.AlarmDescription), AlarmConfigurationUpdatedTimestamp: now, ActionsEnabled: bool(i.ActionsEnabled) ?? true,
      OKActions: strs(i.OKActions), AlarmActions: strs(i.AlarmActions), InsufficientDataActions: strs(i.InsufficientDataActions),
      StateValue: prev?.StateValue ?? 'INSUFFICIENT_DATA', StateReason: prev?.StateReason ?? 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: prev?.StateUpdatedTimestamp ?? now, MetricName: str(i.MetricName), Namespace: str(i.Namespace),
      Statistic: str(i.Statistic), ExtendedStatistic: str(i.ExtendedStatistic), Dimensions: dims(i.Dimensions), Period: num(i.Period),
      Unit: str(i.Unit), EvaluationPeriods: num(i.EvaluationPeriods), DatapointsToAlarm: num(i.DatapointsToAlarm), Threshold: num(i.Threshold),
      ComparisonOperator: op, TreatMissingData: str(i.TreatMissingData) ?? 'missing',
    });
    this.onChange();
  }

  private putDashboard(name: string, body: string): Rec {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) throw invalidValue('DashboardName may only contain alphanumerics, dash (-) and underscore (_).');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || ('widgets' in parsed && !Array.isArray(rec(parsed).widgets))) {
      throw new AwsError('DashboardInvalidInputError', 'DashboardBody must be a JSON object with a "widgets" array.', 400, 'InvalidParameterInput');
    }
    this.dashboards.set(name, { name, body, lastModified: Date.now() });
    this.onChange();
    return { DashboardValidationMessages: [] };
  }

  private dashboardArn(name: string): string {
    return `arn:aws:cloudwatch::${this.accountId}:dashboard/${name}`;
  }
}

function toSample(d: Rec, t: number, unit: string): Sample {
  if (d.Value !== undefined) {
    const v = num(d.Value);
    if (v === undefined) throw invalidValue('MetricData Value must be a number.');
    return { t, n: 1, sum: v, min: v, max: v, unit, values: [[v, 1]] };
  }
  if (list(d.Values).length) {
    const counts = list(d.Counts).map(Number);
    const pairs = list(d.Values).map((v, k): [number, number] => [Number(v), counts[k] ?? 1]);
    if (pairs.flat().some((x) => !Number.isFinite(x))) throw invalidValue('Values and Counts must be numbers.');
    const vals = pairs.map(([v]) => v);
    const n = pairs.reduce((s, [, c]) => s + c, 0);
    return { t, n, sum: pairs.reduce((s, [v, c]) => s + v * c, 0), min: Math.min(...vals), max: Math.max(...vals), unit, values: pairs };
  }
  if (d.StatisticValues) {
    const set = rec(d.StatisticValues);
    const [n, sum, min, max] = ['SampleCount', 'Sum', 'Minimum', 'Maximum'].map((k) => num(set[k]));
    if (n === undefined || sum === undefined || min === undefined || max === undefined) throw missing('StatisticValues');
    // As in AWS, a statistic set yields percentiles only when it holds one distinct value.
    return { t, n, sum, min, max, unit, values: n === 1 || min === max ? [[min, n]] : undefined };
  }
  throw combination('One of Value, Values or StatisticValues must be given for each datum.');
}

function statistic(samples: Sample[], stat: string): number | undefined {
  if (!samples.length) return undefined;
  const n = samples.reduce((s, x) => s + x.n, 0);
  const sum = samples.reduce((s, x) => s + x.sum, 0);
  switch (stat) {
    case 'SampleCount': return n;
    case 'Sum': return sum;
    case 'Average': return n ? sum / n : undefined;
    case 'Minimum': return Math.min(...samples.map((x) => x.min));
    case 'Maximum': return Math.max(...samples.map((x) => x.max));
  }
  const p = /^p(\d+(\.\d+)?)$/.exec(stat);
  if (!p || samples.some((x) => !x.values)) return undefined;
  const pairs = samples.flatMap((x) => x.values ?? []).sort((a, b) => a[0] - b[0]);
  let left = (Number(p[1]) / 100) * pairs.reduce((s, [, c]) => s + c, 0);
  return (pairs.find(([, c]) => (left -= c) <= 0) ?? pairs[pairs.length - 1])[0];
}
