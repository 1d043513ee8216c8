export { classicAdminRoutes, classicUserRoutes } from './classic.routes';
export { classicSignInRoutes } from './classic.signin';
export { classicKeyCaller, classicSessionCaller, wantsClassicSession } from './classic-backlog-auth';
