export { relatedIssueRoutes } from './related-issues.routes';
export { createRelatedIssuesRepository } from './related-issues.repository';
export type { RelatedIssueTables } from './related-issues.db';
