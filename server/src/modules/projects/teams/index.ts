export { teamRoutes } from './teams.routes';
export { refreshCallerTeams } from './teams.sync';
