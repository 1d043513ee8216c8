import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountOf, operatorOf, requestMeta } from '../../kernel/http/request-context';
import { SUNSET_SERVICES, type SunsetApi } from './sunset.service';

const tags = ['lifecycle'];

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;
function isSunsetDate(v: string): boolean {
  if (DAY_RE.test(v)) return !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
  return TIME_RE.test(v) && !Number.isNaN(Date.parse(v));
}

/** `2027-03-31` (00:00 UTC) or a full ISO-8601 time with `Z` or an offset. */
export const sunsetDate = z
  .string()
  .max(40)
  .refine(isSunsetDate, 'a date like 2027-03-31 or a time with a zone like 2027-03-31T09:00:00Z')
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v));

const sunsetSchema = z.object({
  id: z.string(),
  service: z.string(),
  at: z.string(),
  status: z.enum(['scheduled', 'running', 'completed', 'cancelled']),
  createdAt: z.string(),
  createdBy: z.string(),
  cancelledAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  purgeCompletesBy: z.string(),
  backupsExpireAt: z.string(),
  orgsPurged: z.number(),
  rowsDeleted: z.number(),
});
const publicSunsetSchema = sunsetSchema.pick({ id: true, service: true, at: true, status: true, purgeCompletesBy: true, backupsExpireAt: true, completedAt: true });

/**
 * Operators schedule and cancel sunsets; every signed-in account may read the ones not cancelled,
 * because a sunset ends the service for every org (its timeline shows it, W4.8).
 */
export function sunsetRoutes(sunsets: SunsetApi, settings: { readonly backupRetentionDays: number }) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const operatorActor = (request: Parameters<typeof operatorOf>[0]) => ({ type: 'operator' as const, id: operatorOf(request).operatorId });

    app.get('/operator/lifecycle/sunsets', { config: { auth: 'operator' }, schema: { tags, response: { 200: z.object({ items: z.array(sunsetSchema) }) } } }, async () => ({
      items: await sunsets.list(),
    }));

    // The service is checked by the service layer, so an unknown name answers 400 lifecycle.unknown_service.
    app.post(
      '/operator/lifecycle/sunsets',
      { config: { auth: 'operator' }, schema: { tags, body: z.object({ service: z.string().min(1).max(40).describe(`one of ${SUNSET_SERVICES.join(', ')}`), at: sunsetDate }), response: { 201: sunsetSchema } } },
      async (request, reply) => {
        const view = await sunsets.schedule({ service: request.body.service, at: request.body.at, actor: operatorActor(request), meta: requestMeta(request) });
        return reply.status(201).send(view);
      },
    );

    app.delete(
      '/operator/lifecycle/sunsets/:sunsetId',
      { config: { auth: 'operator' }, schema: { tags, params: z.object({ sunsetId: z.string().min(1).max(64) }), response: { 200: sunsetSchema } } },
      async (request) => sunsets.cancel(request.params.sunsetId, operatorActor(request), requestMeta(request)),
    );

    app.get('/lifecycle/sunsets', { config: { auth: 'account' }, schema: { tags, response: { 200: z.object({ items: z.array(publicSunsetSchema), backupRetentionDays: z.number() }) } } }, async (request) => {
      accountOf(request);
      return { backupRetentionDays: settings.backupRetentionDays, items: (await sunsets.list()).filter((s) => s.status !== 'cancelled').map(({ id, service, at, status, purgeCompletesBy, backupsExpireAt, completedAt }) => ({ id, service, at, status, purgeCompletesBy, backupsExpireAt, completedAt })) };
    });
  };
}
