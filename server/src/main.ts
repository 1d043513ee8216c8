import { Command } from 'commander';
import { ConfigError, loadConfig, publicUrlOf, type Config } from './config';
import { buildApp, MODULE_COMMANDS, type Toride } from './app';
import { createLogger } from './kernel/logger';
import type { CommandContext } from './kernel/module';

/**
 * The `toride` command: the only place that listens. Every sub-command reads the same
 * configuration as the server (TORIDE_* variables, toride.config.json).
 */
function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function withApp<T>(run: (toride: Toride) => Promise<T>): Promise<T> {
  const config = configOrExit();
  const toride = await buildApp(config, { logger: createLogger({ logLevel: 'warn' }, 2) });
  try {
    return await run(toride);
  } finally {
    await toride.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const program = new Command('toride')
  .description('Toride: a self-hostable team workspace.')
  .option('--now <time>', 'tests and simulations only: start the clock at this time (needs TORIDE_ALLOW_CLOCK_OVERRIDE=1, loopback only)')
  .hook('preAction', (command) => {
    const now = command.opts<{ now?: string }>().now;
    if (now) process.env.TORIDE_NOW = now;
  });

program
  .command('serve')
  .description('Run the server (migrations run first).')
  .action(async () => {
    const config = configOrExit();
    const toride = await buildApp(config);
    toride.jobs.start(config.jobsIntervalSeconds);
    const shutdown = async (signal: string) => {
      const started = Date.now();
      toride.kernel.logger.info({ signal, boundSeconds: config.shutdownTimeoutSeconds }, 'shutting down');
      // close() cuts connections still open after the bound; this is the last resort if a store hangs.
      setTimeout(() => {
        toride.kernel.logger.error({ signal }, 'shutdown did not finish in time: exiting');
        process.exit(1);
      }, (config.shutdownTimeoutSeconds + 5) * 1000).unref();
      await toride.close();
      toride.kernel.logger.info({ ms: Date.now() - started }, 'shut down');
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    await toride.app.listen({ host: config.host, port: config.port });
    const address = toride.app.server.address();
    const port = address && typeof address === 'object' ? address.port : config.port;
    toride.kernel.logger.info({ url: publicUrlOf(config), port, dataDir: config.databaseUrl ? undefined : config.dataDir }, 'Toride is ready');
  });

program
  .command('migrate')
  .description('Bring every store to the latest schema, then exit.')
  .action(async () => {
    await withApp(async (toride) => {
      for (const store of toride.kernel.stores.list()) process.stdout.write(`migrated ${store.module}@${store.region} (${store.location})\n`);
    });
  });

program
  .command('mail')
  .description('Mail tools.')
  .command('outbox')
  .description('Show the newest messages of the mail outbox.')
  .option('--json', 'print JSON Lines for machines')
  .option('--limit <n>', 'how many messages', '20')
  .action(async (options: { json?: boolean; limit: string }) => {
    await withApp(async (toride) => {
      const items = await toride.kernel.mailer.outbox(Number(options.limit) || 20);
      for (const item of items) {
        if (options.json) process.stdout.write(`${JSON.stringify(item)}\n`);
        else process.stdout.write(`${item.createdAt}  ${item.status.padEnd(6)}  ${item.to}  ${item.subject}\n${item.text ? `${item.text.replace(/^/gm, '    ')}\n` : ''}\n`);
      }
    });
  });

// Each module's own sub-commands (kernel/module.ts `commands`): operator, audit, lifecycle.
const context: CommandContext<Toride> = { withApp, readStdin };
for (const commands of MODULE_COMMANDS) commands(program, context);

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = (error as { message?: string }).message ?? String(error);
  const code = (error as { code?: string }).code;
  process.stderr.write(`toride: ${code ? `${code}: ` : ''}${message}\n`);
  process.exit(1);
});
