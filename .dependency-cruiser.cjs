/**
 * The dependency rule, enforced by `npm run lint` (README, "Architecture"):
 *   handlers → use cases → ports; adapters implement the ports and are built only in composition
 *   roots; no import cycle anywhere, scripts included.
 * Paths are relative to where it runs: the project root (and, in its test, a fixture tree laid out
 * the same way: test/architecture/fixtures).
 */
const SERVICE = '^[A-Za-z]+Service/src/';
const CHAT = '^shared/chat/src/';
const ADAPTER = '/adapters/';
const HANDLER = '^[A-Za-z]+Service/src/handlers/';
// Composition roots build adapters: each service's app(.ts|/), shared/chat's compose.ts, the local workers.
const COMPOSITION_ROOT = '/src/(app[.]ts$|app/|compose[.]ts$|workers/)';
const INFRASTRUCTURE = 'node_modules/(@aws-sdk/|ioredis/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: modules that cannot be understood (or loaded) one without the other.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'handler-not-to-adapter',
      severity: 'error',
      comment: 'A handler reads like a sentence (schema → use case → answer): its use case comes from the composition root, never an adapter or the SDK.',
      from: { path: HANDLER },
      to: { path: [ADAPTER, INFRASTRUCTURE] },
    },
    {
      name: 'use-case-not-to-infrastructure',
      severity: 'error',
      comment: 'A use case talks to ports (interfaces it declares), not to the AWS SDK, Redis or an adapter: so it is tested without a network and read without knowing DynamoDB.',
      from: { path: [SERVICE, CHAT], pathNot: [ADAPTER, HANDLER, COMPOSITION_ROOT] },
      to: { path: [ADAPTER, INFRASTRUCTURE] },
    },
    {
      name: 'platform-not-to-chat',
      severity: 'error',
      comment: 'shared/platform is plumbing that knows nothing of chat.',
      from: { path: '^shared/platform/' },
      to: { path: '^shared/chat/' },
    },
    {
      name: 'shared-not-to-services',
      severity: 'error',
      comment: 'shared/ serves the services; it never reaches into one.',
      from: { path: '^shared/' },
      to: { path: '^[A-Za-z]+Service/' },
    },
    {
      name: 'services-apart',
      severity: 'error',
      comment: 'Each service deploys on its own: what two services need lives in shared/, not in one of them.',
      from: { path: '^([A-Za-z]+Service)/' },
      to: { path: '^[A-Za-z]+Service/', pathNot: '^$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The rule's own fixtures break it on purpose (test/unit/dependency-rules.test.ts runs them).
    exclude: { path: ['(^|/)([.]esbuild[^/]*|[.]serverless|[.]local|coverage)/', '^test/architecture/fixtures/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['cjs', 'es6'],
  },
};
