import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StaticConfig } from '@shared/platform';
import { freePort, startProcess, waitForPort, type ManagedProcess } from '../../../scripts/local/processes';
import { RedisConnection } from '../../src/adapters/redis-connection';

/**
 * Encryption in transit, as deployed (ElastiCache with TransitEncryptionEnabled, REDIS_TLS=true):
 * a redis-server of this test's own that speaks only TLS, with a certificate from a CA made here.
 */
describe('realTimeService: Redis over TLS', () => {
  let dir: string;
  let port: number;
  let server: ManagedProcess;
  const connections: RedisConnection[] = [];
  const connect = (tls: ConstructorParameters<typeof RedisConnection>[1]) => {
    const connection = new RedisConnection(new StaticConfig({ '/REDIS_HOST': '127.0.0.1', '/REDIS_PORT': String(port) }), tls);
    connections.push(connection);
    return connection;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-redis-tls-'));
    const file = (name: string) => path.join(dir, name);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=chat test CA');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
    fs.writeFileSync(file('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'san.ext');

    port = await freePort();
    server = startProcess('redis-tls', 'redis-server', [
      '--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--tls-cert-file', file('server.crt'), '--tls-key-file', file('server.key'), '--tls-ca-cert-file', file('ca.crt'), '--tls-auth-clients', 'no',
    ]);
    await waitForPort(port, 10_000, '127.0.0.1', server.alive);
  });

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('works over TLS with a server certificate it trusts', async () => {
    const redis = await connect({ ca: fs.readFileSync(path.join(dir, 'ca.crt')) }).required();
    await redis.set('tls:check', 'ok');
    expect(await redis.get('tls:check')).toBe('ok');
    expect(redis.options.tls).toBeDefined();
  });

  it('refuses a server whose certificate it cannot verify (the system CAs do not know this one)', async () => {
    expect(await connect({}).ready()).toBeUndefined();
  });

  it('gets nowhere in plain TCP against a TLS-only server, and says so by degrading, not hanging', async () => {
    const started = Date.now();
    expect(await connect(undefined).ready()).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
