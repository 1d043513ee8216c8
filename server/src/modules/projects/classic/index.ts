export { classicAdminRoutes, classicUserRoutes } from './classic.routes';
