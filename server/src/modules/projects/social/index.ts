export { socialRoutes } from './social.routes';
export { feedRoutes } from './feed.routes';
export { spaceInfoRoutes } from './space-info.routes';
export { ActivityType, onActivity, recordActivity, recordView, type ActivityListener } from './issue-events';
export type { SocialTables } from './social.db';
