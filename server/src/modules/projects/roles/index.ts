export { restrictionRoutes } from './restrictions.routes';
