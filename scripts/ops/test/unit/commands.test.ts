import { stageNames } from '@shared/platform/config/deployment-names';
import { localApiIds } from '../../api-ids';
import { lambdaFunctions } from '../../catalog';
import { main } from '../../cli';
import { alarmPlan, sameAlarm } from '../../commands/alarms';
import { parameterProblem } from '../../commands/health';
import { filterPatternFor, formatLine, selectGroups } from '../../commands/logs';
import { dashboardBody } from '../../dashboard-definition';
import { parseMetricRow } from '../../../local/dashboard';
import { parseSince, table, UsageError } from '../../output';

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l = '') => out.push(l), err: (l: string) => err.push(l) }, out, err };
};

describe('cli', () => {
  it('lists every command with --help, and exits 2 on an unknown command or option', async () => {
    const help = capture();
    expect(await main(['--help'], help.io)).toBe(0);
    for (const c of ['health', 'ssm', 'alarms', 'dashboard', 'logs', 'metrics']) expect(help.out.join('\n')).toMatch(new RegExp(`^    ${c}\\s`, 'm'));
    const unknown = capture();
    expect(await main(['halth'], unknown.io)).toBe(2);
    expect(unknown.err.join('\n')).toContain('unknown command "halth"');
    const badOption = capture();
    expect(await main(['health', '--colour'], badOption.io)).toBe(2);
    expect(badOption.err.join('\n')).toContain("Unknown option '--colour'");
  });

  it('names the missing endpoints file instead of failing obscurely', async () => {
    const run = capture();
    expect(await main(['ssm', '--endpoints', '/nonexistent/endpoints.json'], run.io)).toBe(1);
    expect(run.err.join('\n')).toContain('No local stack endpoints at /nonexistent/endpoints.json');
  });
});

describe('output helpers', () => {
  it('parses --since durations and past dates', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(parseSince('30s', now)).toBe(30_000);
    expect(parseSince('10m', now)).toBe(600_000);
    expect(parseSince('2h', now)).toBe(7_200_000);
    expect(parseSince('2026-01-01T11:00:00Z', now)).toBe(3_600_000);
    expect(() => parseSince('soon', now)).toThrow(UsageError);
    expect(() => parseSince('2027-01-01', now)).toThrow(UsageError);
  });

  it('pads table columns', () => {
    expect(table(['A', 'B'], [['long value', 'x']])).toEqual(['A           B', '----------  -', 'long value  x']);
  });
});

describe('logs', () => {
  it('selects log groups by function, service or name, and all functions by default', () => {
    expect(selectGroups('dev', ['sendMessage'], [], [])).toEqual([{ logGroup: '/aws/lambda/messageService-dev-sendMessage', source: 'messageService/sendMessage' }]);
    expect(selectGroups('prod', ['realTimeService:default'], [], []).map((g) => g.logGroup)).toEqual(['/aws/lambda/realTimeService-prod-default']);
    expect(selectGroups('dev', [], ['authService'], [])).toHaveLength(5);
    expect(selectGroups('dev', [], [], ['/aws/elasticache/realtime-redis'])).toEqual([{ logGroup: '/aws/elasticache/realtime-redis', source: '/aws/elasticache/realtime-redis' }]);
    expect(selectGroups('dev', [], [], [])).toHaveLength(lambdaFunctions('dev').length);
    expect(() => selectGroups('dev', ['nope'], [], [])).toThrow('unknown function "nope"');
    expect(() => selectGroups('dev', [], ['nopeService'], [])).toThrow('unknown service');
  });

  it('builds a JSON filter pattern for a correlation id and refuses one that could break out of it', () => {
    expect(filterPatternFor('abc-123', undefined)).toBe('{ $.correlationId = "abc-123" }');
    expect(filterPatternFor(undefined, 'ERROR')).toBe('ERROR');
    expect(() => filterPatternFor('x" || $.a = "b', undefined)).toThrow(UsageError);
  });

  it('formats structured and plain lines', () => {
    const base = { logGroup: 'g', source: 'messageService/sendMessage', eventId: '1', timestamp: Date.parse('2026-01-01T10:11:12.345Z') };
    expect(formatLine({ ...base, message: JSON.stringify({ level: 'info', message: 'message.sent', correlationId: 'c1', requestId: 'r1', seq: 3 }) }))
      .toBe('10:11:12.345 messageService/sendMessage INFO  message.sent correlationId=c1 requestId=r1 {"seq":3}');
    expect(formatLine({ ...base, message: 'REPORT RequestId: r1\tDuration: 3 ms' })).toBe('10:11:12.345 messageService/sendMessage REPORT RequestId: r1\tDuration: 3 ms');
  });
});

