export { attachmentRoutes, presentFileInfo } from './attachments.routes';
export { attachmentChanges, attachToIssue, pendingAttachments, MAX_ATTACHMENT_BYTES } from './attachments.service';
export { createAttachmentsRepository } from './attachments.repository';
export type { AttachmentTables, AttachmentRow } from './attachments.db';
export { wikiAttachmentRoutes } from './wiki-attachments.routes';
export { attachmentsOfWikis, deleteAttachmentsOfWiki } from './wiki-attachments.service';
