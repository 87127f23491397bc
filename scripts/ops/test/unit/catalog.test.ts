import fs from 'node:fs';
import path from 'node:path';
import { loadService, tablesOf } from '../../../local/serverless-yml';
import { CUSTOM_METRICS, PROBLEM_METRICS, SERVICE_FUNCTIONS, SERVICES, TABLES, websocketApiNames } from '../../catalog';

const ROOT = path.resolve(__dirname, '../../../..');
const present = SERVICES.filter((s) => fs.existsSync(path.join(ROOT, s, 'serverless.yml')));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return ['node_modules', '.esbuild', '.serverless', 'test'].includes(e.name) ? [] : sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

describe('the ops catalog matches the services', () => {
  it.each(present)('%s: the same function names as its serverless.yml', (service) => {
    expect(Object.keys(loadService(path.join(ROOT, service)).functions).sort()).toEqual([...SERVICE_FUNCTIONS[service]].sort());
  });

  it('knows every table the services declare, with the indexes the code relies on', () => {
    const declared = present.flatMap((s) => tablesOf(loadService(path.join(ROOT, s))));
    for (const table of declared) {
      const name = String(table.TableName);
      expect(Object.keys(TABLES)).toContain(name);
      const indexes = [...((table.GlobalSecondaryIndexes as { IndexName: string }[]) ?? []), ...((table.LocalSecondaryIndexes as { IndexName: string }[]) ?? [])].map((i) => i.IndexName);
      expect(indexes).toEqual(expect.arrayContaining(TABLES[name].indexes));
    }
  });

  it('lists every custom metric the code publishes (so the dashboard, alarms and docs cover it)', () => {
    const files = [...present.map((s) => path.join(ROOT, s, 'src')), path.join(ROOT, 'shared/platform/src'), path.join(ROOT, 'shared/chat/src')].filter(fs.existsSync).flatMap(sourceFiles);
    const published = new Set(files.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/metrics\.(?:count|gauge|timing)\('(\w+)'/g)].map((m) => m[1])));
    expect([...published].filter((m) => ![...CUSTOM_METRICS, ...PROBLEM_METRICS].includes(m as never))).toEqual([]);
  });

  it('finds the WebSocket API by the name realTimeService gives it', () => {
    const yml = path.join(ROOT, 'realTimeService/serverless.yml');
    if (!fs.existsSync(yml)) return;
    const configured = /websocketsApiName:\s*(\S+)/.exec(fs.readFileSync(yml, 'utf8'))?.[1];
    const expected = configured?.replace('${self:service}', 'realTimeService').replace('${sls:stage}', 'dev');
    expect(websocketApiNames('realTimeService', 'dev')).toContain(expected ?? 'dev-realTimeService-websockets');
  });
});