describe('alarms', () => {
  const plan = alarmPlan('dev', localApiIds('dev'));

  it('holds the guide\'s alarms by name, 5xx per HTTP API, Throttles per function and the fan-out failures, each once', () => {
    const names = plan.map((a) => a.AlarmName);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['rt-message-errors', 'ddb-messages-throttles', 'rt-fanout-failures', 'apigw-5xx-authService', 'apigw-5xx-connectService', 'apigw-5xx-messageService']));
    expect(plan.filter((a) => a.MetricName === 'Throttles')).toHaveLength(lambdaFunctions('dev').length);
  });

  it('puts the stage into names outside dev, so stages sharing an account do not collide', () => {
    const prodPlan = alarmPlan('prod', localApiIds('prod'));
    const prod = prodPlan.map((a) => a.AlarmName);
    expect(prod).toEqual(expect.arrayContaining(['rt-message-errors-prod', 'realTimeService-prod-message-throttles']));
    expect(prod.filter((n) => plan.some((a) => a.AlarmName === n))).toEqual([]);
    // …and watches that stage's own Messages table.
    expect(prodPlan.find((a) => a.AlarmName === 'ddb-messages-throttles-prod')?.Dimensions).toEqual([{ Name: 'TableName', Value: 'Messages-prod' }]);
    expect(plan.find((a) => a.AlarmName === 'ddb-messages-throttles')?.Dimensions).toEqual([{ Name: 'TableName', Value: 'Messages' }]);
  });

  it('follows a stage deployed with another name qualifier', () => {
    const blue = alarmPlan('dev', localApiIds('dev'), stageNames('dev', 'blue'));
    expect(blue.map((a) => a.AlarmName)).toEqual(expect.arrayContaining(['rt-message-errors-blue', 'ddb-messages-throttles-blue']));
    expect(alarmPlan('prod', localApiIds('prod'), stageNames('prod', 'none')).map((a) => a.AlarmName)).toContain('rt-message-errors');
  });

  it('sees an alarm that already says the same as unchanged, and any difference as a change', () => {
    const spec = plan[0];
    const existing = { ...spec, AlarmActions: ['arn:t'], Dimensions: [...spec.Dimensions] };
    expect(sameAlarm(existing, spec, 'arn:t')).toBe(true);
    expect(sameAlarm({ ...existing, Threshold: 2 }, spec, 'arn:t')).toBe(false);
    expect(sameAlarm(existing, spec, 'arn:other')).toBe(false);
  });
});

describe('health parameter checks', () => {
  it.each([
    ['/REDIS_PORT', '6379', undefined],
    ['/REDIS_PORT', '70000', 'not a port number (1-65535)'],
    ['/REDIS_PORT', 'six', 'not a port number (1-65535)'],
    ['/SNS_TOPIC_ARN', 'arn:aws:sns:ap-south-1:123456789012:chat-message-topic', undefined],
    ['/SNS_TOPIC_ARN', 'arn:aws:sns:us-east-1:123456789012:chat-message-topic', 'topic is in us-east-1, not ap-south-1'],
    ['/SNS_TOPIC_ARN', 'chat-message-topic', 'not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)'],
    ['/ENABLE_METRICS', 'yes', 'must be "true" or "false"'],
    ['/COGNITO_USER_POOL_ID', 'ap-south-1_AbC123', undefined],
    ['/COGNITO_USER_POOL_ID', 'eu-west-1_AbC123', 'user pool is in eu-west-1, not ap-south-1'],
    ['/WEBSOCKET_DOMAIN', 'abc123.execute-api.ap-south-1.amazonaws.com', undefined],
    ['/WEBSOCKET_DOMAIN', 'http://127.0.0.1:4010', undefined],
    ['/MESSAGE_TABLE_NAME', 'Messages', undefined],
    ['/MESSAGE_TABLE_NAME', 'a b', 'not a DynamoDB table name'],
  ])('%s = %s', (name, value, problem) => {
    expect(parameterProblem(name, value, 'ap-south-1')).toBe(problem);
  });
});

describe('dashboard', () => {
  it('lays widgets out on the 24-column grid without overlaps, each metric widget with metrics', () => {
    const { widgets } = dashboardBody('dev', 'ap-south-1', localApiIds('dev'));
    const cells = new Set<string>();
    for (const w of widgets) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
      if (w.type === 'metric') expect(w.properties.metrics!.length).toBeGreaterThan(0);
      for (let x = w.x; x < w.x + w.width; x++) {
        for (let y = w.y; y < w.y + w.height; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it('shows a note instead of an empty widget for an API that is not deployed', () => {
    const { widgets } = dashboardBody('dev', 'ap-south-1', { http: {}, websocketStage: 'dev' });
    expect(widgets.filter((w) => w.type === 'text' && /No API found/.test(w.properties.markdown ?? ''))).toHaveLength(2);
  });

  it('reads metric rows as CloudWatch writes them, "." repeating the row above', () => {
    const first = parseMetricRow(['AWS/Lambda', 'Errors', 'FunctionName', 'f1', { label: 'one' }], undefined);
    expect(first).toMatchObject({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: [{ Name: 'FunctionName', Value: 'f1' }], label: 'one' });
    expect(parseMetricRow(['.', 'Duration', '.', 'f2'], first.resolved)).toMatchObject({ namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: [{ Name: 'FunctionName', Value: 'f2' }] });
  });
});
