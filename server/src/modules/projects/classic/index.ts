export { classicAdminRoutes, classicUserRoutes } from './classic.routes';
export { classicSignInRoutes } from './classic.signin';
