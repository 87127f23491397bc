import os from 'node:os';
import path from 'node:path';
import { CloudWatchClient, GetDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { chromium, type Browser } from 'playwright-core';
import { newUser } from '../../../../test/support/http';
import { awsConfig, endpoints } from '../../../../test/support/stack';
import { lambdaFunctions } from '../../catalog';
import type { DashboardBody } from '../../dashboard-definition';
import { eventually, opsJson } from '../support';

/** Where the screenshot goes: OPS_SCREENSHOT (e.g. docs/dashboard.png) or the temp folder. */
const SCREENSHOT = process.env.OPS_SCREENSHOT ? path.resolve(process.env.OPS_SCREENSHOT) : path.join(os.tmpdir(), 'ops-dashboard.png');

describe('ops dashboard', () => {
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  it('saves the guide\'s dashboard: Lambda errors and duration per service, DynamoDB throttles, WebSocket counts, custom metrics', async () => {
    const saved = await opsJson<{ name: string; widgets: number; url: string }>('dashboard');
    expect(saved).toMatchObject({ name: 'realtime-chat-dev', url: `${endpoints().dashboard}/?name=realtime-chat-dev` });

    const cw = new CloudWatchClient(awsConfig(endpoints().cloudwatch));
    const body = JSON.parse((await cw.send(new GetDashboardCommand({ DashboardName: 'realtime-chat-dev' }))).DashboardBody!) as DashboardBody;
    cw.destroy();
    expect(body.widgets).toHaveLength(saved.widgets);
    const rows = body.widgets.flatMap((w) => (w.properties.metrics ?? []).map((r) => r.filter((x) => typeof x === 'string').join(' ')));
    for (const fn of lambdaFunctions('dev')) {
      expect(rows).toEqual(expect.arrayContaining([`AWS/Lambda Errors FunctionName ${fn.fullName}`, `AWS/Lambda Duration FunctionName ${fn.fullName}`]));
    }
    expect(rows).toEqual(expect.arrayContaining([
      'AWS/DynamoDB WriteThrottleEvents TableName Messages',
      'AWS/DynamoDB ReadThrottleEvents TableName conversations',
      'AWS/ApiGateway ConnectCount ApiId realTimeService-dev Stage dev',
      'AWS/ApiGateway MessageCount ApiId realTimeService-dev Stage dev',
      'RealTimeChat MessagesPublished', 'RealTimeChat FanoutFailures', 'RealTimeChat ActiveConnections',
    ]));
  });

  it('is drawn as a local web page with charts of the local metrics', async () => {
    await newUser('Dashboard Viewer', 'ops-dashboard'); // signUp, confirmSignUp and signIn each leave Lambda metrics behind
    await opsJson('dashboard');
    // The REPORT line, and so the metrics, follow each invocation a moment later.
    await eventually(() => opsJson<{ metrics: unknown[] }>('metrics', '--namespace', 'AWS/Lambda', '--name', 'Invocations', '--since', '15m'), (m) => m.metrics.length >= 3);

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));
    page.on('requestfailed', (req) => failures.push(`${req.url()} ${req.failure()?.errorText}`));
    await page.goto(`${endpoints().dashboard}/?minutes=15`);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 60_000 });

    expect(await page.textContent('#title')).toBe('realtime-chat-dev');
    expect(await page.textContent('#meta')).toContain('saved dashboard');
    const widgets = await page.$$eval('section.widget', (els) => els.map((e) => ({ title: e.querySelector('h2')?.textContent ?? '', points: Number(e.getAttribute('data-points') ?? 0), marks: e.querySelectorAll('svg .series, svg .point').length })));
    const withData = widgets.filter((w) => w.points > 0);
    expect(withData.map((w) => w.title)).toEqual(expect.arrayContaining(['authService Lambda Invocations', 'authService Lambda Duration (ms)', 'authService Lambda Errors']));
    for (const w of withData) expect(w.marks).toBeGreaterThan(0);
    expect(widgets.filter((w) => w.title).length).toBeGreaterThanOrEqual(15);
    expect(failures).toEqual([]);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});
