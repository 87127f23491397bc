'use strict';
/*
 * Runs in a fresh, bare `node` process (no tsx, no loaders), the way the Lambda runtime loads a
 * function: cwd is the unzipped task root, the environment is the function's. Measures how long
 * `require()` of the handler module takes and how much of that is spent loading AWS SDK modules
 * (the ones the bundle leaves to the runtime), then prints one JSON line and exits.
 *
 *   node cold-init-probe.js <module file> <export name>
 */
const Module = require('node:module');
const { performance } = require('node:perf_hooks');

const [moduleFile, exportName] = process.argv.slice(2);

let sdkDepth = 0;
let sdkMs = 0;
/** Outermost SDK module → ms; whichever loads first also pays for the SDK core they share. */
const sdkModules = {};
const originalLoad = Module._load;
// Only the outermost SDK require is timed: what the SDK loads underneath belongs to it.
Module._load = function load(request, parent, isMain) {
  if (sdkDepth > 0 || !request.startsWith('@aws-sdk/')) return originalLoad.call(this, request, parent, isMain);
  sdkDepth++;
  const started = performance.now();
  try {
    return originalLoad.call(this, request, parent, isMain);
  } finally {
    const elapsed = performance.now() - started;
    sdkModules[request] = (sdkModules[request] || 0) + elapsed;
    sdkMs += elapsed;
    sdkDepth--;
  }
};

const result = { ok: false, requireMs: 0, sdkMs: 0, sinceProcessStartMs: 0, sdkModules: {} };
try {
  const started = performance.now();
  const loaded = require(moduleFile);
  result.requireMs = performance.now() - started;
  result.ok = typeof loaded[exportName] === 'function';
  if (!result.ok) result.error = `export "${exportName}" is not a function`;
} catch (err) {
  result.error = String((err && err.stack) || err).split('\n').slice(0, 4).join('\n');
}
result.sinceProcessStartMs = performance.now();
result.sdkMs = sdkMs;
result.sdkModules = sdkModules;
// Modules may open sockets or timers at load time (e.g. a Redis client): do not wait for them.
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
