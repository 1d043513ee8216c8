import type { FastifyInstance } from 'fastify';
import { MAX_ATTACHMENT_BYTES, createAttachmentsRepository } from '../attachments/index';
import { callerOf } from '../backlog-api/plugin';
import { createSharedFilesRepository } from '../shared-files/index';
import { requireProject, requireSpaceAdmin } from '../projects.policy';
import { findProjectScope, listProjects } from '../projects.service';
import type { ProjectsDeps } from '../spaces.service';
import { iso } from './social.presenter';

/** Issue and wiki-page attachment bytes of one project (attachments/). */
const usage = (projectId: number, sizes: readonly { project_id: number | null; bytes: number; wiki_bytes: number }[]) => {
  const size = sizes.find((s) => s.project_id === projectId);
  return { projectId, issue: size?.bytes ?? 0, wiki: size?.wiki_bytes ?? 0, document: 0, file: 0, subversion: 0, git: 0, gitLFS: 0 };
};

/** `GET /space/diskUsage` (admins), `GET /projects/:p/diskUsage` (project admins), `GET /space/licence`. */
export function spaceInfoRoutes(_deps: ProjectsDeps) {
  return async (api: FastifyInstance) => {
    api.get('/space/diskUsage', async (request) => {
      const caller = callerOf(request);
      requireSpaceAdmin(caller);
      const sizes = await createAttachmentsRepository(caller.db).sizeByProject(caller.orgId);
      const projects = await listProjects(caller, { all: true });
      // `file`: the project's shared files (shared-files/).
      const files = await createSharedFilesRepository(caller.db).sizeByProject(caller.orgId);
      const details = projects.map((p) => ({ ...usage(p.id, sizes), file: files.get(p.id) ?? 0 }));
      return { capacity: 0, issue: details.reduce((n, d) => n + d.issue, 0), wiki: details.reduce((n, d) => n + d.wiki, 0), file: details.reduce((n, d) => n + d.file, 0), subversion: 0, git: 0, gitLFS: 0, details };
    });
    api.get<{ Params: { projectIdOrKey: string } }>('/projects/:projectIdOrKey/diskUsage', async (request) => {
      const caller = callerOf(request);
      const scope = await findProjectScope(caller, request.params.projectIdOrKey);
      requireProject(scope, 'project:update');
      const sizes = await createAttachmentsRepository(caller.db).sizeByProject(caller.orgId);
      const files = await createSharedFilesRepository(caller.db).sizeByProject(caller.orgId);
      return { ...usage(scope.project.id, sizes), file: files.get(scope.project.id) ?? 0 };
    });
    // Toride has no plans: the licence answers what this server allows, with no expiry.
    api.get('/space/licence', async (request) => {
      const caller = callerOf(request);
      return {
        active: true,
        attachmentLimit: 0,
        attachmentLimitPerFile: MAX_ATTACHMENT_BYTES,
        attachmentNumLimit: 0,
        attribute: true,
        attributeLimit: 100,
        burndown: true,
        commentLimit: 0,
        componentLimit: 0,
        fileSharing: true,
        gantt: true,
        git: false,
        issueLimit: 0,
        licenceTypeId: 0,
        limitDate: null,
        nulabAccount: false,
        parentChildIssue: true,
        postIssueByMail: false,
        projectGroup: false,
        projectLimit: 0,
        pullRequestAttachmentLimitPerFile: 0,
        pullRequestAttachmentNumLimit: 0,
        remoteAddress: false,
        remoteAddressLimit: 0,
        startedOn: iso(caller.space.created_at),
        storageLimit: 0,
        subversion: false,
        subversionExternal: false,
        userLimit: 0,
        versionLimit: 0,
        wikiAttachment: true,
        wikiAttachmentLimitPerFile: MAX_ATTACHMENT_BYTES,
        wikiAttachmentNumLimit: 0,
      };
    });
  };
}
