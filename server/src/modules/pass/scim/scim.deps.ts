import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { publicUrlOf } from '../../../config';
import { requestMeta } from '../../../kernel/http/request-context';
import type { Kernel } from '../../../kernel/module';
import type { IdentityApi, ManagedAccountActor } from '../../identity';
import type { ScimDb } from './scim.db';
import { createScimRepository, type ScimRepository } from './scim.repository';

export interface ScimDeps {
  readonly kernel: Kernel;
  readonly identity: IdentityApi;
  readonly repo: ScimRepository;
  /** `https://toride.example.com/scim/v2`: resource locations and the UI's base URL. */
  readonly baseUrl: string;
}

export const SCIM_PREFIX = '/scim/v2';

export function createScimDeps(kernel: Kernel, identity: IdentityApi, passDb: Kysely<ScimDb>): ScimDeps {
  return { kernel, identity, repo: createScimRepository(passDb), baseUrl: `${publicUrlOf(kernel.config)}${SCIM_PREFIX}` };
}

/** The org and token a SCIM request authenticated as. */
export interface ScimCaller {
  orgId: string;
  tokenId: string;
  actor: ManagedAccountActor;
}

/** Audits a SCIM change that identity does not audit itself (groups). */
export async function auditScim(
  deps: ScimDeps,
  request: FastifyRequest,
  caller: ScimCaller,
  entry: { action: string; target: { type: string; id: string }; details?: Record<string, unknown> },
): Promise<void> {
  const meta = requestMeta(request);
  await deps.kernel.audit.record({
    orgId: caller.orgId,
    action: entry.action,
    outcome: 'success',
    actor: { type: 'system', id: null, name: 'SCIM' },
    target: entry.target,
    ip: meta.ip,
    userAgent: meta.userAgent,
    requestId: meta.requestId,
    details: { actorKind: 'scim', tokenId: caller.tokenId, ...(entry.details ?? {}) },
  });
}
