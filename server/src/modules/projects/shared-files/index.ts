export { sharedFileRoutes } from './shared-files.routes';
export { createSharedFilesRepository } from './shared-files.repository';
export type { SharedFileTables, SharedFileRow } from './shared-files.db';
