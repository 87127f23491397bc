import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { loadService } from '../local/serverless-yml';

/*
 * What a function's bundle is made of: the handler bundled again by esbuild itself with the
 * options serverless-esbuild would pass (custom.esbuild minus the plugin's own keys, `exclude`
 * turned into `external`), with a metafile that says how many output bytes each input became.
 */

/** serverless-esbuild's own options, which it removes before calling esbuild (dist/bundle.js). */
const PLUGIN_ONLY_OPTIONS = new Set([
  'concurrency', 'zipConcurrency', 'exclude', 'nativeZip', 'packager', 'packagePath', 'watch', 'keepOutputDirectory',
  'packagerOptions', 'installExtraArgs', 'outputFileExtension', 'outputBuildFolder', 'outputWorkFolder', 'nodeExternals',
  'skipBuild', 'skipRebuild', 'skipBuildExcludeFns', 'stripEntryResolveExtensions', 'disposeContext', 'config',
]);

export interface BundleComposition {
  /** Bytes of the handler's JS output (what esbuild writes, before the zip). */
  outputBytes: number;
  /** Output bytes per group: an npm package (`valibot`, `ioredis`) or a project folder (`shared/platform/src/auth`). */
  groups: Map<string, number>;
  /** Output bytes per input file, largest first. */
  inputs: { path: string; bytes: number }[];
}

/** Bundles every function's handler of the service in serviceDir with a metafile. */
export async function bundleComposition(serviceDir: string): Promise<Map<string, BundleComposition>> {
  const service = loadService(serviceDir);
  const custom = (service.custom.esbuild ?? {}) as Record<string, unknown>;
  if (custom.config) throw new Error(`${service.service}: custom.esbuild.config (a JS config file) is not supported by this benchmark`);
  const options = Object.fromEntries(Object.entries(custom).filter(([key]) => !PLUGIN_ONLY_OPTIONS.has(key))) as esbuild.BuildOptions;
  const exclude = ([] as string[]).concat((custom.exclude as string | string[] | undefined) ?? []);
  const external = [...(options.external ?? []), ...(exclude.includes('*') ? [] : exclude)];

  const out = new Map<string, BundleComposition>();
  for (const [name, fn] of Object.entries(service.functions)) {
    const entry = handlerEntry(serviceDir, fn.handler);
    const result = await esbuild.build({
      platform: 'node',
      ...options,
      external,
      entryPoints: [entry],
      absWorkingDir: serviceDir,
      outdir: path.join(serviceDir, '.esbuild-metafile'),
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const [output] = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
    const inputs = Object.entries(output[1].inputs)
      .map(([file, { bytesInOutput }]) => ({ path: file, bytes: bytesInOutput }))
      .filter((i) => i.bytes > 0)
      .sort((a, b) => b.bytes - a.bytes);
    const groups = new Map<string, number>();
    for (const input of inputs) {
      const group = groupOf(input.path, service.service);
      groups.set(group, (groups.get(group) ?? 0) + input.bytes);
    }
    out.set(name, { outputBytes: output[1].bytes, groups, inputs });
  }
  return out;
}

/** `src/handlers/signIn.handler` → the TypeScript (or JavaScript) file that exports it. */
function handlerEntry(serviceDir: string, handler: string): string {
  const base = handler.slice(0, handler.lastIndexOf('.'));
  for (const ext of ['.ts', '.js', '.mts', '.mjs']) {
    const file = path.join(serviceDir, base + ext);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`no source file for handler ${handler} in ${serviceDir}`);
}

/**
 * An npm package name for files under node_modules, else the project folder the file lives in
 * (paths are relative to the service folder).
 */
export function groupOf(file: string, serviceName: string): string {
  const normalised = file.replace(/\\/g, '/');
  const at = normalised.lastIndexOf('node_modules/');
  if (at >= 0) {
    const parts = normalised.slice(at + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const parts = normalised.replace(/^(\.\.\/)+/, '').split('/');
  if (parts[0] === 'shared' && parts[2] === 'src') return parts.length > 4 ? `shared/${parts[1]}/src/${parts[3]}` : `shared/${parts[1]}/src`;
  return normalised.startsWith('../') ? parts.slice(0, 2).join('/') : `${serviceName}/${parts[0]}`;
}
