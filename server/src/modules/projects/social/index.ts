export { socialRoutes } from './social.routes';
export { feedRoutes } from './feed.routes';
export { ActivityType, onActivity, recordActivity, recordView, type ActivityListener } from './issue-events';
export type { SocialTables } from './social.db';
