import path from 'node:path';

/** Where things are in this checkout, for every script and test helper (named once, not worked out again from `__dirname`). */

/** The repository's root folder. */
export const ROOT = path.resolve(__dirname, '../..');

/** The four service folders, in deployment order (a checkout may lack some: check for `<dir>/serverless.yml`). */
export const SERVICE_DIRS = ['authService', 'connectService', 'messageService', 'realTimeService'] as const;

/** The project's Serverless Framework CLI (osls), run with `node` so no global install is needed. */
export const SERVERLESS_BIN = path.join(ROOT, 'node_modules/serverless/bin/serverless.js');

/** What `npm start` writes once the local stack is ready, and `npm run ops -- --local` reads. */
export const LOCAL_ENDPOINTS_FILE = path.join(ROOT, '.local/endpoints.json');

/** Where `npm start -- --persist` keeps the local stack's data between runs. */
export const LOCAL_DATA_DIR = path.join(ROOT, '.local/data');
