import type { KeywardConfig } from '../platform/config.js';

/** A `keyward` subcommand. Commands may be one word (`serve`) or two (`keys rotate`). */
export interface CliCommand {
  summary: string;
  /** Extra options beside the configuration flags every command takes. */
  options?: Record<string, { type: 'string' | 'boolean'; help: string }>;
  /** Positional arguments, for the usage line (e.g. `FILE.json`). */
  args?: string;
  run(input: {
    config: () => KeywardConfig;
    values: Record<string, string | boolean | undefined>;
    positionals: string[];
    out: (text: string) => void;
  }): Promise<void>;
}
