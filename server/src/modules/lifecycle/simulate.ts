import { DAY } from '../../kernel/clock';
import { listLogFiles, LOG_FILE_RETENTION_DAYS, type LogFile } from './log-files';
import type { SunsetView } from './sunset.service';

/**
 * `toride lifecycle simulate --from --to`: what the lifecycle rules would do in a window, per org and
 * for the deployment, computed from stored dates and the rules — nothing is changed (issue 5 §5).
 * The per-org contract timeline (state changes, purge start/completion, backup expiry) comes from
 * the lifecycle engine through `timelineOf`; sunsets, audit retention and log files are added here.
 */
export const AUDIT_RETENTION_DAYS = 400;
/** The pass module's daily audit-retention run (`pass.audit-retention`, 03:15 UTC). */
const AUDIT_RUN_MINUTE_OF_DAY = 3 * 60 + 15;

export interface SimulatedEvent {
  at: string;
  kind: string;
  text: string;
  details?: Record<string, unknown>;
}

export interface EngineEvent {
  at: string;
  /** e.g. trial_ends, org_deleted, purge_starts, purge_completes_by, last_backup_expires */
  event: string;
  label?: string;
  done?: boolean;
  /** The engine's contract service; `workspace` (the org itself) is not named in the text. */
  service?: string;
}

export interface SimulationInput {
  from: Date;
  to: Date;
  /** "Now": log files not written yet are projected from here. */
  now: Date;
  orgs: readonly { id: string; name: string }[];
  sunsets: readonly SunsetView[];
  logFiles: readonly LogFile[];
  logDir?: string;
  timelineOf?(orgId: string): Promise<readonly EngineEvent[]>;
}

