import type { Output } from './output';
import type { Target } from './target';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  description: string;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandContext {
  target: Target;
  values: OptionValues;
  positionals: string[];
  io: Output;
}

/** One `npm run ops -- <name>` command. `run` resolves to the process exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  run(ctx: CommandContext): Promise<number>;
}

export const stringOption = (values: OptionValues, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};

export const listOption = (values: OptionValues, name: string): string[] => {
  const v = values[name];
  const all = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return all.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
};
