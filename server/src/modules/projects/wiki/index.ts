export { wikiRoutes } from './wiki.routes';
