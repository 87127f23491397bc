import { createHttpRuntime, type ParameterName } from '@shared/platform';

/*
 * connectService's composition root, in parts so that each function's bundle carries only what it
 * runs (and so its code can reach only what its role grants: npm run check:templates): this core
 * (every function), ./tables (conversations and members), ./conversations, ./members, ./search.
 * Each part is built once per Lambda container.
 */
export const runtime = createHttpRuntime();
export const route = runtime.route;

/** A table name, read from SSM when first needed, so each function reads only its own. */
export const setting = (name: ParameterName) => () => runtime.config.get(name);
