#!/usr/bin/env node
/**
 * The `keyward` command line: `serve` (what `npm start` runs), `migrate` and the admin commands.
 * Command modules import the server lazily: `keyward --help` or `keyward clients list` never loads Fastify.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './platform/config.js';
import { unknownVariableWarnings } from './platform/envCheck.js';
import type { CliCommand } from './cli/command.js';
import { commandUsage, flagsFor, groupUsage, isGroup, topUsage, type ConfigFlag } from './cli/help.js';
import { migrateCommand, serveCommand } from './cli/serve.js';
import { accessKeysCreate, accessKeysList, accessKeysRevoke } from './cli/accessKeys.js';
import { keysList, keysRotate } from './cli/keys.js';
import { orgCreate } from './cli/orgs.js';
import {
  bootstrapAdmin,
  clientsCreate,
  clientsDelete,
  clientsList,
  personCreate,
  personSetPassword,
} from './cli/admin.js';
import { licensesImport } from './cli/licenses.js';
import { backup, restore } from './cli/backup.js';

const CONFIG_FLAGS: Record<string, ConfigFlag> = {
  port: { type: 'string', env: 'KEYWARD_PORT', help: 'port to listen on (8080)', serveOnly: true },
  host: { type: 'string', env: 'KEYWARD_HOST', help: 'address to listen on (127.0.0.1)', serveOnly: true },
  issuer: {
    type: 'string',
    env: 'KEYWARD_ISSUER',
    help: 'public base URL (http://localhost:PORT)',
    serveOnly: true,
  },
  'database-url': {
    type: 'string',
    env: 'KEYWARD_DATABASE_URL',
    help: 'postgres://… or sqlite:PATH (./data/keyward.db)',
  },
  'log-level': {
    type: 'string',
    env: 'KEYWARD_LOG_LEVEL',
    help: 'fatal|error|warn|info|debug|trace|silent (info)',
    serveOnly: true,
  },
};

/** Every subcommand; multi-word ones (`keys rotate`) keep their logic in src/cli/. */
const COMMANDS: Record<string, CliCommand> = {
  serve: serveCommand,
  migrate: migrateCommand,
  'keys rotate': keysRotate,
  'keys list': keysList,
  'access-keys create': accessKeysCreate,
  'access-keys list': accessKeysList,
  'access-keys revoke': accessKeysRevoke,
  'org create': orgCreate,
  'clients create': clientsCreate,
  'clients list': clientsList,
  'clients delete': clientsDelete,
  'person create': personCreate,
  'person set-password': personSetPassword,
  'bootstrap-admin': bootstrapAdmin,
  'licenses import': licensesImport,
  backup,
  restore,
};

const HELP = new Set(['--help', '-h', 'help']);

async function main(argv: string[]): Promise<number> {
  const twoWords = argv.slice(0, 2).join(' ');
  const command = COMMANDS[twoWords] ? twoWords : argv[0];
  const rest = argv.slice(COMMANDS[twoWords] ? 2 : 1);
  if (!command || HELP.has(command)) {
    process.stdout.write(topUsage(COMMANDS));
    return command ? 0 : 1;
  }
  const entry = COMMANDS[command];
  if (!entry && isGroup(command, COMMANDS)) {
    // `keyward keys`, `keyward keys --help`: the group's commands; an unknown subcommand says so.
    const asked = rest[0];
    if (asked && !HELP.has(asked)) process.stderr.write(`keyward: unknown command "${command} ${asked}"\n\n`);
    (asked && HELP.has(asked) ? process.stdout : process.stderr).write(groupUsage(command, COMMANDS));
    return asked && HELP.has(asked) ? 0 : 2;
  }
  if (!entry) {
    process.stderr.write(`keyward: unknown command ${JSON.stringify(command)}\n\n${topUsage(COMMANDS)}`);
    return 2;
  }
  const flags = flagsFor(command, CONFIG_FLAGS);
  const options = Object.fromEntries(
    Object.entries({ ...flags, ...entry.options }).map(([k, o]) => [k, { type: o.type }]),
  );
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: !!entry.args,
    }));
  } catch (error) {
    process.stderr.write(
      `keyward ${command}: ${(error as Error).message}\n\n${commandUsage(command, entry, CONFIG_FLAGS)}`,
    );
    return 2;
  }
  if (values.help) {
    process.stdout.write(commandUsage(command, entry, CONFIG_FLAGS));
    return 0;
  }
  for (const warning of unknownVariableWarnings(process.env))
    process.stderr.write(`keyward: warning: ${warning}\n`);
  const overrides: Record<string, string> = {};
  for (const [flag, spec] of Object.entries(flags)) {
    if (typeof values[flag] === 'string') overrides[spec.env] = values[flag] as string;
  }
  await entry.run({
    config: () => loadConfig(process.env, overrides),
    values,
    positionals,
    out: (text) => process.stdout.write(text),
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error) => {
    // One line: the variable or file, the cause, what to do (ConfigError); else the error's message.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`keyward: ${message.split('\n')[0]}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
