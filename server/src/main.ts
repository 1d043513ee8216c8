import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ConfigError, loadConfig, publicUrlOf, type Config } from './config';
import { buildApp } from './app';
import { createLogger } from './kernel/logger';
import { describeVerification, verifyChainLines } from './modules/pass';
import { formatSimulation, simulateDeployment, type EngineEvent } from './modules/lifecycle/simulate';
import { sunsetDate } from './modules/lifecycle/sunset.routes';
import { SERVICES, STATES, verifyReceipt, type ContractState, type Service } from './modules/lifecycle';

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

async function withApp<T>(run: (toride: Awaited<ReturnType<typeof buildApp>>) => Promise<T>): Promise<T> {
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

program
  .command('operator')
  .description('Operator accounts.')
  .command('create')
  .description('Create an operator account (TOTP is always required; the secret is printed once).')
  .requiredOption('--email <email>')
  .requiredOption('--name <name>')
  .option('--password-stdin', 'read the password from standard input')
  .action(async (options: { email: string; name: string; passwordStdin?: boolean }) => {
    const password = options.passwordStdin ? await readStdin() : process.env.TORIDE_OPERATOR_PASSWORD;
    if (!password) {
      process.stderr.write('Give the password on standard input with --password-stdin (or in TORIDE_OPERATOR_PASSWORD).\n');
      process.exit(2);
    }
    await withApp(async (toride) => {
      const created = await toride.operator.createOperator({ email: options.email, name: options.name, password });
      process.stdout.write(
        `Operator ${created.operator.email} created.\nAdd this TOTP secret to an authenticator app now; it is not shown again:\n  secret: ${created.totpSecret}\n  uri:    ${created.otpauthUri}\n`,
      );
    });
  });

program
  .command('audit')
  .description('Audit log tools.')
  .command('verify')
  .description('Check the hash chain of a JSON Lines audit export offline; names the first broken link.')
  .argument('<export>', 'a .jsonl file from GET /api/v1/orgs/:orgId/audit-events/export?format=jsonl')
  .action((file: string) => {
    // Offline on purpose: no configuration, no database, only the file.
    const result = verifyChainLines(readFileSync(file, 'utf8').split('\n'));
    const text = describeVerification(result);
    if (result.ok) process.stdout.write(`${text}\n`);
    else {
      process.stderr.write(`${text}\n`);
      process.exitCode = 1;
    }
  });

/** `toride lifecycle …`: shared with the lifecycle engine's sub-commands (set-state, verify-receipt…). */
const lifecycleCommand = () =>
  program.commands.find((c) => c.name() === 'lifecycle') ?? program.command('lifecycle').description('Data lifecycle: contract states, deletion schedule, receipts, sunsets.');

function dateOrExit(value: string, option: string): Date {
  const parsed = sunsetDate.safeParse(value);
  if (!parsed.success) {
    process.stderr.write(`${option}: ${value} is not a date like 2027-03-31 or a time like 2027-03-31T09:00:00Z.\n`);
    process.exit(2);
  }
  return parsed.data;
}

lifecycleCommand()
  .command('sunset')
  .description('Schedule the end of a contract service (workspace = the whole suite, pass, projects-classic): at that time all its data is purged (W4.8).')
  .argument('<service>', SERVICES.join(', '))
  .requiredOption('--at <date>', 'when, e.g. 2027-03-31 (00:00 UTC) or 2027-03-31T09:00:00Z')
  .option('--json', 'print the scheduled sunset as JSON')
  .action(async (service: string, options: { at: string; json?: boolean }) => {
    if (!(SERVICES as readonly string[]).includes(service)) {
      process.stderr.write(`Service must be one of ${SERVICES.join(', ')}.\n`);
      process.exit(2);
    }
    const at = dateOrExit(options.at, '--at');
    await withApp(async (toride) => {
      const sunset = await toride.sunsets.schedule({ service, at, actor: { type: 'system', name: 'toride lifecycle sunset (CLI)' } });
      if (options.json) process.stdout.write(`${JSON.stringify(sunset)}\n`);
      else process.stdout.write(`Sunset ${sunset.id} scheduled: ${service} — data purge starts ${sunset.at}, completes by ${sunset.purgeCompletesBy}; the last backup copy expires ${sunset.backupsExpireAt}.\n`);
    });
  });

lifecycleCommand()
  .command('sunsets')
  .description('List service sunsets; --cancel <id> cancels one that has not started.')
  .option('--cancel <id>', 'cancel this scheduled sunset')
  .option('--json', 'print JSON Lines for machines')
  .action(async (options: { cancel?: string; json?: boolean }) => {
    await withApp(async (toride) => {
      if (options.cancel) await toride.sunsets.cancel(options.cancel, { type: 'system', name: 'toride lifecycle sunsets --cancel (CLI)' });
      for (const s of await toride.sunsets.list()) {
        if (options.json) process.stdout.write(`${JSON.stringify(s)}\n`);
        else process.stdout.write(`${s.id}  ${s.service.padEnd(8)}  ${s.status.padEnd(9)}  at ${s.at}  purged by ${s.purgeCompletesBy}  backups expire ${s.backupsExpireAt}\n`);
      }
    });
  });

lifecycleCommand()
  .command('simulate')
  .description('Print, per organization, what the lifecycle rules would do between two dates; changes nothing.')
  .requiredOption('--from <date>', 'window start, e.g. 2026-12-01')
  .requiredOption('--to <date>', 'window end, e.g. 2028-12-01')
  .option('--json', 'print one JSON document')
  .action(async (options: { from: string; to: string; json?: boolean }) => {
    const window = { from: dateOrExit(options.from, '--from'), to: dateOrExit(options.to, '--to') };
    if (window.to < window.from) {
      process.stderr.write('--to must not be before --from.\n');
      process.exit(2);
    }
    await withApp(async (toride) => {
      // The lifecycle engine's per-org timeline, when this build has the engine.
      const engine = (toride as Partial<{ lifecycle: { service: { view(orgId: string): Promise<{ timeline: EngineEvent[] }> } } }>).lifecycle;
      const result = await simulateDeployment(
        {
          now: toride.kernel.clock.now(),
          ...(toride.kernel.config.logDir ? { logDir: toride.kernel.config.logDir } : {}),
          listOrganizations: () => toride.identity.listOrganizationsMetadata(),
          listSunsets: () => toride.sunsets.list(),
          ...(engine ? { timelineOf: async (orgId: string) => (await engine.service.view(orgId)).timeline } : {}),
        },
        window,
      );
      process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatSimulation(result)}\n`);
    });
  });

lifecycleCommand()
  .command('set-state')
  .description('Set the contract state of an organization service (workspace, pass, projects-classic); the W4 deadlines follow.')
  .argument('<orgId>')
  .argument('<service>', SERVICES.join(', '))
  .argument('<state>', STATES.join(', '))
  .option('--trial-ends <date>', 'trial end, e.g. 2027-01-10 or 2027-01-10T09:00:00Z')
  .option('--period-ends <date>', 'end of the paid period')
  .option('--contract-ended <date>', 'contract end (suspended)')
  .option('--json', 'print the lifecycle view as JSON')
  .action(async (orgId: string, service: string, state: string, options: { trialEnds?: string; periodEnds?: string; contractEnded?: string; json?: boolean }) => {
    if (!(SERVICES as readonly string[]).includes(service) || !(STATES as readonly string[]).includes(state)) {
      process.stderr.write(`Service must be one of ${SERVICES.join(', ')}; state one of ${STATES.join(', ')}.\n`);
      process.exit(2);
    }
    const dates = {
      ...(options.trialEnds ? { trialEndsAt: dateOrExit(options.trialEnds, '--trial-ends') } : {}),
      ...(options.periodEnds ? { periodEndsAt: dateOrExit(options.periodEnds, '--period-ends') } : {}),
      ...(options.contractEnded ? { contractEndedAt: dateOrExit(options.contractEnded, '--contract-ended') } : {}),
    };
    await withApp(async (toride) => {
      await toride.lifecycle.service.setState(orgId, service as Service, state as ContractState, dates, { type: 'system', name: 'toride lifecycle set-state (CLI)' }, null, 'set_by_operator_cli');
      const view = await toride.lifecycle.service.view(orgId);
      if (options.json) process.stdout.write(`${JSON.stringify(view)}\n`);
      else for (const e of view.timeline) process.stdout.write(`${e.at}  ${e.service.padEnd(16)}  ${e.event}${e.done ? ' (done)' : ''}\n`);
    });
  });

lifecycleCommand()
  .command('public-key')
  .description('Print the public key (PEM) that verifies this deployment\'s deletion receipts.')
  .action(async () => {
    await withApp(async (toride) => {
      process.stdout.write(toride.lifecycle.signer.publicKeyPem());
    });
  });

lifecycleCommand()
  .command('verify-receipt')
  .description('Check a deletion receipt offline with the deployment\'s public key; a tampered receipt fails.')
  .argument('<file>', 'receipt JSON (from the email or GET /api/v1/orgs/:orgId/lifecycle/receipts/:id)')
  .option('--public-key <file>', 'PEM file from `toride lifecycle public-key`; without it, this deployment\'s key is used')
  .action(async (file: string, options: { publicKey?: string }) => {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      process.stderr.write(`${file}: not readable JSON (${(error as Error).message}).\n`);
      process.exit(2);
    }
    const pem = options.publicKey ? readFileSync(options.publicKey, 'utf8') : await withApp(async (toride) => toride.lifecycle.signer.publicKeyPem());
    const result = await verifyReceipt(doc, pem);
    if (result.ok) {
      const r = result.receipt;
      process.stdout.write(`Receipt ${r.receiptId} verifies: organization ${r.orgId} (${r.scope}), ${r.totalRows} rows deleted ${r.startedAt} – ${r.completedAt}; last backup copy expires ${r.backupsExpireAt}.\n`);
    } else {
      process.stderr.write(`Receipt does NOT verify: ${result.reason}\n`);
      process.exitCode = 1;
    }
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = (error as { message?: string }).message ?? String(error);
  const code = (error as { code?: string }).code;
  process.stderr.write(`toride: ${code ? `${code}: ` : ''}${message}\n`);
  process.exit(1);
});
