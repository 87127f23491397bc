import { CloudWatchClient, PutDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { findApiIds } from '../api-ids';
import { stringOption, type Command } from '../command';
import { dashboardBody, dashboardName } from '../dashboard-definition';

export const dashboardCommand: Command = {
  name: 'dashboard',
  summary: 'create or update the CloudWatch dashboard (Lambda, DynamoDB, WebSocket and custom metrics); locally also shown as a web page',
  usage: 'dashboard [--name realtime-chat-<stage>] [--dry-run] [--json]',
  options: {
    name: { type: 'string', description: 'dashboard name (default realtime-chat-<stage>)' },
    'dry-run': { type: 'boolean', description: 'print the dashboard body instead of saving it' },
  },
  async run({ target, values, io }) {
    const name = stringOption(values, 'name') ?? dashboardName(target.stage);
    const apis = await findApiIds(target);
    const body = dashboardBody(target.stage, target.region, apis, target.names);
    if (!apis.websocket) io.err(`no WebSocket API found for realTimeService on stage ${target.stage}: its widget stays empty`);
    if (values['dry-run']) {
      io.out(JSON.stringify(body, null, 2));
      return 0;
    }
    const cw = new CloudWatchClient(target.client('cloudwatch'));
    try {
      const out = await cw.send(new PutDashboardCommand({ DashboardName: name, DashboardBody: JSON.stringify(body) }));
      const problems = out.DashboardValidationMessages ?? [];
      const page = target.local
        ? target.endpoints?.dashboard ? `${target.endpoints.dashboard}/?name=${encodeURIComponent(name)}` : undefined
        : `https://${target.region}.console.aws.amazon.com/cloudwatch/home?region=${target.region}#dashboards/dashboard/${encodeURIComponent(name)}`;
      if (values.json) io.out(JSON.stringify({ name, widgets: body.widgets.length, url: page, validation: problems }, null, 2));
      else {
        io.out(`dashboard ${name} saved on ${target.describe()} (${body.widgets.length} widgets)`);
        problems.forEach((p) => io.err(`  ${p.DataPath}: ${p.Message}`));
        if (page) io.out(`open ${page}`);
        else if (target.local) io.out('the local dashboard page is served by the local stack (`npm start`) when it runs');
      }
      return problems.length ? 1 : 0;
    } finally {
      cw.destroy();
    }
  },
};
