/** Usage texts: the command list, a group's commands (`keyward keys --help`), one command's options. */
import type { CliCommand } from './command.js';

export interface ConfigFlag {
  type: 'string';
  env: string;
  help: string;
  /** Only `serve` listens, logs and signs: the other commands take only the database flags. */
  serveOnly?: boolean;
}

const pad = (rows: [string, string][], indent = '  ') => {
  const width = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `${indent}${a.padEnd(width)}  ${b}`).join('\n');
};

export function flagsFor(command: string, flags: Record<string, ConfigFlag>): Record<string, ConfigFlag> {
  return Object.fromEntries(Object.entries(flags).filter(([, f]) => command === 'serve' || !f.serveOnly));
}

export function commandUsage(name: string, command: CliCommand, flags: Record<string, ConfigFlag>): string {
  const own: [string, string][] = Object.entries(command.options ?? {}).map(([o, spec]) => [
    `--${o}${spec.type === 'string' ? ' VALUE' : ''}`,
    spec.help,
  ]);
  const config: [string, string][] = Object.entries(flagsFor(name, flags)).map(([o, f]) => [
    `--${o} VALUE`,
    `${f.help} [${f.env}]`,
  ]);
  config.push(['--help', 'show this help']);
  const args = command.args ? ` ${command.args}` : '';
  const sections = [`Usage: keyward ${name} [options]${args}`, `${command.summary}.`];
  if (own.length) sections.push(`Options:\n${pad(own)}`);
  sections.push(
    `Configuration (each overrides its environment variable; KEYWARD_DATA_DIR, KEYWARD_MASTER_KEY as for serve):\n${pad(config)}`,
  );
  return `${sections.join('\n\n')}\n`;
}

export function groupUsage(group: string, commands: Record<string, CliCommand>): string {
  const rows: [string, string][] = Object.entries(commands)
    .filter(([name]) => name.startsWith(`${group} `))
    .map(([name, c]) => [name, c.summary]);
  return `Usage: keyward ${group} <command> [options]\n\nCommands:\n${pad(rows)}\n\nRun 'keyward ${group} <command> --help' for its options.\n`;
}

export function topUsage(commands: Record<string, CliCommand>): string {
  const rows: [string, string][] = Object.entries(commands).map(([name, c]) => [name, c.summary]);
  return `Usage: keyward <command> [options]\n\nCommands:\n${pad(rows)}\n\nRun 'keyward <command> --help' (or 'keyward <group> --help') for options. Configuration: README.md.\n`;
}

/** Two-word commands share a first word: `keys`, `clients`, ... */
export const isGroup = (word: string, commands: Record<string, CliCommand>) =>
  Object.keys(commands).some((name) => name.startsWith(`${word} `));
