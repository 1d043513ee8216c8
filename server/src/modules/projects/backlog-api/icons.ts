import type { FastifyReply } from 'fastify';

/** A 1×1 grey PNG: users, teams, projects and the space have no pictures of their own yet. */
const DEFAULT_ICON = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==', 'base64');

/** Backlog serves icons as downloads (backlog-js reads the file name from the disposition). */
export const sendDefaultIcon = (reply: FastifyReply, filename: string) =>
  reply.header('content-type', 'image/png').header('content-disposition', `attachment; filename="${filename}"`).send(DEFAULT_ICON);