export interface Simulation {
  from: string;
  to: string;
  deployment: SimulatedEvent[];
  orgs: { id: string; name: string; events: SimulatedEvent[] }[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const inWindow = (at: string | Date, input: Pick<SimulationInput, 'from' | 'to'>) => {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return t >= input.from.getTime() && t <= input.to.getTime();
};
const byTime = (a: SimulatedEvent, b: SimulatedEvent) => a.at.localeCompare(b.at) || a.kind.localeCompare(b.kind);
const startOfDay = (t: number) => t - (((t % DAY) + DAY) % DAY);

const ENGINE_TEXT: Record<string, string> = {
  trial_ends: 'trial ends',
  paid_period_ends: 'paid period ends',
  period_ends: 'paid period ends',
  contract_ended: 'contract ended (unpaid)',
  space_cancelled: 'classic space cancelled',
  audit_purge: 'audit log purged',
  purge_completed: 'data purged',
  contract_ends: 'contract ends',
  suspended: 'suspended for non-payment',
  cancelled: 'contract cancelled',
  org_deleted: 'organization deleted',
  purge_starts: 'data purge starts',
  purge_completes_by: 'data purged by',
  last_backup_expires: 'last backup copy expires',
};

export function sunsetEvents(sunsets: readonly SunsetView[], input: Pick<SimulationInput, 'from' | 'to'>): SimulatedEvent[] {
  const events: SimulatedEvent[] = [];
  for (const s of sunsets) {
    if (s.status === 'cancelled') continue;
    const what = s.service === 'workspace' ? 'the whole deployment' : `service "${s.service}"`;
    const details = { sunsetId: s.id, service: s.service };
    if (inWindow(s.at, input)) events.push({ at: s.at, kind: 'sunset_purge_starts', text: `sunset of ${what}: its data purge starts`, details });
    if (inWindow(s.purgeCompletesBy, input)) events.push({ at: s.purgeCompletesBy, kind: 'sunset_purge_completes_by', text: `sunset of ${what}: data purged by`, details });
    if (inWindow(s.backupsExpireAt, input)) events.push({ at: s.backupsExpireAt, kind: 'sunset_backups_expire', text: `sunset of ${what}: last backup copy expires`, details });
  }
  return events;
}

/** Daily audit-retention runs inside the window: each purges the org's entries older than 400 days. */
function auditPurgeEvents(input: SimulationInput): SimulatedEvent[] {
  const first = startOfDay(input.from.getTime()) + AUDIT_RUN_MINUTE_OF_DAY * 60_000;
  const firstRun = first >= input.from.getTime() ? first : first + DAY;
  if (firstRun > input.to.getTime()) return [];
  const lastRun = startOfDay(input.to.getTime()) + AUDIT_RUN_MINUTE_OF_DAY * 60_000;
  const last = lastRun <= input.to.getTime() ? lastRun : lastRun - DAY;
  const runs = Math.round((last - firstRun) / DAY) + 1;
  const writtenFrom = new Date(firstRun - AUDIT_RETENTION_DAYS * DAY);
  const writtenTo = new Date(last - AUDIT_RETENTION_DAYS * DAY);
  return [
    {
      at: new Date(firstRun).toISOString(),
      kind: 'audit_purge',
      text: `audit retention runs daily at 03:15 UTC (${runs} run${runs === 1 ? '' : 's'} until ${new Date(last).toISOString()}): entries written before ${writtenTo.toISOString()} are purged (400 days; from ${day(writtenFrom)} on in this window)`,
      details: { runs, lastRun: new Date(last).toISOString(), retentionDays: AUDIT_RETENTION_DAYS },
    },
  ];
}

function logFileEvents(input: SimulationInput): SimulatedEvent[] {
  const events: SimulatedEvent[] = [];
  for (const file of input.logFiles) {
    if (inWindow(file.deleteAt, input)) {
      events.push({ at: file.deleteAt.toISOString(), kind: 'log_file_deleted', text: `log file ${file.name} deleted (${LOG_FILE_RETENTION_DAYS} days)`, details: { file: file.name } });
    }
  }
  if (!input.logDir) return events;
  // Files not written yet (from today on) whose day 545 falls in the window.
  const firstDay = Math.max(startOfDay(input.now.getTime()) + (input.logFiles.some((f) => f.day === day(input.now)) ? DAY : 0), startOfDay(input.from.getTime()) - LOG_FILE_RETENTION_DAYS * DAY);
  const lastDay = startOfDay(input.to.getTime()) - LOG_FILE_RETENTION_DAYS * DAY;
  if (lastDay >= firstDay) {
    const start = Math.max(firstDay + LOG_FILE_RETENTION_DAYS * DAY, input.from.getTime());
    events.push({
      at: new Date(start).toISOString(),
      kind: 'log_files_deleted_daily',
      text: `log files written ${day(new Date(firstDay))} … ${day(new Date(lastDay))} are deleted each on its day 545, at 00:00 UTC`,
      details: { firstDay: day(new Date(firstDay)), lastDay: day(new Date(lastDay)) },
    });
  }
  return events;
}

export async function simulate(input: SimulationInput): Promise<Simulation> {
  if (input.to.getTime() < input.from.getTime()) throw new Error('--to must not be before --from.');
  const shared = sunsetEvents(input.sunsets, input);
  const audit = auditPurgeEvents(input);
  const orgs = [];
  for (const org of input.orgs) {
    const engine = input.timelineOf ? await input.timelineOf(org.id) : [];
    const events: SimulatedEvent[] = engine
      .filter((e) => inWindow(e.at, input))
      .map((e) => {
        const text = e.label ?? ENGINE_TEXT[e.event] ?? e.event.replace(/_/g, ' ');
        return { at: new Date(e.at).toISOString(), kind: e.event, text: e.service && e.service !== 'workspace' ? `${text} (${e.service})` : text };
      });
    orgs.push({ id: org.id, name: org.name, events: [...events, ...shared, ...audit].sort(byTime) });
  }
  return { from: input.from.toISOString(), to: input.to.toISOString(), deployment: [...logFileEvents(input), ...shared].sort(byTime), orgs };
}

export function formatSimulation(result: Simulation): string {
  const lines = [`Lifecycle simulation ${result.from} → ${result.to} (nothing is changed)`, ''];
  const block = (title: string, events: SimulatedEvent[]) => {
    lines.push(title);
    if (events.length === 0) lines.push('  (nothing happens in this window)');
    for (const e of events) lines.push(`  ${e.at}  ${e.text}`);
    lines.push('');
  };
  block('Deployment', result.deployment);
  for (const org of result.orgs) block(`Organization ${org.name} (${org.id})`, org.events);
  return lines.join('\n');
}

/** Gathers what the simulation reads (orgs, sunsets, log files) from a running app; writes nothing. */
export async function simulateDeployment(deps: {
  readonly now: Date;
  readonly logDir?: string;
  listOrganizations(): Promise<readonly { id: string; name: string }[]>;
  listSunsets(): Promise<readonly SunsetView[]>;
  timelineOf?(orgId: string): Promise<readonly EngineEvent[]>;
}, window: { from: Date; to: Date }): Promise<Simulation> {
  return simulate({
    ...window,
    now: deps.now,
    orgs: (await deps.listOrganizations()).map((o) => ({ id: o.id, name: o.name })),
    sunsets: await deps.listSunsets(),
    logFiles: deps.logDir ? listLogFiles(deps.logDir) : [],
    ...(deps.logDir ? { logDir: deps.logDir } : {}),
    ...(deps.timelineOf ? { timelineOf: deps.timelineOf } : {}),
  });
}
