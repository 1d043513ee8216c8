import { readFileSync } from 'node:fs';
import type { Kernel, ModuleCommands } from '../../kernel/module';
import type { LifecycleApi } from './index';
import { SERVICES, STATES, type ContractState, type Service } from './lifecycle.db';
import { verifyReceipt } from './receipts';
import { formatSimulation, simulateDeployment, type EngineEvent } from './simulate';
import type { SunsetApi } from './sunset.service';
import { sunsetDate } from './sunset.routes';

/** What the lifecycle commands need of the built app (app.ts `Toride` has it). */
export interface LifecycleCommandsApp {
  readonly kernel: Kernel;
  readonly identity: { listOrganizationsMetadata(): Promise<{ id: string; name: string; createdAt: string; planState: string; memberCount: number }[]> };
  readonly sunsets: SunsetApi;
  readonly lifecycle: LifecycleApi;
}

function dateOrExit(value: string, option: string): Date {
  const parsed = sunsetDate.safeParse(value);
  if (!parsed.success) {
    process.stderr.write(`${option}: ${value} is not a date like 2027-03-31 or a time like 2027-03-31T09:00:00Z.\n`);
    process.exit(2);
  }
  return parsed.data;
}

/** `toride lifecycle …`: contract states, the deletion schedule, receipts, sunsets (W4). */
export const lifecycleCommands: ModuleCommands<LifecycleCommandsApp> = (program, ctx) => {
  const lifecycle = program.command('lifecycle').description('Data lifecycle: contract states, deletion schedule, receipts, sunsets.');

  lifecycle
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
      await ctx.withApp(async (toride) => {
        const sunset = await toride.sunsets.schedule({ service, at, actor: { type: 'system', name: 'toride lifecycle sunset (CLI)' } });
        if (options.json) process.stdout.write(`${JSON.stringify(sunset)}\n`);
        else process.stdout.write(`Sunset ${sunset.id} scheduled: ${service} — data purge starts ${sunset.at}, completes by ${sunset.purgeCompletesBy}; the last backup copy expires ${sunset.backupsExpireAt}.\n`);
      });
    });

  lifecycle
    .command('sunsets')
    .description('List service sunsets; --cancel <id> cancels one that has not started.')
    .option('--cancel <id>', 'cancel this scheduled sunset')
    .option('--json', 'print JSON Lines for machines')
    .action(async (options: { cancel?: string; json?: boolean }) => {
      await ctx.withApp(async (toride) => {
        if (options.cancel) await toride.sunsets.cancel(options.cancel, { type: 'system', name: 'toride lifecycle sunsets --cancel (CLI)' });
        for (const s of await toride.sunsets.list()) {
          if (options.json) process.stdout.write(`${JSON.stringify(s)}\n`);
          else process.stdout.write(`${s.id}  ${s.service.padEnd(8)}  ${s.status.padEnd(9)}  at ${s.at}  purged by ${s.purgeCompletesBy}  backups expire ${s.backupsExpireAt}\n`);
        }
      });
    });

  lifecycle
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
      await ctx.withApp(async (toride) => {
        const result = await simulateDeployment(
          {
            now: toride.kernel.clock.now(),
            ...(toride.kernel.config.logDir ? { logDir: toride.kernel.config.logDir } : {}),
            listOrganizations: () => toride.identity.listOrganizationsMetadata(),
            listSunsets: () => toride.sunsets.list(),
            // The lifecycle engine's per-org timeline.
            timelineOf: async (orgId: string): Promise<EngineEvent[]> => (await toride.lifecycle.service.view(orgId)).timeline,
          },
          window,
        );
        process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatSimulation(result)}\n`);
      });
    });

  lifecycle
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
      await ctx.withApp(async (toride) => {
        await toride.lifecycle.service.setState(orgId, service as Service, state as ContractState, dates, { type: 'system', name: 'toride lifecycle set-state (CLI)' }, null, 'set_by_operator_cli');
        const view = await toride.lifecycle.service.view(orgId);
        if (options.json) process.stdout.write(`${JSON.stringify(view)}\n`);
        else for (const e of view.timeline) process.stdout.write(`${e.at}  ${e.service.padEnd(16)}  ${e.event}${e.done ? ' (done)' : ''}\n`);
      });
    });

  lifecycle
    .command('public-key')
    .description('Print the public key (PEM) that verifies this deployment\'s deletion receipts.')
    .action(async () => {
      await ctx.withApp(async (toride) => {
        process.stdout.write(toride.lifecycle.signer.publicKeyPem());
      });
    });

  lifecycle
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
      const pem = options.publicKey ? readFileSync(options.publicKey, 'utf8') : await ctx.withApp(async (toride) => toride.lifecycle.signer.publicKeyPem());
      const result = await verifyReceipt(doc, pem);
      if (result.ok) {
        const r = result.receipt;
        process.stdout.write(`Receipt ${r.receiptId} verifies: organization ${r.orgId} (${r.scope}), ${r.totalRows} rows deleted ${r.startedAt} – ${r.completedAt}; last backup copy expires ${r.backupsExpireAt}.\n`);
      } else {
        process.stderr.write(`Receipt does NOT verify: ${result.reason}\n`);
        process.exitCode = 1;
      }
    });
};
