export { attachmentRoutes, presentFileInfo, sendDownload } from './attachments.routes';
export { attachmentChanges, attachToIssue, pendingAttachments, servedContentType, MAX_ATTACHMENT_BYTES } from './attachments.service';
export { createAttachmentsRepository } from './attachments.repository';
export type { AttachmentTables, AttachmentRow } from './attachments.db';
export { wikiAttachmentRoutes } from './wiki-attachments.routes';
export { attachmentsOfWikis, deleteAttachmentsOfWiki } from './wiki-attachments.service';
